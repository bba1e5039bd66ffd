package io.kcpj.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kcpj.core.wire.SegmentHeader;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Fuzz target of the engine (see docs/fuzzing.md). The fuzzer's bytes are a program run against two
 * engines, A (a well-behaved peer) and B (under attack): settings, sends from either side, hostile
 * datagrams into B (raw bytes, or well-formed segments with any field values, sequence numbers near
 * where B looks), deliveries of the real datagrams both ways with loss, duplication and reordering
 * chosen by the fuzzer, clock steps (starting anywhere on the 32-bit clock), flushes, receives,
 * window and mode changes. After every operation:
 *
 * <ul>
 *   <li>nothing throws (no {@code input} on any bytes, no {@code recv}, {@code update}, {@code
 *       flush}, {@code check});
 *   <li>{@code input} returns 0 or one of the reference's negative statuses, and errors are
 *       counted;
 *   <li>the receive queue and buffer stay within the largest receive window set; {@code sndUna <=
 *       sndNxt}; the send buffer holds at most {@code sndNxt - sndUna} segments; {@code waitSnd} is
 *       the send buffer plus the send queue; {@code check(now) - now} is in [0, interval];
 *   <li>{@code peekSize} predicts {@code recv}: the same size, or nothing whole ({@code RECV_EMPTY}
 *       / {@code RECV_INCOMPLETE}); a buffer one byte short gets {@code RECV_BUFFER_TOO_SMALL} and
 *       takes nothing;
 *   <li>delivered bytes come only from data sent: A (never attacked) receives exactly a prefix of
 *       B's byte stream, message by message in message mode; B receives exactly a prefix of A's
 *       stream as long as nothing hostile reached it (KCP has no integrity check, so forged data is
 *       indistinguishable from real data afterwards).
 * </ul>
 */
class KcpEngineFuzzTest {
  private static final int CONV = 0x4b43_5021;
  private static final int MAX_OPS = 400;
  private static final byte[] RECV_BUFFER = new byte[1 << 20];

  /**
   * Each side's byte stream, {@link Program#payload} at every position: it repeats every 65,536
   * bytes, so one period plus the longest send is enough. Sends copy from it and deliveries compare
   * against it in bulk (a loop per byte in this instrumented class was a third of the run time).
   */
  private static final int STREAM_PERIOD = 1 << 16;

  private static final byte[] STREAM_A = stream(true);
  private static final byte[] STREAM_B = stream(false);

  private static byte[] stream(boolean fromA) {
    byte[] s = new byte[STREAM_PERIOD + RECV_BUFFER.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Program.payload(fromA, i);
    }
    return s;
  }

  @FuzzTest(maxDuration = "30s")
  void anyProgramOfInputsKeepsTheEngineConsistent(FuzzedDataProvider data) {
    new Program(data).run();
  }

  /** One run: two engines and the bookkeeping the invariants need. */
  private static final class Program {
    final FuzzedDataProvider data;
    final Deque<byte[]> aToB = new ArrayDeque<>();
    final Deque<byte[]> bToA = new ArrayDeque<>();
    final Kcp a;
    final Kcp b;
    final boolean stream;
    long now;
    int maxReceiveWindowA;
    int maxReceiveWindowB;

    /** Bytes each side has queued and delivered, and (message mode) the sizes still in flight. */
    long sentByA;

    long sentByB;
    long deliveredToA;
    long deliveredToB;
    final Deque<Integer> messagesFromA = new ArrayDeque<>();
    final Deque<Integer> messagesFromB = new ArrayDeque<>();

    /** Whether B has been given anything but A's real datagrams. */
    boolean attacked;

    Program(FuzzedDataProvider data) {
      this.data = data;
      a = new Kcp(CONV, dg -> aToB.add(copy(dg)));
      b = new Kcp(CONV, dg -> bToA.add(copy(dg)));
      stream = data.consumeBoolean();
      int nodelay = data.consumeInt(0, 2);
      int interval = data.consumeInt(10, 100);
      int resend = data.consumeInt(0, 3);
      boolean noCwnd = data.consumeBoolean();
      int sendWindow = data.consumeInt(1, 512);
      int receiveWindow = data.consumeInt(1, 512);
      int mtu = data.consumeInt(50, 1500);
      for (Kcp k : new Kcp[] {a, b}) {
        k.setStreamMode(stream);
        k.setNoDelay(nodelay, interval, resend, noCwnd);
        k.setWindowSize(sendWindow, receiveWindow);
        k.setMtu(mtu);
      }
      maxReceiveWindowA = a.receiveWindow();
      maxReceiveWindowB = b.receiveWindow();
      now = Integer.toUnsignedLong(data.consumeInt());
    }

