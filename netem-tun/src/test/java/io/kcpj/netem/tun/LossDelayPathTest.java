package io.kcpj.netem.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossDelayPathTest {

  /** Records deliveries; copies the bytes as a real sink would. */
  static final class RecordingSink implements PacketSink {
    final List<byte[]> packets = new ArrayList<>();
    final List<byte[]> arrays = new ArrayList<>();

    @Override
    public boolean deliver(byte[] packet, int offset, int length) {
      byte[] copy = new byte[length];
      System.arraycopy(packet, offset, copy, 0, length);
      packets.add(copy);
      arrays.add(packet);
      return true;
    }
  }

  private static byte[] packet(int id) {
    return new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 0x55};
  }

  private static int id(byte[] p) {
    return ((p[0] & 0xff) << 24) | ((p[1] & 0xff) << 16) | ((p[2] & 0xff) << 8) | (p[3] & 0xff);
  }

  @Test
  void lossRateIsWithinFiveSigmaOfTheConfiguredProbability() {
    int n = 200_000;
    double p = 0.02;
    LossDelayPath path = new LossDelayPath(p, Duration.ZERO, 7);
    RecordingSink sink = new RecordingSink();
    for (int i = 0; i < n; i++) {
      path.offer(packet(i), 5, i, sink);
    }
    double sigma = Math.sqrt(p * (1 - p) / n);
    double measured = (double) path.lost() / n;
    assertTrue(
        Math.abs(measured - p) < 5 * sigma,
        "measured loss " + measured + " vs " + p + " ± " + 5 * sigma);
    assertEquals(n, path.offered());
    assertEquals(n - path.lost(), sink.packets.size());
    assertEquals(sink.packets.size(), path.delivered());
  }

  @Test
  void sameSeedGivesSameFatesAndADifferentSeedDoesNot() {
    List<Integer> first = survivors(11);
    assertEquals(first, survivors(11));
    assertNotEquals(first, survivors(12));
  }

  private static List<Integer> survivors(long seed) {
    LossDelayPath path = new LossDelayPath(0.1, Duration.ZERO, seed);
    RecordingSink sink = new RecordingSink();
    for (int i = 0; i < 2_000; i++) {
      path.offer(packet(i), 5, 0, sink);
    }
    List<Integer> ids = new ArrayList<>();
    sink.packets.forEach(b -> ids.add(id(b)));
    return ids;
  }

  @Test
  void delaysEveryPacketByExactlyTheConfiguredTimeInOrder() {
    long delay = Duration.ofMillis(20).toNanos();
    LossDelayPath path = new LossDelayPath(0.0, Duration.ofMillis(20), 1);
    RecordingSink sink = new RecordingSink();
    long t0 = 1_000_000_000L;
    assertEquals(Long.MAX_VALUE, path.nextDueNanos());
    byte[] first = packet(1);
    path.offer(first, 5, t0, sink);
    path.offer(packet(2), 5, t0 + 5, sink);
    assertEquals(t0 + delay, path.nextDueNanos());

    path.runDue(t0 + delay - 1, sink);
    assertTrue(sink.packets.isEmpty(), "nothing may leave before its time");
    path.runDue(t0 + delay, sink);
    assertEquals(1, sink.packets.size());
    assertSame(first, sink.arrays.get(0), "the offered array is passed on, not copied");
    assertEquals(t0 + 5 + delay, path.nextDueNanos());
    path.runDue(t0 + 10 * delay, sink);
    assertEquals(List.of(1, 2), List.of(id(sink.packets.get(0)), id(sink.packets.get(1))));
    assertEquals(Long.MAX_VALUE, path.nextDueNanos());
    assertEquals(0, path.queued());
  }

  @Test
  void handlesNanoTimeWrapAround() {
    LossDelayPath path = new LossDelayPath(0.0, Duration.ofMillis(1), 1);
    RecordingSink sink = new RecordingSink();
    long now = Long.MAX_VALUE - 10; // due time overflows to negative
    path.offer(packet(1), 5, now, sink);
    path.runDue(now + 1, sink);
    assertTrue(sink.packets.isEmpty());
    path.runDue(now + Duration.ofMillis(1).toNanos(), sink);
    assertEquals(1, sink.packets.size());
  }

  @Test
  void aFullQueueDropsAndCounts() {
    LossDelayPath path = new LossDelayPath(0.0, Duration.ofSeconds(1), 1, 3);
    RecordingSink sink = new RecordingSink();
    for (int i = 0; i < 5; i++) {
      path.offer(packet(i), 5, 0, sink);
    }
    assertEquals(3, path.queued());
    assertEquals(2, path.overflowed());
    path.runDue(Duration.ofSeconds(1).toNanos(), sink);
    assertEquals(3, sink.packets.size());
  }

  @Test
  void zeroDelayDeliversFromOfferAndPassThroughIsTheIdentity() {
    RecordingSink sink = new RecordingSink();
    new LossDelayPath(0.0, Duration.ZERO, 1).offer(packet(9), 5, 0, sink);
    new PassThroughPath().offer(packet(10), 4, 0, sink);
    assertEquals(2, sink.packets.size());
    assertArrayEquals(packet(9), sink.packets.get(0));
    assertArrayEquals(new byte[] {0, 0, 0, 10}, sink.packets.get(1));
  }

  @Test
  void rejectsBadConfiguration() {
    assertThrows(IllegalArgumentException.class, () -> new LossDelayPath(-0.1, Duration.ZERO, 1));
    assertThrows(IllegalArgumentException.class, () -> new LossDelayPath(1.1, Duration.ZERO, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new LossDelayPath(Double.NaN, Duration.ZERO, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new LossDelayPath(0.1, Duration.ofMillis(-1), 1));
    assertThrows(IllegalArgumentException.class, () -> new LossDelayPath(0.1, Duration.ZERO, 1, 0));
  }
}
