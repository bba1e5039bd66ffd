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

  /** {@code nanos} as fractional milliseconds (for display). */
  public static double toMillis(long nanos) {
    return nanos / (double) NANOS_PER_MILLI;
  }

  /**
   * A duration in the shortest exact unit: {@code 3s}, {@code 250ms}, {@code 40us}, {@code 7ns}. The
   * result parses back to the same value with the profile syntax.
   */
  public static String format(long nanos) {
    if (nanos != 0 && nanos % NANOS_PER_SECOND == 0) {
      return nanos / NANOS_PER_SECOND + "s";
    }
    if (nanos % NANOS_PER_MILLI == 0) {
      return nanos / NANOS_PER_MILLI + "ms";
    }
    if (nanos % NANOS_PER_MICRO == 0) {
      return nanos / NANOS_PER_MICRO + "us";
    }
    return nanos + "ns";
  }
}
