package io.kcpj.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.wire.SegmentHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Bad input never throws, is counted, and leaves the engine able to finish a healthy exchange:
 * random datagrams, real datagrams with random bytes flipped, truncated or spliced, and
 * structurally valid datagrams (right conv, known cmd, consistent lengths) whose every field is
 * hostile: sequence numbers around the receiver's next expected one, in-order PUSH runs whose
 * fragment counts disagree, acknowledgements of anything, any window.
 */
class MalformedInputProperties {
  private static final int CONV = 0x0bad_cafe;

  /**
   * One segment of a forged datagram. {@code sn}, {@code una} and {@code ts} are offsets from the
   * receiver's rcvNxt, sndUna and clock at the moment the datagram is built, so that random values
   * land where the engine looks (an absolute random sn is almost never in order).
   */
  record ForgedSegment(
      int cmd, int frg, int wnd, int snOffset, int unaOffset, int tsOffset, int len) {
    byte[] build(Kcp target, long now, int snBase) {
      byte[] data = new byte[len];
      for (int i = 0; i < len; i++) {
        data[i] = (byte) (snOffset * 31 + i);
      }
      return Captured.segment(
          CONV,
          cmd,
          frg,
          wnd,
          (int) now + tsOffset,
          snBase + snOffset,
          target.sndUna() + unaOffset,
          data);
    }
  }