    void run() {
      for (int op = 0; op < MAX_OPS && data.remainingBytes() > 0; op++) {
        switch (data.consumeInt(0, 10)) {
          case 0 -> attack(data.consumeBytes(data.consumeInt(0, 1600)));
          case 1 -> attack(forgedDatagram());
          case 2 -> send(true);
          case 3 -> send(false);
          case 4 -> deliver();
          case 5 -> {
            now += data.consumeInt(0, 300);
            a.update(now);
            b.update(now);
          }
          case 6 -> {
            a.flush();
            b.flush();
          }
          case 7 -> {
            drain(a, true);
            drain(b, false);
          }
          case 8 -> shortBuffer(data.consumeBoolean() ? a : b);
          case 9 -> {
            checkDeadline(a);
            checkDeadline(b);
          }
          default -> reconfigure();
        }
        invariants(a, maxReceiveWindowA);
        invariants(b, maxReceiveWindowB);
      }
      // Let everything settle on a clean link, then take whatever is whole.
      for (int i = 0; i < 50; i++) {
        now += 10;
        a.update(now);
        b.update(now);
        while (!aToB.isEmpty() || !bToA.isEmpty()) {
          inputToB(aToB.poll());
          inputToA(bToA.poll());
        }
      }
      drain(a, true);
      drain(b, false);
      invariants(a, maxReceiveWindowA);
      invariants(b, maxReceiveWindowB);
    }

    void attack(byte[] datagram) {
      attacked = true;
      long errors = b.counters().inputErrors();
      int status = b.input(datagram, 0, datagram.length);
      assertTrue(status == 0 || status == -1 || status == -2 || status == -3, "status " + status);
      assertEquals(errors + (status < 0 ? 1 : 0), b.counters().inputErrors(), "error counted");
    }

    /**
     * Well-formed-looking segments with fields near B's state, and sometimes one bad field; or an
     * in-order run of PUSH segments from B's rcvNxt on with fragment counts of the fuzzer's choice
     * (the shape that once made recv read past its queue: frg 2, 5, 5).
     */
    byte[] forgedDatagram() {
      int segments = data.consumeInt(1, 8);
      boolean inOrderRun = data.consumeBoolean();
      int base = b.rcvNxt() + (inOrderRun ? data.consumeInt(0, 2) : 0);
      List<byte[]> parts = new ArrayList<>();
      for (int i = 0; i < segments; i++) {
        int cmd;
        int sn;
        if (inOrderRun) {
          cmd = SegmentHeader.CMD_PUSH;
          sn = base + i;
        } else {
          int cmdPick = data.consumeInt(0, 9);
          cmd = cmdPick < 4 ? SegmentHeader.CMD_PUSH + cmdPick : data.consumeByte() & 0xff;
          sn = base + (data.consumeBoolean() ? data.consumeInt(-2, 8) : data.consumeInt(-8, 600));
        }
        int frg = data.consumeBoolean() ? data.consumeInt(0, 7) : data.consumeInt(0, 255);
        int wnd = data.consumeInt(0, 65535);
        int ts = (int) now + data.consumeInt(-1000, 1000);
        int una = (data.consumeBoolean() ? b.sndUna() : b.sndNxt()) + data.consumeInt(-8, 64);
        byte[] payload = data.consumeBytes(data.consumeInt(0, 64));
        int conv = data.consumeInt(0, 15) == 0 ? data.consumeInt() : CONV;
        byte[] seg = Captured.segment(conv, cmd, frg, wnd, ts, sn, una, payload);
        if (data.consumeInt(0, 15) == 0) {
          SegmentHeader.write(seg, 0, conv, cmd, frg, wnd, ts, sn, una, data.consumeInt());
        }
        parts.add(seg);
      }
      return Captured.concat(parts.toArray(new byte[0][]));
    }

    void send(boolean fromA) {
      Kcp k = fromA ? a : b;
      int limit = Math.min(8000, stream ? 3 * k.mss() : k.maxMessageSize());
      int size = data.consumeInt(0, limit);
      long offset = fromA ? sentByA : sentByB;
      byte[] message = new byte[size];
      System.arraycopy(
          fromA ? STREAM_A : STREAM_B, (int) (offset % STREAM_PERIOD), message, 0, size);
      int queued = k.send(message, 0, size);
      assertTrue(queued >= 0 && queued <= size, "send returned " + queued);
      if (!stream) {
        assertEquals(size, queued, "message mode queues whole messages");
        (fromA ? messagesFromA : messagesFromB).add(size);
      }
      if (fromA) {
        sentByA += queued;
      } else {
        sentByB += queued;
      }
    }

    /** Moves the queued real datagrams, each delivered, dropped or duplicated, maybe reversed. */
    void deliver() {
      boolean reverse = data.consumeBoolean();
      List<byte[]> toB = drainQueue(aToB, reverse);
      List<byte[]> toA = drainQueue(bToA, reverse);
      for (byte[] d : toB) {
        int fate = data.consumeInt(0, 3);
        for (int copies = fate == 0 ? 0 : fate == 3 ? 2 : 1; copies > 0; copies--) {
          inputToB(d);
        }
      }
      for (byte[] d : toA) {
        int fate = data.consumeInt(0, 3);
        for (int copies = fate == 0 ? 0 : fate == 3 ? 2 : 1; copies > 0; copies--) {
          inputToA(d);
        }
      }
    }

