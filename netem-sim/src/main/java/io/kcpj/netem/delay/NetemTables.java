package io.kcpj.netem.delay;

import java.util.function.IntUnaryOperator;

/**
 * netem's delay distribution tables, built the way iproute2 builds the tables tc loads into the
 * kernel (its {@code normal}, {@code pareto} and {@code paretonormal} generators): {@value #SIZE}
 * signed 16-bit values each, in units of {@code 1/}{@value #SCALE} (the kernel's {@code
 * NETEM_DIST_SCALE}), so a value {@code v} stands for the variate {@code t = v/8192}, clipped by
 * the 16-bit range to {@code [-4, 3.99988]}. A delay is {@code μ + σ·t} for a uniformly chosen
 * entry, rounded as the kernel's {@code tabledist} rounds ({@link #scale(long, int)}).
 *
 * <ul>
 *   <li><b>normal</b>: entry {@code k} is the standard normal quantile at {@code (4k + 0.5)/16384},
 *       as iproute2 finds it: the largest point of its grid {@code -10 + j·0.00005} whose normal
 *       distribution function, times 16384 and rounded, is still {@code 4k}; then times 8192,
 *       rounded, clipped to 16 bits.
 *   <li><b>pareto</b>: entry {@code k} is {@code (4/3)·(u^(-1/3) - 3/2)} at {@code u = 1 - k/4096}:
 *       the pareto (shape 3, scale 1) quantile, centred on its mean 3/2 and scaled by 4/3, times
 *       8192, capped at 32767 (so the heavy tail stops at about 4.0).
 *   <li><b>paretonormal</b>: entry {@code k} is {@code (n_k + 3·p_k)/4} (integer division, then
 *       clipped to 16 bits) of the normal entry {@code n_k} (before clipping) and the pareto entry
 *       {@code p_k}: the two are combined <em>at the same quantile</em>, not drawn independently.
 * </ul>
 *
 * Built once per class on first use (the normal quantiles take a few milliseconds); immutable and
 * thread-safe afterwards.
 */
final class NetemTables {
  /** Entries per table. */
  static final int SIZE = 4096;

  /** Units per 1.0 of the variate (the kernel's {@code NETEM_DIST_SCALE}). */
  static final int SCALE = 8192;

  private static final double SQRT_TWO_PI = StrictMath.sqrt(2 * Math.PI);

  private NetemTables() {}

  /** The three tables, each built on first use. */
  enum Kind {
    NORMAL,
    PARETO,
    PARETO_NORMAL;

    /** The table's {@value NetemTables#SIZE} entries (shared: never modify). */
    short[] entries() {
      switch (this) {
        case NORMAL:
          return Normal.TABLE;
        case PARETO:
          return Pareto.TABLE;
        default:
          return ParetoNormal.TABLE;
      }
    }

    /** The smallest entry. */
    int minimum() {
      int min = Integer.MAX_VALUE;
      for (short v : entries()) {
        min = Math.min(min, v);
      }
      return min;
    }
  }

  /**
   * {@code σ·t/8192} rounded half away from zero, computed as the kernel does ({@code (σ / 8192)·t
   * + round((σ mod 8192)·t / 8192)}) so that no product overflows.
   */
  static long scale(long sigma, int t) {
    long rest = (sigma % SCALE) * t;
    rest += rest >= 0 ? SCALE / 2 : -SCALE / 2;
    return rest / SCALE + (sigma / SCALE) * t;
  }

  private static short clip(long value) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
  }

  /** The unclipped normal entries, rounded to units (paretonormal combines these). */
  private static final class NormalUnits {
    static final int[] VALUES = build();

    private static int[] build() {
      int[] values = new int[SIZE];
      double step = 0.00005;
      double x = -4.0;
      for (int k = 0; k < SIZE; k++) {
        x = inverseNormal((4.0 * k + 0.5) / 16384.0, x);
        // the largest grid point strictly below the quantile
        long j = (long) Math.ceil((x + 10.0) / step) - 1;
        double grid = -10.0 + j * step;
        values[k] = (int) Math.rint(grid * SCALE);
      }
      return values;
    }
  }

  private static final class Normal {
    static final short[] TABLE = table(k -> NormalUnits.VALUES[k]);
  }

  private static final class Pareto {
    static final short[] TABLE = table(NetemTables::paretoUnits);
  }

  private static final class ParetoNormal {
    static final short[] TABLE = table(k -> (NormalUnits.VALUES[k] + 3 * paretoUnits(k)) / 4);
  }

  /** A table of the entries {@code unitsAt(k)}, each clipped to 16 bits as iproute2 does. */
  private static short[] table(IntUnaryOperator unitsAt) {
    short[] table = new short[SIZE];
    for (int k = 0; k < SIZE; k++) {
      table[k] = clip(unitsAt.applyAsInt(k));
    }
    return table;
  }

  /** Pareto entry {@code k}: the quantile at {@code u = 1 - k/4096}, in units, capped at 32767. */
  private static int paretoUnits(int k) {
    double u = (65536 - 16 * k) / 65536.0;
    double value = 1.0 / StrictMath.pow(u, 1.0 / 3.0);
    value -= 1.5;
    value *= (4.0 / 3.0) * SCALE;
    if (value > 32767) {
      value = 32767;
    }
    return (int) Math.rint(value);
  }

  /**
   * The standard normal quantile of {@code q} in (0, 1) by Newton's method on {@link #normalCdf},
   * starting from {@code start} (the previous, nearby quantile when building a table).
   */
  static double inverseNormal(double q, double start) {
    double x = start;
    for (int i = 0; i < 100; i++) {
      double density = StrictMath.exp(-0.5 * x * x) / SQRT_TWO_PI;
      double dx = (normalCdf(x) - q) / density;
      x -= dx;
      if (Math.abs(dx) < 1e-14) {
        break;
      }
    }
    return x;
  }

  /**
   * The standard normal distribution function: {@code 1/2 + φ(x)·(x + x³/3 + x⁵/(3·5) + ...)} for
   * {@code x ≥ 0} (every term positive, so no cancellation), by symmetry below 0. Accurate to about
   * 1e-15 absolute for {@code |x| ≤ 9}.
   */
  static double normalCdf(double x) {
    if (x < 0) {
      return 1.0 - normalCdf(-x);
    }
    double term = x;
    double sum = x;
    double x2 = x * x;
    for (int n = 1; n < 500 && term > 1e-17 * sum; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
    }
    return 0.5 + sum * StrictMath.exp(-0.5 * x2) / SQRT_TWO_PI;
  }
}