  @Provide
  Arbitrary<List<List<ForgedSegment>>> forgedDatagrams() {
    Arbitrary<Integer> frg =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(0, 7)),
            Tuple.of(1, Arbitraries.integers().between(0, 255)));
    Arbitrary<Integer> wnd =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.integers().between(0, 256)),
            Tuple.of(1, Arbitraries.integers().between(0, 65535)));
    Arbitrary<ForgedSegment> anySegment =
        Combinators.combine(
                Arbitraries.frequencyOf(
                    Tuple.of(6, Arbitraries.just(SegmentHeader.CMD_PUSH)),
                    Tuple.of(2, Arbitraries.just(SegmentHeader.CMD_ACK)),
                    Tuple.of(1, Arbitraries.just(SegmentHeader.CMD_WASK)),
                    Tuple.of(1, Arbitraries.just(SegmentHeader.CMD_WINS))),
                frg,
                wnd,
                Arbitraries.integers().between(-3, 140),
                Arbitraries.integers().between(-3, 8),
                Arbitraries.integers().between(-200, 200),
                Arbitraries.integers().between(0, 40))
            .as(ForgedSegment::new);
    Arbitrary<List<ForgedSegment>> randomSegments = anySegment.list().ofMinSize(1).ofMaxSize(6);
    // In-order PUSH runs from rcvNxt on (offset 0, 1, 2, ...) with independent fragment counts:
    // the shape of the datagram that made Kcp.recv read past its queue (frg 2, 5, 5).
    Arbitrary<List<ForgedSegment>> inOrderRun =
        Combinators.combine(
                frg.list().ofMinSize(1).ofMaxSize(8),
                wnd,
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 20))
            .as(
                (frgs, w, start, len) -> {
                  List<ForgedSegment> run = new ArrayList<>();
                  for (int i = 0; i < frgs.size(); i++) {
                    run.add(
                        new ForgedSegment(
                            SegmentHeader.CMD_PUSH, frgs.get(i), w, start + i, 0, 0, len));
                  }
                  return run;
                });
    return Arbitraries.frequencyOf(Tuple.of(1, randomSegments), Tuple.of(1, inOrderRun))
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  /**
   * Structurally valid hostile datagrams, mixed into a real conversation: the engine never throws,
   * {@code peekSize} always predicts what {@code recv} returns, queues stay within the receive
   * window, and every input is accepted (the datagrams are well-formed, so status 0).
   */
  @Property(tries = 1000, seed = "1212")
  void structurallyValidHostileDatagramsKeepTheEngineConsistent(
      @ForAll("forgedDatagrams") List<List<ForgedSegment>> datagrams,
      @ForAll @IntRange(min = 0, max = 3000) int realMessageSize,
      @ForAll boolean streamMode) {
    List<byte[]> aToB = new ArrayList<>();
    List<byte[]> bToA = new ArrayList<>();
    Kcp a = new Kcp(CONV, dg -> aToB.add(copy(dg)));
    Kcp b = new Kcp(CONV, dg -> bToA.add(copy(dg)));
    for (Kcp k : new Kcp[] {a, b}) {
      k.setNoDelay(1, 10, 2, true);
      k.setStreamMode(streamMode);
    }
    byte[] buf = new byte[b.receiveWindow() * b.mss() + 1];
    long now = 0;
    for (List<ForgedSegment> forged : datagrams) {
      // Real traffic both ways, so that forged segments meet real ones in the queues.
      a.send(new byte[realMessageSize], 0, realMessageSize);
      b.send(new byte[realMessageSize / 2], 0, realMessageSize / 2);
      now += 10;
      a.update(now);
      b.update(now);
      int snBase = b.rcvNxt();
      List<byte[]> parts = new ArrayList<>();
      for (ForgedSegment seg : forged) {
        parts.add(seg.build(b, now, snBase));
      }
      byte[] dg = Captured.concat(parts.toArray(new byte[0][]));
      assertEquals(Kcp.INPUT_OK, b.input(dg, 0, dg.length), "a well-formed datagram is accepted");
      for (byte[] real : aToB) {
        b.input(real, 0, real.length);
      }
      aToB.clear();
      for (byte[] real : bToA) {
        a.input(real, 0, real.length);
      }
      bToA.clear();
      drainChecked(b, buf);
      drainChecked(a, buf);
    }
  }

  /** recv until nothing whole is left, checking peekSize and the queue bounds at every call. */
  private static void drainChecked(Kcp k, byte[] buf) {
    while (true) {
      assertTrue(k.receiveQueueSize() <= k.receiveWindow(), "receive queue within the window");
      assertTrue(k.receiveBufferSize() <= k.receiveWindow(), "receive buffer within the window");
      int expected = k.peekSize();
      int queued = k.receiveQueueSize();
      int held = queued + k.receiveBufferSize();
      int n = k.recv(buf, 0, buf.length);
      if (expected < 0) {
        assertEquals(queued == 0 ? Kcp.RECV_EMPTY : Kcp.RECV_INCOMPLETE, n);
        return;
      }
      assertEquals(expected, n, "recv returns what peekSize announced");
      // recv takes at least one segment; the move from buffer to queue keeps the sum.
      assertTrue(k.receiveQueueSize() + k.receiveBufferSize() < held, "recv took segments");
    }
  }

  @Property(tries = 1000, seed = "42")
  void anyBytesNeverThrowAreCountedAndLeaveOtherSessionsWorking(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int garbageDatagrams) {
    SplittableRandom r = new SplittableRandom(seed);
    List<byte[]> aToB = new ArrayList<>();
    List<byte[]> bToA = new ArrayList<>();
    Kcp a = new Kcp(CONV, KcpConfig.fast(), dg -> aToB.add(copy(dg)));
    Kcp b = new Kcp(CONV, KcpConfig.fast(), dg -> bToA.add(copy(dg)));

    // Real traffic to mutate: a few messages, some fragmented.
    byte[][] warmup = {new byte[10], new byte[2000], new byte[0]};
    for (byte[] m : warmup) {
      a.send(m, 0, m.length);
    }
    a.update(0);
    b.update(0);
    List<byte[]> samples = new ArrayList<>(aToB);

    long errorsBefore = b.counters().inputErrors();
    int rejected = 0;
    for (int i = 0; i < garbageDatagrams; i++) {
      byte[] g = garbage(r, samples);
      int status = b.input(g, 0, g.length);
      assertTrue(status <= 0 && status >= -3, "status " + status);
      if (status < 0) {
        rejected++;
      }
      b.update(i);
      a.update(i);
    }
    assertEquals(rejected, b.counters().inputErrors() - errorsBefore, "every rejection counted");

    // KCP has no checksum: random bytes that happen to form valid segments of this conv are
    // indistinguishable from data (kcp-go adds CRC32 with its crypto layer). So the session hit by
    // arbitrary garbage only has to survive and keep counting; a healthy exchange of another
    // conversation through the same input path must complete. The next property checks that
    // structurally invalid garbage leaves the same session fully intact.
    aToB.clear();
    bToA.clear();
    byte[] ping = new byte[300];
    r.nextBytes(ping);
    Kcp c = new Kcp(CONV + 1, KcpConfig.fast(), dg -> aToB.add(copy(dg)));
    Kcp d = new Kcp(CONV + 1, KcpConfig.fast(), dg -> bToA.add(copy(dg)));
    // The garbage-hit engine b keeps running and must not throw while pumping on.
    for (int t = 0; t < 200; t += 10) {
      b.update(1000 + t);
    }
    c.send(ping, 0, ping.length);
    byte[] got = new byte[400];
    int n = -1;
    for (int t = 0; t < 2000 && n < 0; t += 10) {
      c.update(t);
      for (byte[] dg : aToB) {
        d.input(dg, 0, dg.length);
        // the same datagram also reaches the garbage-hit engine: wrong conv, counted, no throw
        assertEquals(Kcp.INPUT_BAD_HEADER, b.input(dg, 0, dg.length));
      }
      aToB.clear();
      d.update(t);
      for (byte[] dg : bToA) {
        c.input(dg, 0, dg.length);
      }
      bToA.clear();
      n = d.recv(got, 0, got.length);
    }
    assertEquals(ping.length, n);
    assertArrayEquals(ping, java.util.Arrays.copyOf(got, n));
  }

  @Property(tries = 300, seed = "7")
  void garbageAfterRealTrafficDoesNotBreakTheSameSession(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<byte[]> aToB = new ArrayList<>();
    List<byte[]> bToA = new ArrayList<>();
    Kcp a = new Kcp(CONV, KcpConfig.fast(), dg -> aToB.add(copy(dg)));
    Kcp b = new Kcp(CONV, KcpConfig.fast(), dg -> bToA.add(copy(dg)));
    List<byte[]> sent = new ArrayList<>();
    List<byte[]> got = new ArrayList<>();
    byte[] buf = new byte[a.maxMessageSize()];
    for (int t = 0; t < 20_000 && got.size() < 50; t += 10) {
      if (sent.size() < 50) {
        byte[] m = new byte[r.nextInt(3000)];
        r.nextBytes(m);
        sent.add(m);
        a.send(m, 0, m.length);
      }
      a.update(t);
      for (byte[] dg : aToB) {
        // Garbage that cannot look like a valid segment of this conversation: wrong conv, bad
        // cmd, short, or a length running past the end.
        byte[] g = structurallyInvalid(r, dg);
        assertTrue(b.input(g, 0, g.length) < 0);
        b.input(dg, 0, dg.length);
      }
      aToB.clear();
      b.update(t);
      for (byte[] dg : bToA) {
        a.input(dg, 0, dg.length);
      }
      bToA.clear();
      int n;
      while ((n = b.recv(buf, 0, buf.length)) >= 0) {
        got.add(java.util.Arrays.copyOf(buf, n));
      }
    }
    assertEquals(sent.size(), got.size());
    for (int i = 0; i < sent.size(); i++) {
      assertArrayEquals(sent.get(i), got.get(i));
    }
    assertTrue(b.counters().inputErrors() > 0);
  }

  private static byte[] structurallyInvalid(SplittableRandom r, byte[] real) {
    byte[] g = real.clone();
    switch (r.nextInt(4)) {
      case 0:
        g[SegmentHeader.CONV_OFFSET] ^= (byte) (1 + r.nextInt(255));
        return g;
      case 1:
        g[SegmentHeader.CMD_OFFSET] =
            (byte) (r.nextBoolean() ? r.nextInt(81) : 85 + r.nextInt(171));
        return g;
      case 2:
        return java.util.Arrays.copyOf(g, r.nextInt(SegmentHeader.HEADER_SIZE));
      default:
        int len = (int) SegmentHeader.len(g, 0);
        SegmentHeader.write(
            g, 0, CONV, SegmentHeader.cmd(g, 0), 0, 128, 0, 0, 0, len + 1 + r.nextInt(1 << 20));
        return java.util.Arrays.copyOf(g, SegmentHeader.HEADER_SIZE + len);
    }
  }

  private static byte[] garbage(SplittableRandom r, List<byte[]> samples) {
    switch (r.nextInt(4)) {
      case 0:
        { // pure random bytes
          byte[] g = new byte[r.nextInt(1500)];
          r.nextBytes(g);
          return g;
        }
      case 1:
        { // a real datagram with bytes flipped
          byte[] g = samples.get(r.nextInt(samples.size())).clone();
          for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
            g[r.nextInt(g.length)] ^= (byte) (1 + r.nextInt(255));
          }
          return g;
        }
      case 2:
        { // truncated
          byte[] g = samples.get(r.nextInt(samples.size()));
          return java.util.Arrays.copyOf(g, r.nextInt(g.length + 1));
        }
      default:
        { // our conv with random header fields and random length
          byte[] g = new byte[SegmentHeader.HEADER_SIZE + r.nextInt(64)];
          r.nextBytes(g);
          SegmentHeader.write(
              g,
              0,
              CONV,
              81 + r.nextInt(4),
              r.nextInt(256),
              r.nextInt(65536),
              r.nextInt(),
              r.nextInt(),
              r.nextInt(),
              r.nextInt());
          return g;
        }
    }
  }

  private static byte[] copy(ByteBuffer dg) {
    byte[] c = new byte[dg.remaining()];
    dg.get(c);
    return c;
  }
}
