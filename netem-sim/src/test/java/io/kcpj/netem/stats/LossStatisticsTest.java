package io.kcpj.netem.stats;

import static io.kcpj.netem.stats.Tolerance.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kcpj.netem.Direction;
import io.kcpj.netem.link.Link;
import io.kcpj.netem.link.PacketAdapter;
import io.kcpj.netem.log.Fate;
import io.kcpj.netem.loss.BernoulliLoss;
import io.kcpj.netem.loss.FourStateLoss;
import io.kcpj.netem.loss.GilbertElliottLoss;
import io.kcpj.netem.loss.LossModel;
import io.kcpj.netem.loss.ShuffleBagLoss;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.VirtualScheduler;
import org.junit.jupiter.api.Test;

/**
 * Each loss model, run through a link, against its formula: loss rate and mean burst length.
 *
 * <p>Standard errors. Bernoulli: the binomial {@code sqrt(p(1-p)/n)}. Markov models: the loss
 * indicators are correlated, so the standard error of the loss rate is {@code sqrt(σ²/n)} with
 * {@code σ²} the asymptotic variance of the chain (variance plus twice the sum of the
 * autocovariances, {@link MarkovMoments}), and the standard error of the mean burst length (losses
 * / burst ends) comes from the delta method for a ratio on the chain of consecutive pairs. The
 * tolerance is 5 standard errors ({@link Tolerance}).
 */
class LossStatisticsTest {

  /** The fates of {@code n} packets offered to the A→B direction of a link with {@code model}. */
  private static boolean[] lossSequence(LossModel model, int n, long seed) {
    VirtualScheduler clock = new VirtualScheduler();
    Link<byte[]> link =
        Link.builder(clock, PacketAdapter.byteArrays())
            .profile(Profile.symmetric(DirectionProfile.builder().loss(model).build()))
            .seed(seed)
            .sink(Direction.A_TO_B, (p, now) -> {})
            .sink(Direction.B_TO_A, (p, now) -> {})
            .build();
    byte[] packet = new byte[100];
    boolean[] lost = new boolean[n];
    for (int i = 0; i < n; i++) {
      clock.runUntil(i * 1000L);
      lost[i] = link.aToB().offer(packet, i * 1000L).fate() == Fate.LOST;
    }
    clock.runUntilIdle();
    assertEquals(n, link.aToB().stats().droppedLoss() + link.aToB().stats().deliveredPackets());
    return lost;
  }

  private static double lossRate(boolean[] lost) {
    long c = 0;
    for (boolean b : lost) {
      c += b ? 1 : 0;
    }
    return c / (double) lost.length;
  }

  /** Losses divided by burst ends (a loss followed by a delivery), over the first n-1 pairs. */
  private static double meanBurst(boolean[] lost) {
    long losses = 0;
    long ends = 0;
    for (int i = 0; i + 1 < lost.length; i++) {
      if (lost[i]) {
        losses++;
        if (!lost[i + 1]) {
          ends++;
        }
      }
    }
    return losses / (double) ends;
  }

