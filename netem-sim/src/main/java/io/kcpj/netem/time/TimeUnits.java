package io.kcpj.netem.time;

/** Nanosecond conversions for netem-sim's {@code long}-nanosecond clock. No state. */
public final class TimeUnits {
  /** Nanoseconds in a microsecond. */
  public static final long NANOS_PER_MICRO = 1_000L;

  /** Nanoseconds in a millisecond. */
  public static final long NANOS_PER_MILLI = 1_000_000L;

  /** Nanoseconds in a second. */
  public static final long NANOS_PER_SECOND = 1_000_000_000L;

  private TimeUnits() {}

  /** {@code millis} milliseconds in nanoseconds. */
  public static long millis(long millis) {
    return Math.multiplyExact(millis, NANOS_PER_MILLI);
  }

  /** {@code millis} (fractional) milliseconds in nanoseconds, rounded to the nearest nanosecond. */
  public static long millis(double millis) {
    return Math.round(millis * NANOS_PER_MILLI);
  }

  /** {@code seconds} seconds in nanoseconds. */
  public static long seconds(long seconds) {
    return Math.multiplyExact(seconds, NANOS_PER_SECOND);
  }

  /**
   * Parses a duration with a unit, such as {@code 250ns}, {@code 40us}, {@code 100ms}, {@code 1.5s}
   * or {@code 2m}, in the one grammar of {@link io.kcpj.netem.profile.Quantities#nanos(String)}.
   *
   * @throws IllegalArgumentException naming the text and the valid units
   */
  public static long parse(String text) {
    return io.kcpj.netem.profile.Quantities.nanos(text);
  }

  /** {@code nanos} as fractional milliseconds (for display). */
  public static double toMillis(long nanos) {
    return nanos / (double) NANOS_PER_MILLI;
  }

  /**
   * A duration in the largest unit that shows it exactly with at most three decimals: {@code 3s},
   * {@code 1.5s}, {@code 45.5ms}, {@code 281.25ms}, {@code 40us}, {@code 7ns}. The result parses
   * back to the same value with {@link #parse(String)}.
   */
  public static String format(long nanos) {
    long[] units = {NANOS_PER_SECOND, NANOS_PER_MILLI, NANOS_PER_MICRO};
    String[] names = {"s", "ms", "us"};
    for (int i = 0; i < units.length; i++) {
      long u = units[i];
      if (Math.abs(nanos) >= u
          && (nanos * 1000) % u == 0
          && Math.abs(nanos) < Long.MAX_VALUE / 1000) {
        return java.math.BigDecimal.valueOf(nanos)
                .divide(java.math.BigDecimal.valueOf(u))
                .stripTrailingZeros()
                .toPlainString()
            + names[i];
      }
    }
    return nanos == 0 ? "0ms" : nanos + "ns";
  }
}
