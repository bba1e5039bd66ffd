package io.kcpj.bench.report;

import java.util.Locale;

/** How every report writes numbers: fixed decimals, {@code ∞} for infinity, empty for NaN. */
public final class Figures {
  private Figures() {}

  /** {@code v} with {@code format} (e.g. {@code %.1f}); {@code ∞} / {@code -∞}; NaN as "-". */
  public static String text(double v, String format) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "-∞";
    }
    return String.format(Locale.ROOT, format, v);
  }

  /** Milliseconds with one decimal. */
  public static String ms(double v) {
    return text(v, "%.1f");
  }

  /** A ratio with two decimals and a multiplication sign, e.g. {@code 0.43×}. */
  public static String ratio(double v) {
    return Double.isNaN(v) ? "-" : text(v, "%.2f") + (Double.isInfinite(v) ? "" : "×");
  }

  /**
   * A machine-readable value: 3 decimals, {@code inf} for +∞ (as Python's {@code float()} and most
   * CSV readers accept), empty for NaN.
   */
  public static String csv(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
