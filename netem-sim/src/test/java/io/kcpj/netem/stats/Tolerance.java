package io.kcpj.netem.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance rule of every statistical test: an estimate must lie within {@value
 * #STANDARD_ERRORS} standard errors of its formula. For a normal estimator that fails by chance
 * with probability 5.7e-7; the tests are seeded, so a pass or a fail is reproducible. Tolerances
 * are never widened beyond this to make a test pass.
 */
public final class Tolerance {
  /** How many standard errors an estimate may be from its expected value. */
  public static final double STANDARD_ERRORS = 5.0;

  private Tolerance() {}

  /** Asserts {@code |estimate - expected| <= 5 · standardError}, with a readable message. */
  public static void assertWithin(
      String what, double expected, double estimate, double standardError) {
    double z = (estimate - expected) / standardError;
    assertTrue(
        Math.abs(z) <= STANDARD_ERRORS,
        String.format(
            java.util.Locale.ROOT,
            "%s: expected %.6g, estimated %.6g, standard error %.3g, off by %.2f standard errors",
            what,
            expected,
            estimate,
            standardError,
            z));
  }

  /** The standard error of a proportion estimated from {@code n} independent trials. */
  public static double binomialStandardError(double p, long n) {
    return Math.sqrt(p * (1 - p) / n);
  }

  /**
   * The standard normal CDF: the Taylor series of erf for |x| < 3√2 (cancellation costs about 3 of
   * 16 digits there) and Lentz's continued fraction for erfc beyond; error below 1e-12.
   */
  public static double normalCdf(double x) {
    return 0.5 * erfc(-x / Math.sqrt(2));
  }

  private static double erfc(double x) {
    double ax = Math.abs(x);
    double result;
    if (ax < 3.0) {
      // erf(x) = 2/sqrt(pi) * sum_{n>=0} (-1)^n x^(2n+1) / (n! (2n+1))
      double sum = 0;
      double term = ax;
      for (int n = 0; n < 200; n++) {
        double add = term / (2 * n + 1);
        sum += add;
        term *= -ax * ax / (n + 1);
        if (Math.abs(add) < 1e-17) {
          break;
        }
      }
      result = 1.0 - 2.0 / Math.sqrt(Math.PI) * sum;
    } else {
      // erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))),
      // evaluated with the modified Lentz algorithm.
      double tiny = 1e-300;
      double f = ax;
      double c = ax;
      double d = 0;
      for (int i = 1; i < 500; i++) {
        double a = i / 2.0;
        d = ax + a * d;
        d = Math.abs(d) < tiny ? tiny : d;
        c = ax + a / c;
        c = Math.abs(c) < tiny ? tiny : c;
        d = 1 / d;
        double delta = c * d;
        f *= delta;
        if (Math.abs(delta - 1) < 1e-16) {
          break;
        }
      }
      result = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
    }
    return x >= 0 ? result : 2.0 - result;
  }
}