  /** The indicator of a loss for each state of a pair chain whose state loss flags are given. */
  private static double[][] pairIndicators(boolean[] lossyState) {
    int n = lossyState.length;
    double[] loss = new double[n * n];
    double[] end = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        loss[i * n + j] = lossyState[i] ? 1 : 0;
        end[i * n + j] = lossyState[i] && !lossyState[j] ? 1 : 0;
      }
    }
    return new double[][] {loss, end};
  }

  @Test
  void bernoulli() {
    double p = 0.03;
    int n = 200_000;
    boolean[] lost = lossSequence(BernoulliLoss.of(p), n, 1);
    assertWithin("Bernoulli loss rate", p, lossRate(lost), Tolerance.binomialStandardError(p, n));
    // Bursts of independent losses are geometric: mean 1/(1-p). Standard error from the iid
    // chain (rows equal) by the same ratio delta method as the Markov models.
    double[][] chain = {{1 - p, p}, {1 - p, p}};
    double[][] ind = pairIndicators(new boolean[] {false, true});
    double se =
        MarkovMoments.ratioStandardError(MarkovMoments.pairChain(chain), ind[0], ind[1], n - 1);
    assertWithin(
        "Bernoulli mean burst", BernoulliLoss.of(p).meanBurstLength(), meanBurst(lost), se);
  }

  /**
   * The Gilbert-Elliott process as a Markov chain on (state when the packet is sent, lost?): index
   * {@code 2·state + lost}, state 0 = GOOD, 1 = BAD.
   */
  private static double[][] gilbertElliottChain(GilbertElliottLoss ge) {
    double[][] move = {{1 - ge.p(), ge.p()}, {ge.r(), 1 - ge.r()}};
    double[] lossIn = {1 - ge.k(), 1 - ge.h()};
    double[][] q = new double[4][4];
    for (int s = 0; s < 2; s++) {
      for (int l = 0; l < 2; l++) {
        for (int s2 = 0; s2 < 2; s2++) {
          q[2 * s + l][2 * s2 + 1] = move[s][s2] * lossIn[s2];
          q[2 * s + l][2 * s2] = move[s][s2] * (1 - lossIn[s2]);
        }
      }
    }
    return q;
  }

  private static void checkGilbertElliott(GilbertElliottLoss ge, int n, long seed) {
    boolean[] lost = lossSequence(ge, n, seed);
    double[][] chain = gilbertElliottChain(ge);
    boolean[] lossy = {false, true, false, true};
    double[] lossIndicator = {0, 1, 0, 1};
    double rateSe = Math.sqrt(MarkovMoments.asymptoticVariance(chain, lossIndicator) / n);
    assertWithin(ge + " loss rate", ge.lossRate(), lossRate(lost), rateSe);
    // The chain's stationary loss must equal the model's closed form (a check of both).
    assertEquals(
        ge.lossRate(), MarkovMoments.mean(MarkovMoments.stationary(chain), lossIndicator), 1e-12);
    double[][] ind = pairIndicators(lossy);
    double burstSe =
        MarkovMoments.ratioStandardError(MarkovMoments.pairChain(chain), ind[0], ind[1], n - 1);
    assertWithin(ge + " mean burst", ge.meanBurstLength(), meanBurst(lost), burstSe);
  }

  @Test
  void simpleGilbertFromModelsMd() {
    // p = 0.01, r = 0.3: 3.23 % loss, mean burst 1/r.
    checkGilbertElliott(GilbertElliottLoss.of(0.01, 0.3, 0.0, 1.0), 1_000_000, 2);
  }

  @Test
  void gilbertElliottWithLossInBothStates() {
    // Loss 90 % in BAD, 1 % in GOOD: bursts are no longer plain BAD sojourns.
    checkGilbertElliott(GilbertElliottLoss.of(0.02, 0.25, 0.1, 0.99), 1_000_000, 3);
  }

  @Test
  void gilbertElliottCongestedPreset() {
    checkGilbertElliott((GilbertElliottLoss) Profile.named("congested").up().loss(), 500_000, 4);
  }

  @Test
  void fourState() {
    FourStateLoss f = FourStateLoss.of(0.01, 0.3, 0.2, 0.4, 0.005);
    int n = 1_000_000;
    boolean[] lost = lossSequence(f, n, 5);
    // States 1..4 as indices 0..3; the chain's state is the one after each packet's move.
    double[][] chain = {
      {1 - f.p13() - f.p14(), 0, f.p13(), f.p14()},
      {0, 1 - f.p23(), f.p23(), 0},
      {f.p31(), f.p32(), 1 - f.p31() - f.p32(), 0},
      {1, 0, 0, 0}
    };
    double[] lossIndicator = {0, 0, 1, 1};
    assertEquals(
        f.lossRate(), MarkovMoments.mean(MarkovMoments.stationary(chain), lossIndicator), 1e-12);
    double rateSe = Math.sqrt(MarkovMoments.asymptoticVariance(chain, lossIndicator) / n);
    assertWithin("4-state loss rate", f.lossRate(), lossRate(lost), rateSe);
    double[][] ind = pairIndicators(new boolean[] {false, false, true, true});
    double burstSe =
        MarkovMoments.ratioStandardError(MarkovMoments.pairChain(chain), ind[0], ind[1], n - 1);
    assertWithin("4-state mean burst", f.meanBurstLength(), meanBurst(lost), burstSe);
  }

  @Test
  void shuffleBagIsExactPerHundred() {
    boolean[] lost = lossSequence(ShuffleBagLoss.percent(5), 100_000, 6);
    for (int bag = 0; bag < 1000; bag++) {
      int c = 0;
      for (int i = 0; i < 100; i++) {
        c += lost[bag * 100 + i] ? 1 : 0;
      }
      assertEquals(5, c, "bag " + bag);
    }
  }
}
