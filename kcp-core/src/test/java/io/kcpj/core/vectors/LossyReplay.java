package io.kcpj.core.vectors;

import io.kcpj.core.Kcp;
import io.kcpj.core.wire.SegmentHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Replays one scenario of {@code ikcp-lossy-vectors.txt} through two {@link Kcp} engines, with
 * exactly the rules of {@code tools/ikcp-diff/harness.c} (documented in the file's header): the
 * same xorshift32 draws in the same order, the same step order, the same link. Whatever the engine
 * does differently from the C reference shows up as a different event, snapshot or total.
 */
final class LossyReplay {
  static final int CONV = 0x11223344;
  private static final int RBUF_SIZE = 1 << 20;

  /** One datagram an engine handed to its output. */
  record Datagram(int number, int from, long elapsed, int clock, byte[] bytes) {}

  /** Everything the replay recorded, in the vector file's terms. */
  static final class Run {
    final List<LossyVectors.Event> events = new ArrayList<>();
    final List<Datagram> datagrams = new ArrayList<>();
    final Map<Long, String> snapshots = new LinkedHashMap<>();
    String totals;

    /** Why the run stopped early (an exception in the engine or a payload check), or null. */
    String failure;
  }

  /** Per-endpoint parameters of a scenario. */
  private record Side(
      int nd,
      int interval,
      int rs,
      int nc,
      int minrto,
      int fl,
      int swnd,
      int rwnd,
      int mtu,
      int stream,
      long msgs,
      long smin,
      long smax,
      long gap,
      long burst,
      long start,
      long rlim,
      long stall0,
      long stall1,
      long pause0,
      long pause1,
      long cat,
      int cswnd,
      int crwnd,
      int cnd,
      int cint,
      int crs,
      int cnc,
      long flush,
      long chk,
      long forge,
      long fgap,
      long fcount,
      int fsegs,
      int flen,
      long ffrg) {
    static Side of(LossyVectors.Scenario s, String p) {
      return new Side(
          (int) s.param(p + ".nd"),
          (int) s.param(p + ".int"),
          (int) s.param(p + ".rs"),
          (int) s.param(p + ".nc"),
          (int) s.param(p + ".minrto"),
          (int) s.param(p + ".fl"),
          (int) s.param(p + ".swnd"),
          (int) s.param(p + ".rwnd"),
          (int) s.param(p + ".mtu"),
          (int) s.param(p + ".stream"),
          s.param(p + ".msgs"),
          s.param(p + ".smin"),
          s.param(p + ".smax"),
          s.param(p + ".gap"),
          s.param(p + ".burst"),
          s.param(p + ".start"),
          s.param(p + ".rlim"),
          s.param(p + ".stall0"),
          s.param(p + ".stall1"),
          s.param(p + ".pause0"),
          s.param(p + ".pause1"),
          s.param(p + ".cat"),
          (int) s.param(p + ".cswnd"),
          (int) s.param(p + ".crwnd"),
          (int) s.param(p + ".cnd"),
          (int) s.param(p + ".cint"),
          (int) s.param(p + ".crs"),
          (int) s.param(p + ".cnc"),
          s.param(p + ".flush"),
          s.param(p + ".chk"),
          s.param(p + ".forge"),
          s.param(p + ".fgap"),
          s.param(p + ".fcount"),
          (int) s.param(p + ".fsegs"),
          (int) s.param(p + ".flen"),
          s.param(p + ".ffrg"));
    }

    /** Whether a forged datagram is due to this endpoint at {@code elapsed}. */
    boolean forgeDue(long elapsed) {
      return forge > 0
          && elapsed >= forge
          && (elapsed - forge) % fgap == 0
          && (elapsed - forge) / fgap < fcount;
    }
  }

  /** Per-direction link parameters. */
  private record Link(
      long loss, long dup, long dmin, long dmax, long corrupt, long scramble, long fmax) {
    static Link of(LossyVectors.Scenario s, String p) {
      return new Link(
          s.param(p + ".loss"),
          s.param(p + ".dup"),
          s.param(p + ".dmin"),
          s.param(p + ".dmax"),
          s.param(p + ".corrupt"),
          s.param(p + ".scramble"),
          s.param(p + ".fmax"));
    }
  }

  /**
   * A copy of a datagram on its way; {@code damage} -1 = intact, 0 = truncated to {@code where}
   * bytes, 1/2/3 = conv/cmd/len of segment {@code where} damaged; {@code scramble} 0 = its frg
   * values intact, else the seed of the values written into its PUSH segments.
   */
  private record Flight(
      long arrival, int datagram, int copy, int damage, long where, int scramble) {}

  private static final Comparator<Flight> DELIVERY_ORDER =
      Comparator.comparingLong(Flight::arrival)
          .thenComparingInt(Flight::datagram)
          .thenComparingInt(Flight::copy);

  private final LossyVectors.Scenario scenario;
  private final Side[] sides;
  private final Link[] links;
  private final long t0;
  private final Run run = new Run();
  private final Kcp[] kcps = new Kcp[2];

  /** Each engine's nc setting, for reconfigurations that leave it unchanged (cnc < 0). */
  private final boolean[] noCwnd = new boolean[2];

  private final List<Flight> flights = new ArrayList<>();
  private final List<Flight> due = new ArrayList<>();
  private final CRC32 crc = new CRC32();

  /** Segments emitted per endpoint and cmd (PUSH, ACK, WASK, WINS). */
  private final long[][] cmdCount = new long[2][4];

  private int rng;
  private long elapsed;
  private long zeroInputs;

  private LossyReplay(LossyVectors.Scenario scenario) {
    this.scenario = scenario;
    this.sides = new Side[] {Side.of(scenario, "a"), Side.of(scenario, "b")};
    this.links = new Link[] {Link.of(scenario, "ab"), Link.of(scenario, "ba")};
    this.t0 = scenario.param("t0");
    this.rng = (int) scenario.param("seed");
  }

  static Run replay(LossyVectors.Scenario scenario) {
    LossyReplay r = new LossyReplay(scenario);
    try {
      r.simulate();
    } catch (RuntimeException | AssertionError e) {
      r.run.failure = "at elapsed=" + r.elapsed + ": " + e;
    }
    return r.run;
  }

  /** xorshift32, the next value as an unsigned 32-bit number in an int. */
  private int nextRandom() {
    int x = rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    rng = x;
    return x;
  }

  /** {@code next_random() % n} with C's unsigned arithmetic. */
  private long draw(long n) {
    return Integer.toUnsignedLong(nextRandom()) % n;
  }

  static byte payloadByte(int side, long pos) {
    return (byte) ((pos * 7) ^ (pos >>> 8) ^ (side == 0 ? 0 : 0x5a));
  }

  private void simulate() {
    for (int i = 0; i < 2; i++) {
      Side p = sides[i];
      final int from = i;
      Kcp k = new Kcp(CONV, dg -> output(from, dg));
      k.setWindowSize(p.swnd(), p.rwnd());
      if (p.mtu() != 1400) {
        k.setMtu(p.mtu());
      }
      k.setNoDelay(p.nd(), p.interval(), p.rs(), p.nc() != 0);
      noCwnd[i] = p.nc() != 0;
      if (p.minrto() > 0) {
        k.setMinRto(p.minrto());
      }
      k.setFastLimit(p.fl());
      k.setStreamMode(p.stream() != 0);
      kcps[i] = k;
    }
    long step = scenario.param("step");
    long dur = scenario.param("dur");
    long snap = scenario.param("snap");
    long[] sentMsgs = new long[2];
    long[] sentBytes = new long[2];
    long[] recvBytes = new long[2];
    long[] recvCalls = new long[2];
    long inputs = 0;
    long[] nextUpdate = new long[2];
    boolean[] hasNext = new boolean[2];
    byte[] sbuf = new byte[RBUF_SIZE];
    byte[] rbuf = new byte[RBUF_SIZE];

    for (elapsed = 0; elapsed <= dur; elapsed += step) {
      long clock = t0 + elapsed; // deliberately not truncated: the engine truncates to 32 bits

      // 0. reconfiguration
      for (int i = 0; i < 2; i++) {
        Side p = sides[i];
        if (p.cat() > 0 && elapsed == p.cat()) {
          kcps[i].setWindowSize(p.cswnd(), p.crwnd());
          // ikcp_nodelay leaves nocwnd alone when nc < 0; Kcp.setNoDelay takes a boolean
          if (p.cnc() >= 0) {
            noCwnd[i] = p.cnc() != 0;
          }
          kcps[i].setNoDelay(p.cnd(), p.cint(), p.crs(), noCwnd[i]);
        }
      }

      // 1. sends: A then B, one size draw per message
      for (int i = 0; i < 2; i++) {
        Side p = sides[i];
        if (elapsed < p.start() || (elapsed - p.start()) % p.gap() != 0) {
          continue;
        }
        long sentNow = 0;
        for (long m = 0; m < p.burst() && sentMsgs[i] < p.msgs(); m++, sentNow++) {
          int size = (int) (p.smin() + draw(p.smax() - p.smin() + 1));
          for (int j = 0; j < size; j++) {
            sbuf[j] = payloadByte(i, sentBytes[i] + j);
          }
          int r;
          try {
            r = kcps[i].send(sbuf, 0, size);
          } catch (IllegalArgumentException refused) {
            r = -2; // ikcp_send's "too many fragments": Kcp throws, having queued nothing
          }
          sentMsgs[i]++;
          if (r == size) {
            sentBytes[i] += size;
          } else {
            event((i == 0 ? "sa" : "sb") + r);
            if (r > 0) {
              sentBytes[i] += r;
            }
          }
        }
        if ((p.flush() & 1) != 0 && sentNow > 0) {
          kcps[i].flush();
        }
      }

      // 2. forged datagrams due (A then B), then deliveries due, by (arrival, datagram, copy)
      for (int i = 0; i < 2; i++) {
        if (!sides[i].forgeDue(elapsed)) {
          continue;
        }
        byte[] forged = forgeDatagram(i, clock);
        int r = kcps[i].input(forged, 0, forged.length);
        inputs++;
        if (r == 0) {
          zeroInputs++;
        } else {
          event("I" + r);
        }
      }
      due.clear();
      for (Flight f : flights) {
        if (f.arrival() <= elapsed) {
          due.add(f);
        }
      }
      if (!due.isEmpty()) {
        final long now = elapsed;
        flights.removeIf(f -> f.arrival() <= now);
        due.sort(DELIVERY_ORDER);
      }
      for (Flight f : due) {
        Datagram d = run.datagrams.get(f.datagram());
        int r;
        if (f.damage() < 0 && f.scramble() == 0) {
          r = kcps[1 - d.from()].input(d.bytes(), 0, d.bytes().length);
        } else {
          byte[] copy = d.bytes().clone();
          int n = copy.length;
          if (f.scramble() != 0) {
            scrambleFrg(copy, f.scramble(), links[d.from()].fmax());
          }
          if (f.damage() < 0) {
            // scrambled only
          } else if (f.damage() == 0) {
            n = (int) f.where();
          } else {
            int off = 0;
            for (long k = 0; k < f.where(); k++) {
              off += 24 + (int) le32(copy, off + 20);
            }
            switch (f.damage()) {
              case 1 -> copy[off] ^= (byte) 0xff;
              case 2 -> copy[off + 4] = 0;
              default -> copy[off + 23] |= (byte) 0x80;
            }
          }
          r = kcps[1 - d.from()].input(copy, 0, n);
        }
        inputs++;
        if (r == 0) {
          zeroInputs++;
        } else {
          event("I" + r);
        }
      }

      for (int i = 0; i < 2; i++) {
        if ((sides[i].flush() & 2) == 0) {
          continue;
        }
        for (Flight f : due) {
          if (run.datagrams.get(f.datagram()).from() != i) {
            kcps[i].flush();
            break;
          }
        }
      }

      // 3. receives: A then B
      for (int i = 0; i < 2; i++) {
        Side p = sides[i];
        if (elapsed >= p.stall0() && elapsed < p.stall1()) {
          continue;
        }
        for (long m = 0; p.rlim() == 0 || m < p.rlim(); m++) {
          int n = kcps[i].recv(rbuf, 0, rbuf.length);
          if (n < 0) {
            break;
          }
          for (int j = 0; j < n; j++) {
            if (rbuf[j] != payloadByte(1 - i, recvBytes[i] + j)) {
              throw new AssertionError(
                  (i == 0 ? "A" : "B")
                      + " received a wrong byte at stream offset "
                      + (recvBytes[i] + j));
            }
          }
          recvBytes[i] += n;
          recvCalls[i]++;
          event((i == 0 ? "A" : "B") + n);
        }
      }

      // 4. updates (the link draws happen in output)
      for (int i = 0; i < 2; i++) {
        if (elapsed >= sides[i].pause0() && elapsed < sides[i].pause1()) {
          continue;
        }
        if (sides[i].chk() != 0 && hasNext[i] && (int) (clock - nextUpdate[i]) < 0) {
          continue;
        }
        kcps[i].update(clock);
        if (sides[i].chk() != 0) {
          nextUpdate[i] = kcps[i].check(clock);
          hasNext[i] = true;
        }
      }

      // 5. snapshot
      if (elapsed % snap == 0) {
        snapshot(clock);
      }
    }
    run.totals =
        "datagrams="
            + run.datagrams.size()
            + " inputs="
            + inputs
            + " recvA="
            + recvCalls[0]
            + " recvB="
            + recvCalls[1]
            + " bytesA="
            + recvBytes[0]
            + " bytesB="
            + recvBytes[1]
            + " sentA="
            + sentBytes[0]
            + " sentB="
            + sentBytes[1]
            + " segsA="
            + segs(0)
            + " segsB="
            + segs(1);
  }

  private String segs(int side) {
    long[] c = cmdCount[side];
    return c[0] + "/" + c[1] + "/" + c[2] + "/" + c[3];
  }

  private void event(String token) {
    run.events.add(new LossyVectors.Event(elapsed, token));
  }

  private void output(int from, ByteBuffer dg) {
    byte[] bytes = new byte[dg.remaining()];
    dg.get(bytes);
    int number = run.datagrams.size() + 1;
    run.datagrams.add(new Datagram(number, from, elapsed, (int) (t0 + elapsed), bytes));
    crc.reset();
    crc.update(bytes, 0, bytes.length);
    event((from == 0 ? "a" : "b") + bytes.length + "." + Long.toHexString(crc.getValue()));

    Link l = links[from];
    if (draw(1000) < l.loss()) {
      return;
    }
    int copies = draw(1000) < l.dup() ? 2 : 1;
    int segments = 0;
    for (int off = 0; off + 24 <= bytes.length; segments++) {
      int cmd = bytes[off + 4] & 0xff;
      if (cmd >= 81 && cmd <= 84) {
        cmdCount[from][cmd - 81]++;
      }
      off += 24 + (int) le32(bytes, off + 20);
    }
    for (int c = 0; c < copies; c++) {
      long delay = l.dmin() + draw(l.dmax() - l.dmin() + 1);
      int damage = -1;
      long where = 0;
      if (draw(1000) < l.corrupt()) {
        damage = (int) draw(4);
        where = draw(damage == 0 ? bytes.length : segments);
      }
      int scramble = 0;
      // drawn only when the link scrambles, so scenarios without it keep their draws
      if (l.scramble() > 0 && draw(1000) < l.scramble()) {
        scramble = nextRandom();
      }
      flights.add(new Flight(elapsed + delay, number - 1, c, damage, where, scramble));
    }
  }

  /** xorshift32 of {@code x} (the generator's step, for the private scramble streams). */
  private static int xorshift(int x) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x;
  }

  /**
   * Rewrites the frg of every PUSH segment with values of a private xorshift32 stream seeded with
   * {@code seed}, each value mod {@code fmax + 1} (harness.c's {@code scramble_frg}).
   */
  private static void scrambleFrg(byte[] d, int seed, long fmax) {
    int x = seed;
    for (int off = 0; off + 24 <= d.length; off += 24 + (int) le32(d, off + 20)) {
      if ((d[off + 4] & 0xff) != 81) {
        continue;
      }
      x = xorshift(x);
      d[off + 5] = (byte) (Integer.toUnsignedLong(x) % (fmax + 1));
    }
  }

  /**
   * The forged datagram given to endpoint {@code i} (harness.c's {@code forge_datagram}): {@code
   * fsegs} in-order PUSH segments whose fields come from the endpoint's own state, so only their
   * fragment counts are news to it.
   */
  private byte[] forgeDatagram(int i, long clock) {
    Side p = sides[i];
    Kcp k = kcps[i];
    byte[] d = new byte[p.fsegs() * (24 + p.flen())];
    int n = 0;
    for (int seg = 0; seg < p.fsegs(); seg++) {
      int sn = k.rcvNxt() + seg;
      int frg =
          p.ffrg() < 0
              ? (int) draw(links[1 - i].fmax() + 1)
              : (int) ((p.ffrg() >>> (8 * (p.fsegs() - 1 - seg))) & 0xff);
      SegmentHeader.write(
          d,
          n,
          CONV,
          SegmentHeader.CMD_PUSH,
          frg,
          k.remoteWindow() & 0xffff,
          (int) clock,
          sn,
          k.sndUna(),
          p.flen());
      n += 24;
      for (int j = 0; j < p.flen(); j++) {
        d[n++] = payloadByte(1 - i, Integer.toUnsignedLong(sn) * p.flen() + j);
      }
    }
    return d;
  }

  private void snapshot(long clock) {
    run.snapshots.put(
        elapsed,
        "in=" + zeroInputs + " a=" + fields(kcps[0], clock) + " b=" + fields(kcps[1], clock));
    zeroInputs = 0;
  }

  /** The Z line's fields, in the harness's order and C formats (%u / %d). */
  static String fields(Kcp k, long clock) {
    long next = k.check(clock);
    return Integer.toUnsignedString(k.sndUna())
        + ','
        + Integer.toUnsignedString(k.sndNxt())
        + ','
        + Integer.toUnsignedString(k.rcvNxt())
        + ','
        + k.srtt()
        + ','
        + k.rttVar()
        + ','
        + k.rto()
        + ','
        + Integer.toUnsignedString(k.cwnd())
        + ','
        + Integer.toUnsignedString(k.ssthresh())
        + ','
        + Integer.toUnsignedString(k.remoteWindow())
        + ','
        + k.sendBufferSize()
        + ','
        + k.sendQueueSize()
        + ','
        + k.receiveBufferSize()
        + ','
        + k.receiveQueueSize()
        + ','
        + Integer.toUnsignedString(k.timeoutRetransmissions())
        + ','
        + (k.isDeadLink() ? 1 : 0)
        + ','
        + (int) (next - clock);
  }

  /** The Z line's field names, in order. */
  static final String[] FIELDS = {
    "snd_una", "snd_nxt", "rcv_nxt", "rx_srtt", "rx_rttval", "rx_rto", "cwnd", "ssthresh",
    "rmt_wnd", "nsnd_buf", "nsnd_que", "nrcv_buf", "nrcv_que", "xmit", "dead", "check-now"
  };

  /** The segment headers of a datagram as the H lines write them: hex, '/'-separated. */
  static String headers(byte[] d) {
    StringBuilder sb = new StringBuilder();
    int off = 0;
    while (off + 24 <= d.length) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      for (int i = 0; i < 24; i++) {
        sb.append(Character.forDigit((d[off + i] >> 4) & 0xf, 16))
            .append(Character.forDigit(d[off + i] & 0xf, 16));
      }
      off += 24 + (int) le32(d, off + 20);
    }
    return sb.toString();
  }

  static long le32(byte[] b, int off) {
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24;
  }

  /** Human-readable decoding of segment headers given as H-line hex ("hdr/hdr/..."). */
  static String decodeHeaders(String hex) {
    StringBuilder sb = new StringBuilder();
    String[] segs = hex.split("/");
    for (int k = 0; k < segs.length; k++) {
      byte[] h = ReferenceVectors.hex(segs[k]);
      sb.append("    seg").append(k).append(": ").append(decodeHeader(h, 0)).append('\n');
    }
    return sb.toString();
  }

  /** Human-readable decoding of every segment of a datagram. */
  static String decodeDatagram(byte[] d) {
    StringBuilder sb = new StringBuilder();
    int off = 0;
    int k = 0;
    while (off + 24 <= d.length) {
      sb.append("    seg")
          .append(k++)
          .append(" @")
          .append(off)
          .append(": ")
          .append(decodeHeader(d, off))
          .append('\n');
      off += 24 + (int) le32(d, off + 20);
    }
    return sb.toString();
  }

  private static String decodeHeader(byte[] b, int off) {
    int cmd = b[off + 4] & 0xff;
    String name =
        switch (cmd) {
          case 81 -> "PUSH";
          case 82 -> "ACK";
          case 83 -> "WASK";
          case 84 -> "WINS";
          default -> "?";
        };
    return String.format(
        "conv=0x%08x cmd=%d(%s) frg=%d wnd=%d ts=%d sn=%d una=%d len=%d",
        le32(b, off),
        cmd,
        name,
        b[off + 5] & 0xff,
        (b[off + 6] & 0xff) | (b[off + 7] & 0xff) << 8,
        le32(b, off + 8),
        le32(b, off + 12),
        le32(b, off + 16),
        le32(b, off + 20));
  }
}
