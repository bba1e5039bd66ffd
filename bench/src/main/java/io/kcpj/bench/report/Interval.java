package io.kcpj.bench.report;

import java.util.Locale;

/**
 * A point estimate with a confidence interval, {@code [low, high]}. Either bound may be infinite
 * (no bound from the data: too few samples, or too many undelivered messages) and any part may be
 * NaN (not computable). Immutable.
 */
public record Interval(double estimate, double low, double high) {
  /** Nothing computable. */
  public static final Interval NONE = new Interval(Double.NaN, Double.NaN, Double.NaN);

  /** Whether the two intervals share at least one value (NaN intervals overlap nothing). */
  public boolean overlaps(Interval o) {
    if (Double.isNaN(low) || Double.isNaN(high) || Double.isNaN(o.low) || Double.isNaN(o.high)) {
      return false;
    }
    return low <= o.high && o.low <= high;
  }

  /** {@code high - low} (infinite when a bound is). */
  public double width() {
    return high - low;
  }

  /** The bounds as text, e.g. {@code 412.3–436.9}, {@code ∞} for an infinite bound. */
  public String boundsText(String format) {
    return Figures.text(low, format) + "–" + Figures.text(high, format);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "%s [%s]", Figures.text(estimate, "%.3f"), boundsText("%.3f"));
  }
}
