package io.kcpj.bench.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the command line's durations ({@code 30s}, {@code 500ms}, {@code 500us}, {@code 2m}) and
 * sizes ({@code 64kb}, {@code 10MB}).
 */
public final class Quantities {
  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|min|m|h)?");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|kib|mb|mib|gb|gib)?");

  private Quantities() {}

  /** Milliseconds of a duration (rounded); a bare number is seconds. */
  public static long millis(String text) {
    return Math.round(duration(text).toNanos() / 1e6);
  }

  /**
   * A duration: a number and a unit, {@code us}, {@code ms}, {@code s}, {@code m} (or {@code min})
   * or {@code h}; a bare number is seconds. Fractions are allowed ({@code 0.5ms}).
   *
   * @throws IllegalArgumentException if the text is not such a duration
   */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (examples: 500us, 1ms, 30s, 2m)");
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double nanosPerUnit;
    switch (unit) {
      case "us":
        nanosPerUnit = 1e3;
        break;
      case "ms":
        nanosPerUnit = 1e6;
        break;
      case "s":
        nanosPerUnit = 1e9;
        break;
      case "m":
      case "min":
        nanosPerUnit = 60e9;
        break;
      default:
        nanosPerUnit = 3600e9;
        break;
    }
    return Duration.ofNanos(Math.round(v * nanosPerUnit));
  }

  /** Bytes of a size; k/M/G are powers of 1000, Ki/Mi/Gi of 1024; a bare number is bytes. */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size (examples: 100, 64kb, 10MB, 1MiB)");
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    double f;
    switch (unit) {
      case "kb":
        f = 1e3;
        break;
      case "kib":
        f = 1024;
        break;
      case "mb":
        f = 1e6;
        break;
      case "mib":
        f = 1024 * 1024;
        break;
      case "gb":
        f = 1e9;
        break;
      case "gib":
        f = 1024.0 * 1024 * 1024;
        break;
      default:
        f = 1;
    }
    return Math.round(v * f);
  }
}
