package io.kcpj.bench.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The RTT samples of one cell (profile × transport): the delivered messages' RTTs in an
 * HdrHistogram (microseconds) plus the messages never echoed, which count as +∞.
 *
 * <p>Percentiles are taken over <em>every</em> message sent: the k-th smallest of {@code n =
 * delivered + undelivered} samples, with the undelivered ones at the top. So a p99 with more than 1
 * % undelivered is {@link Double#POSITIVE_INFINITY}, and a transport that loses messages is never
 * flattered by leaving them out. The rank of percentile {@code p} is {@code ceil(p × n / 100)} (at
 * least 1), computed exactly, and the value at a rank is the histogram's highest equivalent value
 * of that sample's bucket — the same value {@link Histogram#getValueAtPercentile} gives when
 * nothing is undelivered. The mean is over the delivered messages only (a lower bound when some are
 * undelivered).
 *
 * <p>Immutable view: the histogram must not be recorded into after it is wrapped. The rank table,
 * mean and standard deviation are computed on first use and cached; confine an instance to one
 * thread at a time while they are being computed (reports are written on one thread).
 *
 * <p>Cost: {@link #valueAtRank} is a binary search over the recorded buckets (a few thousand at
 * most for RTTs), so the bootstrap can draw millions of order statistics cheaply.
 */
public final class Latency {
  private final Histogram delivered;
  private final long undelivered;
  private long[] cumulative; // cumulative counts per recorded bucket
  private double[] values; // highest equivalent value of each recorded bucket
  private double mean = Double.NaN; // cached: HdrHistogram computes them by a full scan
  private double stdDev = Double.NaN;

  /**
   * @param delivered RTTs of the echoed messages, microseconds
   * @param undelivered messages sent but never echoed (counted as +∞)
   */
  public Latency(Histogram delivered, long undelivered) {
    this.delivered = Objects.requireNonNull(delivered, "delivered");
    if (undelivered < 0) {
      throw new IllegalArgumentException("undelivered must be >= 0, got " + undelivered);
    }
    this.undelivered = undelivered;
  }

  /** The delivered messages' histogram (microseconds). */
  public Histogram histogram() {
    return delivered;
  }

  /** Samples: every message sent. */
  public long count() {
    return delivered.getTotalCount() + undelivered;
  }

  public long delivered() {
    return delivered.getTotalCount();
  }

  public long undelivered() {
    return undelivered;
  }

  /**
   * The rank (1-based) of percentile {@code p} among {@code n} samples: {@code ceil(p × n / 100)},
   * at least 1, at most n. Exact decimal arithmetic, so 99 % of 6000 is rank 5940, not 5941.
   */
  public static long rank(double percentile, long n) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
    }
    if (n <= 0) {
      throw new IllegalArgumentException("no samples");
    }
    long k =
        BigDecimal.valueOf(percentile)
            .multiply(BigDecimal.valueOf(n))
            .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING)
            .longValueExact();
    return Math.max(1, Math.min(n, k));
  }

  /**
   * The k-th smallest sample (1-based) in microseconds; +∞ for ranks past the delivered ones.
   *
   * @throws IllegalArgumentException if k is not in [1, count()]
   */
  public double valueAtRank(long k) {
    if (k < 1 || k > count()) {
      throw new IllegalArgumentException("rank " + k + " outside [1, " + count() + "]");
    }
    if (k > delivered.getTotalCount()) {
      return Double.POSITIVE_INFINITY;
    }
    table();
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] >= k) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return values[lo];
  }

  /** The value at percentile {@code p} (0..100) in microseconds; NaN when there are no samples. */
  public double percentileMicros(double p) {
    long n = count();
    return n == 0 ? Double.NaN : valueAtRank(rank(p, n));
  }

  /** The value at percentile {@code p} in milliseconds (NaN when empty, +∞ past the delivered). */
  public double percentileMillis(double p) {
    return percentileMicros(p) / 1000.0;
  }

  /** Mean RTT of the delivered messages, ms (NaN when none was delivered). */
  public double meanMillis() {
    if (delivered.getTotalCount() == 0) {
      return Double.NaN;
    }
    if (Double.isNaN(mean)) {
      mean = delivered.getMean() / 1000.0;
    }
    return mean;
  }

  /** Standard deviation of the delivered messages' RTT, ms (NaN when none was delivered). */
  public double stdDevMillis() {
    if (delivered.getTotalCount() == 0) {
      return Double.NaN;
    }
    if (Double.isNaN(stdDev)) {
      stdDev = delivered.getStdDeviation() / 1000.0;
    }
    return stdDev;
  }

  /** The largest sample in ms: +∞ if any message was undelivered, NaN when there are none. */
  public double maxMillis() {
    if (undelivered > 0) {
      return Double.POSITIVE_INFINITY;
    }
    return delivered.getTotalCount() == 0
        ? Double.NaN
        : delivered.highestEquivalentValue(delivered.getMaxValue()) / 1000.0;
  }

  private synchronized void table() {
    if (cumulative != null) {
      return;
    }
    int buckets = 0;
    for (HistogramIterationValue ignored : delivered.recordedValues()) {
      buckets++;
    }
    long[] c = new long[buckets];
    double[] v = new double[buckets];
    int i = 0;
    for (HistogramIterationValue x : delivered.recordedValues()) {
      c[i] = x.getTotalCountToThisValue();
      v[i] = x.getValueIteratedTo();
      i++;
    }
    values = v;
    cumulative = c;
  }
}