    void inputToB(byte[] d) {
      if (d != null) {
        assertEquals(0, b.input(d, 0, d.length), "B rejected A's real datagram");
      }
    }

    void inputToA(byte[] d) {
      if (d != null) {
        assertEquals(0, a.input(d, 0, d.length), "A rejected B's real datagram");
      }
    }

    void checkDeadline(Kcp k) {
      long next = k.check(now);
      int ahead = (int) (next - now);
      assertTrue(ahead >= 0 && ahead <= k.interval(), "check(now) - now = " + ahead);
    }

    void reconfigure() {
      Kcp k = data.consumeBoolean() ? a : b;
      k.setWindowSize(data.consumeInt(0, 512), data.consumeInt(0, 512));
      k.setNoDelay(
          data.consumeInt(-1, 2),
          data.consumeInt(-1, 100),
          data.consumeInt(-1, 3),
          data.consumeBoolean());
      maxReceiveWindowA = Math.max(maxReceiveWindowA, a.receiveWindow());
      maxReceiveWindowB = Math.max(maxReceiveWindowB, b.receiveWindow());
    }

    /** recv until nothing whole is left, checking each result against peekSize and the data. */
    void drain(Kcp k, boolean isA) {
      while (true) {
        int expected = k.peekSize();
        int queued = k.receiveQueueSize();
        int held = queued + k.receiveBufferSize();
        int n = k.recv(RECV_BUFFER, 0, RECV_BUFFER.length);
        if (expected < 0) {
          assertEquals(queued == 0 ? Kcp.RECV_EMPTY : Kcp.RECV_INCOMPLETE, n, "recv vs peekSize");
          return;
        }
        assertEquals(expected, n, "recv returns what peekSize announced");
        assertTrue(k.receiveQueueSize() + k.receiveBufferSize() < held, "recv took segments");
        if (isA) {
          checkDelivered(n, false, deliveredToA, messagesFromB);
          deliveredToA += n;
        } else if (!attacked) {
          checkDelivered(n, true, deliveredToB, messagesFromA);
          deliveredToB += n;
        }
      }
    }

    void checkDelivered(int n, boolean fromA, long offset, Deque<Integer> messages) {
      if (!stream) {
        Integer size = messages.poll();
        assertTrue(size != null && size == n, "message of " + n + " bytes, sent " + size);
      }
      int start = (int) (offset % STREAM_PERIOD);
      int bad = Arrays.mismatch(RECV_BUFFER, 0, n, fromA ? STREAM_A : STREAM_B, start, start + n);
      if (bad >= 0) {
        throw new AssertionError("delivered a byte never sent at stream offset " + (offset + bad));
      }
    }

    void shortBuffer(Kcp k) {
      int size = k.peekSize();
      if (size <= 0) {
        return;
      }
      int queued = k.receiveQueueSize();
      assertEquals(Kcp.RECV_BUFFER_TOO_SMALL, k.recv(new byte[size - 1], 0, size - 1));
      assertEquals(queued, k.receiveQueueSize(), "a refused recv takes nothing");
      assertEquals(size, k.peekSize());
    }

    static void invariants(Kcp k, int maxReceiveWindow) {
      assertTrue(k.receiveQueueSize() <= maxReceiveWindow, "receive queue beyond the window");
      assertTrue(k.receiveBufferSize() <= maxReceiveWindow, "receive buffer beyond the window");
      int inFlight = Seq.diff(k.sndNxt(), k.sndUna());
      assertTrue(inFlight >= 0, "sndUna after sndNxt");
      assertTrue(k.sendBufferSize() <= inFlight, "send buffer beyond sndNxt - sndUna");
      assertEquals(k.sendBufferSize() + k.sendQueueSize(), k.waitSnd(), "waitSnd");
      KcpCounters c = k.counters();
      assertTrue(c.inputErrors() <= c.datagramsIn, "more errors than datagrams");
    }

    static List<byte[]> drainQueue(Deque<byte[]> q, boolean reverse) {
      List<byte[]> out = new ArrayList<>(q);
      q.clear();
      if (reverse) {
        java.util.Collections.reverse(out);
      }
      return out;
    }

    static byte payload(boolean fromA, long pos) {
      return (byte) ((pos * 7) ^ (pos >>> 8) ^ (fromA ? 0 : 0x5a));
    }

    static byte[] copy(ByteBuffer dg) {
      byte[] c = new byte[dg.remaining()];
      dg.get(c);
      return c;
    }
  }
}
