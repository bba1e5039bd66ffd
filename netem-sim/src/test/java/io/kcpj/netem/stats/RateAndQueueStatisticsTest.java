package io.kcpj.netem.stats;

import static io.kcpj.netem.stats.Tolerance.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.link.Harness;
import io.kcpj.netem.log.Fate;
import io.kcpj.netem.log.FateRecord;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.rate.QueueLimit;
import io.kcpj.netem.rate.RateLimit;
import io.kcpj.netem.time.TimeUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The rate limit's throughput and the queue's tail drops. */
class RateAndQueueStatisticsTest {
  private static final long MS = TimeUnits.NANOS_PER_MILLI;

  /**
   * Saturated: 100,000 packets of random size (64..1500 B) every 0.5 ms (about 13 Mbit/s) into 10
   * Mbit/s with 28 B overhead and a jittered delay. Every departure must follow the formula of
   * netem-sim/MODELS.md exactly, {@code t_i = max(offer_i + delay_i, t_{i-1}) + wire_i / rate}, and
   * the bits delivered over any stretch of the busy period must equal rate × time to within one
   * packet.
   */
  @Test
  void saturatedThroughputIsTheRate() {
    RateLimit rate = RateLimit.bitsPerSecond(10_000_000).withOverhead(28);
    List<long[]> log = new ArrayList<>();
    Profile profile =
        Profile.builder()
            .up(
                DirectionProfile.builder()
                    .delay(DelayModel.uniform(5 * MS, 2 * MS))
                    .rate(rate)
                    .build())
            .build();
    Harness h =
        new Harness(
            profile,
            1,
            (FateRecord r) ->
                log.add(new long[] {r.timeNanos(), r.delayNanos(), r.deliverNanos(), r.size()}));
    SplittableRandom sizes = new SplittableRandom(77);
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      h.offerAt(i * MS / 2, 64 + sizes.nextInt(1437));
    }
    h.drain();
    assertEquals(n, h.delivered.size());
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long[] r = log.get(i);
      long expected = Math.max(r[0] + r[1], previous) + rate.transmitNanos((int) r[3]);
      assertEquals(expected, r[2], "departure of packet " + i);
      assertEquals(expected, h.delivered.get(i).at(), "delivery of packet " + i);
      previous = expected;
    }
    // From packet 1000 on the queue never empties: delivered wire bits = rate x elapsed time,
    // up to the per-packet rounding down of transmission times (< 1 ns each) and one packet.
    long bits = 0;
    for (int i = 1001; i < n; i++) {
      bits += (h.delivered.get(i).probe().size() + 28) * 8L;
    }
    double seconds = (h.delivered.get(n - 1).at() - h.delivered.get(1000).at()) / 1e9;
    double expectedBits = rate.bitsPerSecond() * seconds;
    assertTrue(
        Math.abs(bits - expectedBits) <= 1528 * 8 + n * 1e-9 * rate.bitsPerSecond(),
        "bits " + bits + " vs " + expectedBits);
  }

  /**
   * D/D/1/K: 1000-byte packets every 1 ms into 4 Mbit/s (2 ms each) with a 10-packet queue. Once
   * the queue is full, a departure at every even millisecond makes room for the arrival at that
   * instant (departures due at a time run before an arrival at that time) and the arrival at every
   * odd millisecond finds the queue full: exactly every second packet is tail-dropped.
   */
  @Test
  void deterministicOverloadDropsEveryOtherPacket() {
    Harness h =
        new Harness(
            DirectionProfile.builder()
                .rate(RateLimit.bitsPerSecond(4_000_000))
                .queue(QueueLimit.packets(10))
                .build(),
            1);
    for (int k = 0; k < 10_000; k++) {
      Fate f = h.offerAt(k * MS, 1000);
      if (k >= 100) {
        assertEquals(k % 2 == 0 ? Fate.DELIVERED : Fate.QUEUE_FULL, f, "arrival " + k);
      }
    }
    assertEquals(10, h.up.stats().queueHighWaterPackets());
    assertEquals(10_000, h.up.stats().queueHighWaterBytes());
  }

  /**
   * M/M/1/K: Poisson arrivals (λ = 900/s) of geometric sizes (mean 500 B, so service times of 2 µs
   * per byte at 4 Mbit/s are exponential to within the 2 µs step, mean 1 ms, ρ = 0.9) into a queue
   * of K = 10 packets (the one being sent included, as netem's limit). Blocking probability {@code
   * (1-ρ)ρ^K / (1-ρ^(K+1))} = 5.08 %. Drops are correlated in time, so the standard error is
   * estimated by batch means: 100 batches of 2,000 arrivals (each 2.2 s, far longer than the
   * queue's relaxation time of a few tens of milliseconds).
   */
  @Test
  void poissonOverloadBlockingMatchesMm1k() {
    int k = 10;
    double lambda = 900;
    double meanSize = 500;
    Harness h =
        new Harness(
            DirectionProfile.builder()
                .rate(RateLimit.bitsPerSecond(4_000_000))
                .queue(QueueLimit.packets(k))
                .build(),
            1);
    SplittableRandom rnd = new SplittableRandom(2024);
    // Geometric size with mean 500: ceil(Exp(beta)) with beta = -1/ln(1 - 1/500).
    double beta = -1 / Math.log(1 - 1 / meanSize);
    int batches = 100;
    int perBatch = 2000;
    double[] fractions = new double[batches];
    double t = 0;
    long dropped = 0;
    for (int b = 0; b < batches; b++) {
      int batchDrops = 0;
      for (int i = 0; i < perBatch; i++) {
        t += -Math.log(1 - rnd.nextDouble()) / lambda;
        int size = (int) Math.ceil(-Math.log(1 - rnd.nextDouble()) * beta);
        size = Math.max(size, 1);
        if (h.offerAt((long) (t * 1e9), size) == Fate.QUEUE_FULL) {
          batchDrops++;
        }
      }
      fractions[b] = batchDrops / (double) perBatch;
      dropped += batchDrops;
    }
    double rho = lambda * meanSize * 8 / 4_000_000;
    double expected = (1 - rho) * Math.pow(rho, k) / (1 - Math.pow(rho, k + 1));
    double mean = dropped / (double) (batches * perBatch);
    double var = 0;
    for (double f : fractions) {
      var += (f - mean) * (f - mean);
    }
    double se = Math.sqrt(var / (batches - 1) / batches);
    assertWithin("M/M/1/K blocking", expected, mean, se);
    assertEquals(dropped, h.up.stats().droppedQueue());
  }
}
