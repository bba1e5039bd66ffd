package io.kcpj.netem.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.random.Xoshiro256;
import org.junit.jupiter.api.Test;

/** The closed forms of netem-sim/MODELS.md, and the exact behaviour of the deterministic parts. */
class LossModelFormulaTest {

  @Test
  void gilbertElliottExampleFromModelsMd() {
    // MODELS.md's example: p = 0.01, r = 0.3 (simple Gilbert) -> 3.23 % loss, mean burst 3.34 (1/r
    // = 3.33).
    GilbertElliottLoss ge = GilbertElliottLoss.of(0.01, 0.3, 0.0, 1.0);
    assertEquals(0.0323, ge.lossRate(), 0.00005);
    assertEquals(1 / 0.3, ge.meanBurstLength(), 1e-12);
  }

  @Test
  void simpleGilbertSolvesForLossAndBurst() {
    GilbertElliottLoss ge = GilbertElliottLoss.simple(0.05, 4);
    assertEquals(0.25, ge.r(), 1e-15);
    assertEquals(0.05 * 0.25 / 0.95, ge.p(), 1e-15);
    assertEquals(0.05, ge.lossRate(), 1e-12);
    assertEquals(4, ge.meanBurstLength(), 1e-9);
  }

  @Test
  void gilbertElliottTcDefaultsAreBernoulli() {
    // tc defaults when only p is given: r = 1-p, 1-h = 1, 1-k = 0.
    GilbertElliottLoss ge = GilbertElliottLoss.ofTc(0.02, 0.98, 1.0, 0.0);
    assertEquals(0.02, ge.lossRate(), 1e-15);
    assertEquals(BernoulliLoss.of(0.02).meanBurstLength(), ge.meanBurstLength(), 1e-12);
  }

  @Test
  void fourStateExampleFromModelsMd() {
    FourStateLoss f = FourStateLoss.of(0.01, 0.3, 0.2, 0.4, 0.005);
    assertEquals(0.0363, f.lossRate(), 0.00005);
    double[] pi = f.stationary();
    assertEquals(1.0, pi[0] + pi[1] + pi[2] + pi[3], 1e-12);
  }

  @Test
  void fourStateDefaultsAreTcs() {
    FourStateLoss f = FourStateLoss.of(0.1);
    assertEquals(0.9, f.p31(), 1e-15);
    assertEquals(0.0, f.p32());
    assertEquals(1.0, f.p23());
    assertEquals(0.0, f.p14());
    // With p31 = 1 - p13 the chain's next state does not depend on 1 vs 3: Bernoulli(p13).
    assertEquals(0.1, f.lossRate(), 1e-12);
  }

  @Test
  void shuffleBagLosesExactlyItsShareOfEveryBag() {
    LossState s = ShuffleBagLoss.percent(5).newState();
    Xoshiro256 r = Xoshiro256.seeded(9);
    for (int bag = 0; bag < 1000; bag++) {
      int lost = 0;
      for (int i = 0; i < 100; i++) {
        lost += s.lose(r) ? 1 : 0;
      }
      assertEquals(5, lost, "bag " + bag);
    }
  }

  @Test
  void shuffleBagPositionsVary() {
    // The losses must not sit at fixed positions: over 1000 bags, each position of the 100 is
    // hit 50 times on average; at least 90 distinct positions must be seen.
    LossState s = ShuffleBagLoss.percent(5).newState();
    Xoshiro256 r = Xoshiro256.seeded(10);
    boolean[] seen = new boolean[100];
    for (int i = 0; i < 100_000; i++) {
      if (s.lose(r)) {
        seen[i % 100] = true;
      }
    }
    int distinct = 0;
    for (boolean b : seen) {
      distinct += b ? 1 : 0;
    }
    assertTrue(distinct >= 90, "distinct positions " + distinct);
  }

  @Test
  void invalidParametersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> BernoulliLoss.of(1.5));
    assertThrows(IllegalArgumentException.class, () -> GilbertElliottLoss.of(-0.1, 0.3, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> FourStateLoss.of(0.6, 0.5, 0, 1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> ShuffleBagLoss.percent(101));
    assertThrows(IllegalArgumentException.class, () -> GilbertElliottLoss.simple(0.5, 0.5));
  }

  @Test
  void specsAreStable() {
    assertEquals("ge:0.01:0.3:1:0", GilbertElliottLoss.of(0.01, 0.3, 0, 1).toSpec());
    assertEquals("bag:5", ShuffleBagLoss.percent(5).toSpec());
    assertEquals("bernoulli:0.01", BernoulliLoss.of(0.01).toSpec());
    assertEquals(
        "4state:0.01:0.3:0.2:0.4:0.005", FourStateLoss.of(0.01, 0.3, 0.2, 0.4, 0.005).toSpec());
    assertEquals("none", NoLoss.INSTANCE.toSpec());
  }
}
