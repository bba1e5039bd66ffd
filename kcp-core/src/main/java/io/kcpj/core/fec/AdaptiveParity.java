package io.kcpj.core.fec;

/**
 * The parity count of loss-adaptive FEC: the fewest parity shards that bring the expected residual
 * loss (a data shard lost <em>and</em> not recoverable) under {@link #RESIDUAL_LOSS_TARGET}, within
 * the spec's bounds. Losses are taken as independent at the measured rate p: with k data shards and
 * P parity, a given data shard is lost for good when it is lost and at least P of the other k + P −
 * 1 shards are lost too, i.e. {@code p · Pr[Binomial(k + P − 1, p) ≥ P]}. Bursty loss makes the
 * real residual higher; the maximum parity bounds the cost either way. Stateless.
 *
 * <p>Worked example, 10 data shards, bounds 1..3: at p = 1 % one parity shard gives 0.096 %
 * (chosen); at 5 %, one gives 2.0 %, two 0.51 %, three 0.098 % (chosen); at 10 % three give 1.1 %,
 * but 3 is the maximum. A short group of one data shard at 5 % gets 2 (residual 0.0125 %).
 */
public final class AdaptiveParity {
  /** The residual loss aimed at: 0.1 % (KCP's retransmission repairs the rest). */
  public static final double RESIDUAL_LOSS_TARGET = 0.001;

  private AdaptiveParity() {}

  /**
   * The parity count for a group of {@code k} data shards at loss rate {@code p}; {@code max} when
   * {@code p} is NaN (not yet measured).
   */
  public static int choose(double p, int k, int min, int max) {
    if (Double.isNaN(p)) {
      return max;
    }
    if (p <= 0) {
      return min;
    }
    if (p >= 1) {
      return max;
    }
    for (int parity = min; parity < max; parity++) {
      if (residual(p, k, parity) <= RESIDUAL_LOSS_TARGET) {
        return parity;
      }
    }
    return max;
  }

  /** {@code p · Pr[Binomial(k + parity − 1, p) ≥ parity]}. */
  static double residual(double p, int k, int parity) {
    int n = k + parity - 1;
    // Pr[X >= parity] = 1 − Σ_{i < parity} C(n, i) p^i (1 − p)^(n − i)
    double term = Math.pow(1 - p, n); // i = 0
    double below = 0;
    for (int i = 0; i < parity; i++) {
      below += term;
      term = term * (n - i) / (i + 1) * p / (1 - p);
    }
    return p * Math.max(0, 1 - below);
  }
}
