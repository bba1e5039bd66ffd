package io.kcpj.netem.loss;

/** Argument checks and formatting for probabilities. No state. */
public final class Probabilities {
  private Probabilities() {}

  /** Returns {@code p} if it is a probability in [0, 1], or throws naming {@code what}. */
  public static double check(String what, double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException(what + " must be a probability in [0, 1], got " + p);
    }
    return p;
  }

  /**
   * {@code p} in the shortest plain decimal form that parses back to the same double: never in
   * exponent notation ({@code 1.0E-4} is written {@code 0.0001}), which profile text does not
   * accept.
   */
  public static String format(double p) {
    if (p == 0.0) {
      return "0";
    }
    if (p == 1.0) {
      return "1";
    }
    return new java.math.BigDecimal(Double.toString(p)).stripTrailingZeros().toPlainString();
  }
}
