package io.kcpj.netem.delay;

import io.kcpj.netem.random.Xoshiro256;

/**
 * The shape of a random delay: a delay is {@code mean + spread · t} where {@code t} is drawn from
 * one of these shapes (netem's {@code delay μ σ distribution NAME}).
 *
 * <p>netem's tables approximate these shapes at 1/8192 resolution, clip them at ±4 and do not
 * standardise them (its pareto table has a standard deviation of about 1.15). Here {@code t} is
 * computed exactly and, except for {@link #UNIFORM}, standardised to mean 0 and variance 1, so the
 * spread <em>is</em> the standard deviation.
 */
public enum Distribution {
  /** No randomness: {@code t = 0}. No draw. */
  CONSTANT("constant"),

  /**
   * netem's default: uniform in {@code [mean - spread, mean + spread)}. Here the spread is the
   * half-width (the standard deviation is {@code spread/√3}). One draw.
   */
  UNIFORM("uniform"),

  /** Standard normal by Box–Muller. Two draws. */
  NORMAL("normal"),

  /**
   * Pareto with shape a = 3 (netem's table), standardised: {@code X = (1 - U)^(-1/3)} has mean 3/2
   * and variance 3/4, and {@code t = (X - 3/2)/√(3/4)}. Heavy right tail, minimum {@code t =
   * -1/√3}. One draw.
   */
  PARETO("pareto"),

  /**
   * netem's mix {@code 0.25·normal + 0.75·pareto} of an independent standard normal {@code Z} and
   * the standardised pareto {@code P}, rescaled to unit variance: {@code t = (0.25 Z + 0.75 P) /
   * √0.625}. Three draws (two for Z, then one for P).
   */
  PARETO_NORMAL("paretonormal");

  private static final double PARETO_SD = Math.sqrt(0.75);
  private static final double PARETO_NORMAL_SD = Math.sqrt(0.25 * 0.25 + 0.75 * 0.75);

  private final String specName;

  Distribution(String specName) {
    this.specName = specName;
  }

  /** The name in the profile syntax ({@code dist=...}). */
  public String specName() {
    return specName;
  }

  /** The distribution named {@code name} in the profile syntax, or {@code null}. */
  public static Distribution bySpecName(String name) {
    for (Distribution d : values()) {
      if (d.specName.equals(name)) {
        return d;
      }
    }
    return null;
  }

  /**
   * One standardised variate {@code t} (for {@link #UNIFORM}: uniform in [-1, 1)), consuming the
   * number of draws stated on each constant.
   */
  public double draw(Xoshiro256 random) {
    switch (this) {
      case CONSTANT:
        return 0.0;
      case UNIFORM:
        return 2.0 * random.nextDouble() - 1.0;
      case NORMAL:
        return random.nextGaussian();
      case PARETO:
        return standardPareto(random.nextDouble());
      case PARETO_NORMAL:
        double z = random.nextGaussian();
        double p = standardPareto(random.nextDouble());
        return (0.25 * z + 0.75 * p) / PARETO_NORMAL_SD;
      default:
        throw new AssertionError(this);
    }
  }

  /** The standardised pareto (a = 3) variate for the uniform {@code u} in [0, 1). */
  static double standardPareto(double u) {
    double x = 1.0 / StrictMath.cbrt(1.0 - u);
    return (x - 1.5) / PARETO_SD;
  }
}
