package io.kcpj.netem.stats;

import static io.kcpj.netem.stats.Tolerance.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.Distribution;
import io.kcpj.netem.link.Harness;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.time.TimeUnits;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each delay distribution, through a link in reorder mode (so the measured delay of every packet is
 * its own draw), against its formula: the mean, the spread, and the distribution function at four
 * points.
 *
 * <p>Standard errors over {@code n} independent delays: the mean, {@code sd/sqrt(n)}; the sample
 * variance, {@code sqrt((μ4 - σ⁴)/n)} with the distribution's fourth central moment (uniform on ±w:
 * {@code w⁴/5}; netem's tables: their own, finite since they are bounded); a distribution-function
 * value F, {@code sqrt(F(1-F)/n)}. Delays are rounded to the nanosecond and clamped at 0; with a
 * 100 ms mean and a 20 ms spread both effects are below 1e-6 of a standard error.
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

  /**
   * The moments and distribution function of one of netem's tables ({@code t = value/8192} over its
   * 4096 entries), computed from the tables iproute2's generators print (normal.c, pareto.c,
   * paretonormal.c, commit ee2a4a86), independently of this project's code.
   */
  private record NetemTable(
      String name,
      double mean,
      double variance,
      double fourthMoment,
      int minimum,
      int maximum,
      double[] cdfAt) {}

  private static final double[] TABLE_POINTS = {-1.0, 0.0, 1.0, 2.0, 3.0};

  private static final NetemTable NORMAL =
      new NetemTable(
          "normal",
          -0.0007797,
          1.0001054,
          3.002688,
          -32768,
          28858,
          new double[] {
            0.15869140625, 0.500244140625, 0.841552734375, 0.977294921875, 0.998779296875
          });
  private static final NetemTable PARETO =
      new NetemTable(
          "pareto",
          -0.0334914,
          0.6718707,
          5.130884,
          -5461,
          32767,
          new double[] {0.0, 0.703857421875, 0.912353515625, 0.963134765625, 0.981201171875});
  private static final NetemTable PARETO_NORMAL =
      new NetemTable(
          "paretonormal",
          -0.0253012,
          0.6954635,
          3.794483,
          -12305,
          31789,
          new double[] {0.021240234375, 0.642578125, 0.903076171875, 0.96484375, 0.984130859375});

  /**
   * 100,000 delays of {@code model} against netem's table: mean and variance within 5 standard
   * errors (the table is bounded, so its fourth moment gives the variance's), the distribution
   * function at five points, and the smallest and largest delay exactly those of the table's end
   * entries (each of 4096 entries is drawn with probability 1 - e^-24 in 100,000 draws).
   */
  private static double[] checkAgainstNetemTable(DelayModel model, NetemTable table, long seed) {
    double[] t = standardisedDelays(model, seed);
    assertWithin(table.name() + " mean", table.mean(), mean(t), Math.sqrt(table.variance() / N));
    assertWithin(
        table.name() + " variance",
        table.variance(),
        variance(t),
        Math.sqrt((table.fourthMoment() - table.variance() * table.variance()) / N));
    for (int i = 0; i < TABLE_POINTS.length; i++) {
      long below = 0;
      for (double v : t) {
        below += v <= TABLE_POINTS[i] ? 1 : 0;
      }
      double f = table.cdfAt()[i];
      double observed = below / (double) t.length;
      if (f == 0) {
        assertEquals(0.0, observed, 0.0, table.name() + " CDF at " + TABLE_POINTS[i]);
      } else {
        assertWithin(
            table.name() + " CDF at " + TABLE_POINTS[i],
            f,
            observed,
            Tolerance.binomialStandardError(f, t.length));
      }
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : t) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(table.minimum() / 8192.0, min, 1e-6, table.name() + " smallest delay");
    assertEquals(table.maximum() / 8192.0, max, 1e-6, table.name() + " largest delay");
    return t;
  }

  @Test
  void normalIsNetemsTable() {
    checkAgainstNetemTable(DelayModel.normal(MEAN, SPREAD), NORMAL, 3);
  }

  /**
   * netem clips its pareto table at 32767/8192: at 20 ms of jitter no packet waits more than 100 +
   * 80 ms (an unclipped pareto reached 2.88 s), and the standard deviation is 0.82 σ, not σ.
   */
  @Test
  void paretoIsNetemsClippedTable() {
    double[] t = checkAgainstNetemTable(DelayModel.pareto(MEAN, SPREAD), PARETO, 4);
    for (double v : t) {
      assertTrue(v < 4.0, "pareto beyond mean + 4 sigma: " + v);
    }
    assertEquals(Distribution.PARETO, DelayModel.pareto(MEAN, SPREAD).distribution());
  }

  /**
   * netem's paretonormal combines the normal and the pareto at the same quantile: for 100 ms ± 20
   * ms its standard deviation is 16.7 ms and its largest delay 177.6 ms (an independent mix gave 20
   * ms and an unbounded tail).
   */
  @Test
  void paretoNormalIsNetemsSameQuantileTable() {
    double[] t = checkAgainstNetemTable(DelayModel.paretoNormal(MEAN, SPREAD), PARETO_NORMAL, 5);
    double sdMillis = Math.sqrt(variance(t)) * SPREAD / TimeUnits.NANOS_PER_MILLI;
    assertEquals(16.68, sdMillis, 0.1, "paretonormal SD at 100 ms ± 20 ms");
    double maxMillis = 100 + 20 * Arrays.stream(t).max().getAsDouble();
    assertEquals(177.6, maxMillis, 0.05, "paretonormal maximum at 100 ms ± 20 ms");
  }
}
