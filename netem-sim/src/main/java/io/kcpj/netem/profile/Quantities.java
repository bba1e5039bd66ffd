package io.kcpj.netem.profile;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of sizes, rates and durations: in profile text ({@link ProfileParser}) and in
 * every option of the {@code kcpj} command. Units are case-insensitive; a number may have a decimal
 * fraction ({@code 1.5s}, {@code 0.5mb}); a space between number and unit is allowed.
 *
 * <table>
 *   <caption>The grammar</caption>
 *   <tr><th>kind</th><th>units</th><th>a bare number</th></tr>
 *   <tr><td>size</td><td>{@code b}; {@code kb} = 1,000, {@code mb} = 1,000², {@code gb} = 1,000³;
 *       {@code kib} = 1,024, {@code mib} = 1,024², {@code gib} = 1,024³</td>
 *       <td>bytes ({@code 1400} = {@code 1400b})</td></tr>
 *   <tr><td>rate</td><td>{@code bit}, {@code kbit} = 1,000 bit/s, {@code mbit}, {@code gbit};
 *       {@code kibit} = 1,024 bit/s, {@code mibit}, {@code gibit} (tc's units and meanings)</td>
 *       <td>refused (write {@code 1000bit}); {@code kbps}-style units are refused too, since tc
 *       reads them as bytes per second</td></tr>
 *   <tr><td>duration</td><td>{@code ns}, {@code us}, {@code ms}, {@code s}, {@code m} (or {@code
 *       min}), {@code h}</td><td>refused, except {@code 0}</td></tr>
 * </table>
 *
 * <p>Worked example: {@code bytes("64kb")} is 64,000 and {@code bytes("64KiB")} is 65,536; {@code
 * nanos("1.5s")} is 1,500,000,000; {@code nanos("30")} throws {@link BadQuantity} whose message is
 * {@code bad duration '30': expected a unit, such as 30s or 30ms (units: ns, us, ms, s, m, h)}.
 *
 * <p>Every parser throws {@link BadQuantity} (an {@link IllegalArgumentException}) whose message
 * names the text and what would be valid. No state; thread-safe.
 */
public final class Quantities {
  private static final Pattern NUMBER_UNIT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-z%]*)");

  /** The size units, for help texts. */
  public static final String SIZE_UNITS =
      "b; kb = 1,000, mb, gb; kib = 1,024, mib, gib; a bare number is bytes";

  /** The rate units, for help texts. */
  public static final String RATE_UNITS =
      "bit, kbit = 1,000 bit/s, mbit, gbit; kibit = 1,024 bit/s, mibit, gibit (as tc)";

  /** The duration units, for help texts. */
  public static final String DURATION_UNITS =
      "ns, us, ms, s, m, h; a bare number is refused, except 0";

  static final String SIZE = "a size such as 1400, 64kb or 64kib (units: " + SIZE_UNITS + ")";
  static final String RATE = "a rate such as 1mbit (units: " + RATE_UNITS + ")";
  static final String DURATION = "a duration such as 100ms or 30s (units: " + DURATION_UNITS + ")";

  private Quantities() {}

  /**
   * A text that is not a quantity of the expected kind. {@link #getMessage()} is the whole sentence
   * ({@code bad size '64kx': expected ...}); {@link #expected()} is what follows "expected".
   */
  public static final class BadQuantity extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What would have been valid. */
    private final String expected;

    BadQuantity(String kind, String text, String expected) {
      super("bad " + kind + " '" + text + "': expected " + expected);
      this.expected = expected;
    }

    /** What would have been valid, e.g. {@code a size such as 1400, 64kb or 64kib (...)}. */
    public String expected() {
      return expected;
    }
  }

  /**
   * A size in bytes.
   *
   * @throws BadQuantity if {@code text} is not a size, is not a whole number of bytes, or is out of
   *     {@code long}'s range
   */
  public static long bytes(String text) {
    Matcher m = NUMBER_UNIT.matcher(normal(text));
    if (!m.matches()) {
      throw new BadQuantity("size", text, SIZE);
    }
    long unit;
    switch (m.group(2)) {
      case "":
      case "b":
        unit = 1L;
        break;
      case "kb":
        unit = 1_000L;
        break;
      case "mb":
        unit = 1_000_000L;
        break;
      case "gb":
        unit = 1_000_000_000L;
        break;
      case "kib":
        unit = 1L << 10;
        break;
      case "mib":
        unit = 1L << 20;
        break;
      case "gib":
        unit = 1L << 30;
        break;
      case "k":
      case "m":
      case "g":
        throw new BadQuantity(
            "size",
            text,
            "a unit that says which kilo it is: "
                + m.group(1)
                + m.group(2)
                + "b ("
                + m.group(2)
                + " = 1,000) or "
                + m.group(1)
                + m.group(2)
                + "ib ("
                + m.group(2)
                + " = 1,024)");
      default:
        throw new BadQuantity("size", text, SIZE);
    }
    BigDecimal v = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
    if (v.stripTrailingZeros().scale() > 0) {
      throw new BadQuantity("size", text, "a whole number of bytes (" + SIZE + ")");
    }
    try {
      return v.longValueExact();
    } catch (ArithmeticException e) {
      throw new BadQuantity("size", text, SIZE + ", within range");
    }
  }

  /**
   * A size in bytes that fits an {@code int} and is at least {@code min}.
   *
   * @throws BadQuantity as {@link #bytes(String)}, or if the size is out of that range
   */
  public static int intBytes(String text, int min) {
    long v = bytes(text);
    if (v < min || v > Integer.MAX_VALUE) {
      throw new BadQuantity(
          "size",
          text,
          "a size of at least "
              + min
              + " byte"
              + (min == 1 ? "" : "s")
              + " and below 2 GiB (units: "
              + SIZE_UNITS
              + ")");
    }
    return (int) v;
  }

  /**
   * A rate in bits per second, above 0.
   *
   * @throws BadQuantity if {@code text} is not such a rate
   */
  public static long bitsPerSecond(String text) {
    Matcher m = NUMBER_UNIT.matcher(normal(text));
    if (!m.matches()) {
      throw new BadQuantity("rate", text, RATE);
    }
    long unit;
    switch (m.group(2)) {
      case "bit":
        unit = 1L;
        break;
      case "kbit":
        unit = 1_000L;
        break;
      case "mbit":
        unit = 1_000_000L;
        break;
      case "gbit":
        unit = 1_000_000_000L;
        break;
      case "kibit":
        unit = 1L << 10;
        break;
      case "mibit":
        unit = 1L << 20;
        break;
      case "gibit":
        unit = 1L << 30;
        break;
      case "":
        throw new BadQuantity(
            "rate",
            text,
            "a unit, such as "
                + m.group(1)
                + "bit or "
                + m.group(1)
                + "kbit (units: "
                + RATE_UNITS
                + ")");
      case "bps":
      case "kbps":
      case "mbps":
      case "gbps":
        throw new BadQuantity(
            "rate",
            text,
            RATE
                + "; '"
                + m.group(2)
                + "' is ambiguous (tc reads it as bytes/s): write "
                + m.group(1)
                + m.group(2).replace("bps", "bit")
                + " for bits/s");
      default:
        throw new BadQuantity("rate", text, RATE);
    }
    long v;
    try {
      v =
          new BigDecimal(m.group(1))
              .multiply(BigDecimal.valueOf(unit))
              .setScale(0, RoundingMode.HALF_UP)
              .longValueExact();
    } catch (ArithmeticException e) {
      throw new BadQuantity("rate", text, RATE + ", within range");
    }
    if (v <= 0) {
      throw new BadQuantity("rate", text, RATE + ", above 0");
    }
    return v;
  }

  /**
   * A duration in nanoseconds (a fraction is rounded to the nearest nanosecond).
   *
   * @throws BadQuantity if {@code text} is not a duration, has no unit (and is not 0), or is out of
   *     range
   */
  public static long nanos(String text) {
    Matcher m = NUMBER_UNIT.matcher(normal(text));
    if (!m.matches()) {
      throw new BadQuantity("duration", text, DURATION);
    }
    long unit;
    switch (m.group(2)) {
      case "ns":
        unit = 1L;
        break;
      case "us":
        unit = 1_000L;
        break;
      case "ms":
        unit = 1_000_000L;
        break;
      case "s":
        unit = 1_000_000_000L;
        break;
      case "m":
      case "min":
        unit = 60_000_000_000L;
        break;
      case "h":
        unit = 3_600_000_000_000L;
        break;
      case "":
        if (new BigDecimal(m.group(1)).signum() == 0) {
          return 0;
        }
        throw new BadQuantity(
            "duration",
            text,
            "a unit, such as "
                + m.group(1)
                + "s or "
                + m.group(1)
                + "ms (units: ns, us, ms, s, m, h)");
      default:
        throw new BadQuantity("duration", text, DURATION);
    }
    try {
      return new BigDecimal(m.group(1))
          .multiply(BigDecimal.valueOf(unit))
          .setScale(0, RoundingMode.HALF_UP)
          .longValueExact();
    } catch (ArithmeticException e) {
      throw new BadQuantity("duration", text, DURATION + ", within range");
    }
  }

  /**
   * A duration as a {@link Duration}.
   *
   * @throws BadQuantity as {@link #nanos(String)}
   */
  public static Duration duration(String text) {
    return Duration.ofNanos(nanos(text));
  }

  /**
   * A duration in whole milliseconds (rounded to the nearest).
   *
   * @throws BadQuantity as {@link #nanos(String)}
   */
  public static long millis(String text) {
    long nanos = nanos(text);
    return nanos / 1_000_000L + (nanos % 1_000_000L >= 500_000L ? 1 : 0);
  }

  private static String normal(String text) {
    return text.trim().toLowerCase(Locale.ROOT);
  }
}
