package io.kcpj.bench.report;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Percentile-bootstrap confidence intervals for ratios between cells, such as "kcp-fast's p99
 * excess is 0.43× TCP's".
 *
 * <p>Each replicate resamples every cell involved independently (each is its own sample of
 * messages) and recomputes the ratio; the interval is the replicates' {@code α/2} and {@code 1 −
 * α/2} quantiles. A resampled <b>percentile</b> is drawn exactly, without materialising the
 * resample: a bootstrap resample is {@code F⁻¹(U₁..Uₙ)} for uniform {@code Uᵢ} and the empirical
 * quantile function {@code F⁻¹}, which is monotone, so its k-th order statistic is {@code
 * F⁻¹(U(k))} with {@code U(k) ~ Beta(k, n − k + 1)}: one Beta draw and one rank lookup. A resampled
 * <b>mean</b> is drawn from its normal approximation {@code N(mean, sd²/n)} (n is in the
 * thousands). The floor is drawn once per replicate and shared by numerator and denominator.
 *
 * <p>Ratios: an infinite numerator (p99 past the undelivered) gives +∞; a denominator at or below
 * zero (the baseline added nothing over the floor) makes the ratio meaningless and counts as +∞, so
 * the interval shows it as unbounded rather than inventing a figure.
 *
 * <p>Deterministic: the same inputs and seed give the same interval. Not thread-safe (one instance
 * per thread); {@value #REPLICATES} replicates by default.
 */
public final class RatioBootstrap {
  /** Replicates per interval. */
  public static final int REPLICATES = 2000;

  private final RandomGenerator random;
  private final int replicates;
  private final double confidence;

  public RatioBootstrap(long seed, int replicates, double confidence) {
    if (replicates < 100) {
      throw new IllegalArgumentException("at least 100 replicates, got " + replicates);
    }
    this.random = new SplittableRandom(seed);
    this.replicates = replicates;
    this.confidence = confidence;
  }

  public RatioBootstrap(long seed) {
    this(seed, REPLICATES, 0.95);
  }

  /**
   * {@code (pX(a) − pX(floor)) / (pX(b) − pX(floor))}, with {@code floor} null meaning 0: the ratio
   * of two cells' percentile excess over the floor (or of the raw percentiles).
   */
  public Interval percentileExcessRatio(Latency a, Latency b, Latency floor, double percentile) {
    double point =
        ratio(
            a.percentileMicros(percentile) - floorAt(floor, percentile),
            b.percentileMicros(percentile) - floorAt(floor, percentile));
    double[] r = new double[replicates];
    for (int i = 0; i < replicates; i++) {
      double f = floor == null ? 0 : drawPercentile(floor, percentile);
      r[i] = ratio(drawPercentile(a, percentile) - f, drawPercentile(b, percentile) - f);
    }
    return interval(point, r);
  }

  /** {@code (mean(a) − mean(floor)) / (mean(b) − mean(floor))}; floor null means 0. */
  public Interval meanExcessRatio(Latency a, Latency b, Latency floor) {
    double fm = floor == null ? 0 : floor.meanMillis();
    double point = ratio(a.meanMillis() - fm, b.meanMillis() - fm);
    if (a.delivered() < 2 || b.delivered() < 2 || (floor != null && floor.delivered() < 2)) {
      return new Interval(point, Double.NaN, Double.NaN);
    }
    double[] r = new double[replicates];
    for (int i = 0; i < replicates; i++) {
      double f = floor == null ? 0 : drawMean(floor);
      r[i] = ratio(drawMean(a) - f, drawMean(b) - f);
    }
    return interval(point, r);
  }

  /** One bootstrap draw of percentile {@code p} of {@code s}, in microseconds. */
  double drawPercentile(Latency s, double p) {
    long n = s.count();
    long k = Latency.rank(p, n);
    double u = beta(k, n - k + 1);
    long j = Math.max(1, Math.min(n, (long) Math.ceil(u * n)));
    return s.valueAtRank(j);
  }

  private double drawMean(Latency s) {
    return s.meanMillis() + s.stdDevMillis() / Math.sqrt(s.delivered()) * random.nextGaussian();
  }

  private static double floorAt(Latency floor, double p) {
    return floor == null ? 0 : floor.percentileMicros(p);
  }

  static double ratio(double num, double den) {
    if (Double.isNaN(num) || Double.isNaN(den)) {
      return Double.NaN;
    }
    if (Double.isInfinite(num) || den <= 0) {
      return Double.POSITIVE_INFINITY;
    }
    return num / den;
  }

  private Interval interval(double point, double[] r) {
    for (int i = 0; i < r.length; i++) {
      if (Double.isNaN(r[i])) {
        r[i] = Double.POSITIVE_INFINITY; // undefined replicates count as unbounded
      }
    }
    Arrays.sort(r);
    double tail = (1 - confidence) / 2;
    int lo = (int) Math.floor(tail * (r.length - 1));
    int hi = (int) Math.ceil((1 - tail) * (r.length - 1));
    return new Interval(point, r[lo], r[hi]);
  }

  /** A Beta(a, b) variate as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
  double beta(double a, double b) {
    double x = gamma(a);
    double y = gamma(b);
    return x / (x + y);
  }

  /**
   * A Gamma(shape, 1) variate, shape ≥ 1, by Marsaglia and Tsang's method ("A simple method for
   * generating gamma variables", ACM TOMS 26(3), 2000).
   */
  double gamma(double shape) {
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = random.nextGaussian();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x) {
        return d * v;
      }
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
