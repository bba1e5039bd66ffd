package io.kcpj.netem.stats;

/**
 * Exact moments of functionals of a finite, ergodic Markov chain, for the standard errors of the
 * statistical tests.
 *
 * <p>For a stationary chain {@code X} with transition matrix {@code P}, stationary law {@code π}
 * and a function {@code f}, the mean {@code (1/n) Σ f(X_k)} is asymptotically normal with variance
 * {@code σ²/n}, where {@code σ² = Var_π f + 2 Σ_{k≥1} Cov_π(f(X_0), f(X_k))} (the Markov chain
 * central limit theorem). The autocovariances are {@code Σ_i π_i (f_i - μ) (P^k (f - μ))_i}; they
 * decay geometrically, so the sum is computed by iterating until the terms vanish.
 *
 * <p>Functions of two consecutive states (e.g. "a loss followed by a delivery") are handled on the
 * pair chain {@code (X_k, X_{k+1})} built by {@link #pairChain(double[][])}.
 */
public final class MarkovMoments {
  private MarkovMoments() {}

  /** The stationary law of {@code p}, by power iteration to 1e-15. */
  public static double[] stationary(double[][] p) {
    int n = p.length;
    double[] pi = new double[n];
    java.util.Arrays.fill(pi, 1.0 / n);
    for (int iter = 0; iter < 10_000_000; iter++) {
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          next[j] += pi[i] * p[i][j];
        }
      }
      double diff = 0;
      for (int i = 0; i < n; i++) {
        diff += Math.abs(next[i] - pi[i]);
      }
      pi = next;
      if (diff < 1e-15) {
        break;
      }
    }
    return pi;
  }

  /** {@code E_π f}. */
  public static double mean(double[] pi, double[] f) {
    double m = 0;
    for (int i = 0; i < pi.length; i++) {
      m += pi[i] * f[i];
    }
    return m;
  }

  /** The asymptotic variance {@code σ²} of the sample mean of {@code f} (see the class comment). */
  public static double asymptoticVariance(double[][] p, double[] f) {
    double[] pi = stationary(p);
    double mu = mean(pi, f);
    int n = f.length;
    double[] centred = new double[n];
    for (int i = 0; i < n; i++) {
      centred[i] = f[i] - mu;
    }
    double variance = 0;
    for (int i = 0; i < n; i++) {
      variance += pi[i] * centred[i] * centred[i];
    }
    double sum = variance;
    double[] v = centred.clone();
    for (int k = 1; k < 1_000_000; k++) {
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += p[i][j] * v[j];
        }
        next[i] = s;
      }
      v = next;
      double cov = 0;
      for (int i = 0; i < n; i++) {
        cov += pi[i] * centred[i] * v[i];
      }
      sum += 2 * cov;
      if (Math.abs(cov) < 1e-16 && k > 10) {
        break;
      }
    }
    return sum;
  }

  /** The chain of consecutive pairs: state {@code i·n + j} is {@code (X_k = i, X_{k+1} = j)}. */
  public static double[][] pairChain(double[][] p) {
    int n = p.length;
    double[][] q = new double[n * n][n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          q[i * n + j][j * n + k] = p[j][k];
        }
      }
    }
    return q;
  }

  /**
   * The standard error of a ratio estimator {@code R = mean(a)/mean(b)} over {@code samples} steps
   * of the chain, by the delta method: {@code sqrt(σ²(a - R·b) / n) / E b}.
   */
  public static double ratioStandardError(double[][] p, double[] a, double[] b, long samples) {
    double[] pi = stationary(p);
    double r = mean(pi, a) / mean(pi, b);
    double[] g = new double[a.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = a[i] - r * b[i];
    }
    return Math.sqrt(asymptoticVariance(p, g) / samples) / mean(pi, b);
  }
}
