package io.kcpj.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.wire.SegmentHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Bad input never throws, is counted, and leaves the engine able to finish a healthy exchange:
 * random datagrams, and real datagrams with random bytes flipped, truncated or spliced.
 */
class MalformedInputProperties {
  private static final int CONV = 0x0bad_cafe;

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
