package io.kcpj.bench.report;

/**
 * The distribution-free confidence interval of a percentile: two order statistics {@code [X(l),
 * X(u)]} of the sample, chosen with the binomial distribution so that they enclose the true
 * percentile with at least the stated confidence, whatever the RTT distribution.
 *
 * <p>Why it works: the number {@code B} of samples below the true {@code q}-quantile is {@code
 * Binomial(n, q)}, and {@code X(l) ≤ ξ(q) ≤ X(u)} exactly when {@code l ≤ B < u} (continuous case).
 * We take {@code l} as large and {@code u} as small as possible with {@code P(B < l) ≤ α/2} and
 * {@code P(B ≥ u) ≤ α/2}, so the coverage is at least {@code 1 − α}. Undelivered messages are order
 * statistics at +∞, so an upper bound past the delivered ones is ∞; with too few samples for a
 * bound ({@code l = 0} or {@code u > n}) that bound is −∞ or +∞.
 *
 * <p>Worked example: 6000 samples, p99, 95 %: {@code B ~ Binomial(6000, 0.99)} has mean 5940 and
 * standard deviation 7.7, and the interval is about {@code [X(5925), X(5955)]}: the 76th- to the
 * 46th-worst message.
 *
 * <p>Cost: O(n) per interval (the binomial probabilities are summed in log space). Stateless.
 */
public final class OrderStatisticInterval {
  private OrderStatisticInterval() {}

  /**
   * The 1-based ranks {@code {l, u}} of the interval's bounds for percentile {@code percentile} of
   * {@code n} samples at {@code confidence} (e.g. 0.95). {@code l = 0} means no lower bound, {@code
   * u = n + 1} no upper bound.
   */
  public static long[] ranks(long n, double percentile, double confidence) {
    if (n <= 0) {
      throw new IllegalArgumentException("no samples");
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    }
    double q = percentile / 100.0;
    if (!(q > 0 && q < 1)) {
      throw new IllegalArgumentException("percentile must be in (0, 100), got " + percentile);
    }
    double tail = (1 - confidence) / 2;
    // P(B = j) for j = 0..n in log space, by the recurrence
    // P(j+1) = P(j) · (n − j) / (j + 1) · q / (1 − q).
    double logOdds = Math.log(q) - Math.log1p(-q);
    double logPmf = n * Math.log1p(-q);
    double cdf = 0; // P(B <= j - 1) before adding term j
    long lower = 0;
    long upper = n + 1;
    for (long j = 0; j <= n; j++) {
      // here cdf = P(B < j) = P(B <= j - 1)
      if (cdf <= tail) {
        lower = j; // P(B < j) <= α/2: X(j) is still a valid lower bound (j = 0: none)
      }
      cdf += Math.exp(logPmf);
      // now cdf = P(B <= j) = P(B < j + 1); u = j + 1 is valid when P(B >= j + 1) <= α/2
      if (1 - cdf <= tail) {
        upper = j + 1;
        break;
      }
      logPmf += Math.log((double) (n - j)) - Math.log((double) (j + 1)) + logOdds;
    }
    return new long[] {lower, upper};
  }

  /**
   * The interval of percentile {@code percentile} of {@code samples} at {@code confidence}, in
   * milliseconds, with the sample percentile as the estimate.
   */
  public static Interval of(Latency samples, double percentile, double confidence) {
    long n = samples.count();
    if (n == 0) {
      return Interval.NONE;
    }
    long[] r = ranks(n, percentile, confidence);
    double low = r[0] < 1 ? Double.NEGATIVE_INFINITY : samples.valueAtRank(r[0]) / 1000.0;
    double high = r[1] > n ? Double.POSITIVE_INFINITY : samples.valueAtRank(r[1]) / 1000.0;
    return new Interval(samples.percentileMillis(percentile), low, high);
  }
}
