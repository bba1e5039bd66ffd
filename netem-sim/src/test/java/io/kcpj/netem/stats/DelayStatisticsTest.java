package io.kcpj.netem.stats;

import static io.kcpj.netem.stats.Tolerance.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.Distribution;
import io.kcpj.netem.link.Harness;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.time.TimeUnits;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each delay distribution, through a link in reorder mode (so the measured delay of every packet is
 * its own draw), against its formula: the mean, the spread, and the distribution function at four
 * points.
 *
 * <p>Standard errors over {@code n} independent delays: the mean, {@code sd/sqrt(n)}; the sample
 * variance, {@code sqrt((μ4 - σ⁴)/n)} with the distribution's fourth central moment (normal: {@code
 * 3σ⁴}; uniform on ±w: {@code w⁴/5}); a distribution-function value F, {@code sqrt(F(1-F)/n)}.
 * Pareto (a = 3) has no finite fourth moment, so its spread is checked through the distribution
 * function, not the variance. Delays are rounded to the nanosecond and clamped at 0; with a 100 ms
 * mean and a 20 ms spread both effects are below 1e-6 of a standard error.
 */
class DelayStatisticsTest {
  private static final int N = 100_000;
  private static final long MEAN = TimeUnits.millis(100);
  private static final long SPREAD = TimeUnits.millis(20);
  private static final double[] POINTS = {-1.0, 0.0, 1.0, 2.0};

  /** Measured delays in units of the spread, relative to the mean: {@code (d - μ)/σ}. */
  private static double[] standardisedDelays(DelayModel model, long seed) {
    Harness h = new Harness(DirectionProfile.builder().delay(model).build(), seed);
    for (int i = 0; i < N; i++) {
      h.offerAt(i * TimeUnits.NANOS_PER_MILLI, 100);
    }
    h.drain();
    assertEquals(N, h.delivered.size());
    double[] t = new double[N];
    for (int i = 0; i < N; i++) {
      t[i] = (h.delivered.get(i).delay() - MEAN) / (double) SPREAD;
    }
    return t;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  private static double variance(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return s / (x.length - 1);
  }

  private static void checkCdf(String name, double[] t, DoubleUnaryOperator cdf) {
    for (double x : POINTS) {
      long below = 0;
      for (double v : t) {
        below += v <= x ? 1 : 0;
      }
      double f = cdf.applyAsDouble(x);
      double se = Tolerance.binomialStandardError(f, t.length);
      if (se == 0) {
        assertEquals(f, below / (double) t.length, 0.0, name + " CDF at " + x);
      } else {
        assertWithin(name + " CDF at " + x, f, below / (double) t.length, se);
      }
    }
  }

  @Test
  void constantIsExact() {
    double[] t = standardisedDelays(DelayModel.constant(MEAN), 1);
    for (double v : t) {
      assertEquals(0.0, v, 0.0);
    }
  }

  @Test
  void uniformIsNetemsDefault() {
    // t uniform on [-1, 1): mean 0, variance 1/3, fourth central moment 1/5.
    double[] t = standardisedDelays(DelayModel.uniform(MEAN, SPREAD), 2);
    assertWithin("uniform mean", 0.0, mean(t), Math.sqrt(1.0 / 3) / Math.sqrt(N));
    assertWithin("uniform variance", 1.0 / 3, variance(t), Math.sqrt((1.0 / 5 - 1.0 / 9) / N));
    checkCdf("uniform", t, x -> Math.max(0, Math.min(1, (x + 1) / 2)));
  }

  @Test
  void normal() {
    double[] t = standardisedDelays(DelayModel.normal(MEAN, SPREAD), 3);
    assertWithin("normal mean", 0.0, mean(t), 1 / Math.sqrt(N));
    assertWithin("normal variance", 1.0, variance(t), Math.sqrt(2.0 / N));
    checkCdf("normal", t, Tolerance::normalCdf);
  }

  /** P(t <= x) for the standardised pareto: X = 1.5 + sqrt(0.75)·t, P(X <= y) = 1 - y^-3. */
  private static double paretoCdf(double x) {
    double y = 1.5 + Math.sqrt(0.75) * x;
    return y <= 1 ? 0 : 1 - 1 / (y * y * y);
  }

  @Test
  void pareto() {
    double[] t = standardisedDelays(DelayModel.pareto(MEAN, SPREAD), 4);
    assertWithin("pareto mean", 0.0, mean(t), 1 / Math.sqrt(N));
    checkCdf("pareto", t, DelayStatisticsTest::paretoCdf);
    assertEquals(Distribution.PARETO, DelayModel.pareto(MEAN, SPREAD).distribution());
  }

  /**
   * P((0.25 Z + 0.75 P)/sqrt(0.625) <= x) = ∫ φ(z) F_P((x·sqrt(0.625) - 0.25 z)/0.75) dz, by
   * Simpson's rule on [-12, 12] with 24,000 intervals (error far below 1e-9).
   */
  private static double paretoNormalCdf(double x) {
    double s = Math.sqrt(0.625);
    int intervals = 24_000;
    double a = -12;
    double h = 24.0 / intervals;
    double sum = 0;
    for (int i = 0; i <= intervals; i++) {
      double z = a + i * h;
      double w = i == 0 || i == intervals ? 1 : (i % 2 == 1 ? 4 : 2);
      double phi = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
      sum += w * phi * paretoCdf((x * s - 0.25 * z) / 0.75);
    }
    return sum * h / 3;
  }

  @Test
  void paretoNormal() {
    double[] t = standardisedDelays(DelayModel.paretoNormal(MEAN, SPREAD), 5);
    assertWithin("paretonormal mean", 0.0, mean(t), 1 / Math.sqrt(N));
    checkCdf("paretonormal", t, DelayStatisticsTest::paretoNormalCdf);
  }
}
