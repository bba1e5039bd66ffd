package io.kcpj.netem.stats;

import static io.kcpj.netem.stats.Tolerance.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.Reorder;
import io.kcpj.netem.link.Harness;
import io.kcpj.netem.link.LinkStats;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.time.TimeUnits;
import org.junit.jupiter.api.Test;

/**
 * Reorder, duplicate and corrupt rates against their formulas over 200,000 packets.
 *
 * <p>Duplicate and corrupt decisions are independent per packet: binomial standard errors. The
 * reorder model is a renewal process: a cycle is {@code gap - 1} normal packets then a geometric
 * number of trials (mean {@code 1/p}, variance {@code (1-p)/p²}) ending with the reordered packet,
 * so the count of reordered packets in {@code n} has variance {@code n·Var(C)/E(C)³} (the renewal
 * central limit theorem) around {@code n/E(C)}, {@code E(C) = gap - 1 + 1/p}.
 */
class ImpairmentStatisticsTest {
  private static final int N = 200_000;
  private static final long MS = TimeUnits.NANOS_PER_MILLI;

  private static LinkStats run(DirectionProfile profile, long seed) {
    Harness h = new Harness(profile, seed);
    for (int i = 0; i < N; i++) {
      h.offerAt(i * MS, 100);
    }
    h.drain();
    return h.up.stats();
  }

  private static void checkReorder(double p, int gap, long seed) {
    Reorder reorder = Reorder.of(p, gap);
    LinkStats s =
        run(
            DirectionProfile.builder().delay(DelayModel.constant(10 * MS)).reorder(reorder).build(),
            seed);
    double cycleMean = gap - 1 + 1 / p;
    double cycleVariance = (1 - p) / (p * p);
    double se = Math.sqrt(cycleVariance / (N * Math.pow(cycleMean, 3)));
    assertEquals(1 / cycleMean, reorder.rate(), 1e-15);
    assertWithin("reorder " + p + " gap " + gap, reorder.rate(), s.reordered() / (double) N, se);
    // Each reordered packet overtakes the ~10 packets still in flight.
    assertTrue(s.deliveredOutOfOrder() >= s.reordered());
  }

  @Test
  void reorderWithoutGap() {
    checkReorder(0.1, 1, 1);
  }

  @Test
  void reorderWithGap() {
    checkReorder(0.25, 5, 2);
  }

  @Test
  void duplicate() {
    double p = 0.05;
    LinkStats s =
        run(
            DirectionProfile.builder()
                .delay(DelayModel.uniform(20 * MS, 5 * MS))
                .duplicate(p)
                .build(),
            3);
    assertWithin(
        "duplicate rate", p, s.duplicated() / (double) N, Tolerance.binomialStandardError(p, N));
    assertEquals(N + s.duplicated(), s.deliveredPackets());
  }

  @Test
  void corrupt() {
    double p = 0.01;
    LinkStats s = run(DirectionProfile.builder().corrupt(p).build(), 4);
    assertWithin(
        "corrupt rate", p, s.corrupted() / (double) N, Tolerance.binomialStandardError(p, N));
    assertEquals(N, s.deliveredPackets());
  }
}
