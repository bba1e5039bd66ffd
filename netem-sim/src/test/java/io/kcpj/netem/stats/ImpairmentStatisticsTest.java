package io.kcpj.netem.stats;

import static io.kcpj.netem.stats.Tolerance.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.Reorder;
import io.kcpj.netem.link.Harness;
import io.kcpj.netem.link.LinkStats;
import io.kcpj.netem.link.Outcome;
import io.kcpj.netem.log.Fate;
import io.kcpj.netem.loss.BernoulliLoss;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.time.TimeUnits;
import org.junit.jupiter.api.Test;

/**
 * Reorder, duplicate (alone and with loss) and corrupt rates against their formulas over 200,000
 * packets.
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

  /**
   * Duplicate and loss together, as netem: the loss draw of a duplicated packet cancels its copy
   * (the original goes on alone) and a copy that was made takes a loss draw of its own. With
   * duplicate {@code d} and loss {@code p}, per offered packet: the original arrives with
   * probability {@code 1 - p(1 - d)}, nothing arrives with {@code p(1 - d)}, a copy arrives with
   * {@code d(1 - p)²} and a copy is lost (cancelled or on its own draw) with {@code d·p(2 - p)}.
   * Each is a per-packet indicator of independent draws: binomial standard errors over 200,000
   * offers, read from {@code offer}'s outcomes and checked against the sink.
   */
  private static void checkDuplicateAndLoss(double d, double p, long seed) {
    Harness h =
        new Harness(
            DirectionProfile.builder()
                .delay(DelayModel.uniform(20 * MS, 5 * MS))
                .duplicate(d)
                .loss(BernoulliLoss.of(p))
                .build(),
            seed);
    long originals = 0;
    long nothing = 0;
    long copiesDelivered = 0;
    long copiesLost = 0;
    long deliveries = 0;
    for (int i = 0; i < N; i++) {
      Outcome o = h.offer(i * MS, 100);
      originals += o.fate() == Fate.DELIVERED ? 1 : 0;
      nothing += o.deliveries() == 0 ? 1 : 0;
      copiesDelivered += o.copyFate() == Fate.DELIVERED ? 1 : 0;
      copiesLost += o.copyFate() == Fate.LOST ? 1 : 0;
      deliveries += o.deliveries();
    }
    h.drain();
    assertEquals(deliveries, h.delivered.size(), "the outcomes count every delivery");
    long copiesSeen = h.delivered.stream().filter(x -> x.probe().copy()).count();
    assertEquals(copiesDelivered, copiesSeen);
    LinkStats s = h.up.stats();
    assertEquals(s.offeredPackets() + s.duplicated(), s.deliveredPackets() + s.dropped());
    String what = " (duplicate " + d + ", loss " + p + ")";
    checkRate("original delivered" + what, 1 - p * (1 - d), originals);
    checkRate("nothing delivered" + what, p * (1 - d), nothing);
    checkRate("copy delivered" + what, d * (1 - p) * (1 - p), copiesDelivered);
    checkRate("copy lost" + what, d * p * (2 - p), copiesLost);
  }

  private static void checkRate(String what, double expected, long count) {
    if (expected == 0 || expected == 1) {
      assertEquals(expected * N, count, 0.0, what);
      return;
    }
    assertWithin(what, expected, count / (double) N, Tolerance.binomialStandardError(expected, N));
  }

  /**
   * The case: at 50 % loss every packet duplicated still arrives (netem-sim lost 24.9 %).
   */
  @Test
  void duplicateAndLossCancelTheCopyNotTheOriginal() {
    checkDuplicateAndLoss(1.0, 0.5, 5);
  }

  @Test
  void duplicateAndLossMixed() {
    checkDuplicateAndLoss(0.3, 0.2, 6);
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
