package io.kcpj.netem.profile;

import io.kcpj.netem.delay.Distribution;
import io.kcpj.netem.loss.BernoulliLoss;
import io.kcpj.netem.loss.FourStateLoss;
import io.kcpj.netem.loss.GilbertElliottLoss;
import io.kcpj.netem.loss.LossModel;
import io.kcpj.netem.loss.NoLoss;
import io.kcpj.netem.loss.ShuffleBagLoss;
import io.kcpj.netem.rate.QueueLimit;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the values of the profile syntax. Sizes, rates and durations follow the one grammar
 * of {@link Quantities} (shared with the {@code kcpj} command's options). Each throws {@link
 * BadValue} with a description of what would be valid; {@link ProfileParser} adds the key and the
 * token. No state.
 */
final class Values {
  private static final Pattern NUMBER_UNIT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([a-z%]*)");

  private Values() {}

  /** A value that does not parse; the message says what would be valid. */
  static final class BadValue extends Exception {
    BadValue(String expected) {
      super(expected, null, false, false);
    }
  }

  static final String DURATION = Quantities.DURATION;
  static final String PROBABILITY = "a probability such as 1% or 0.01 (between 0 and 1)";
  static final String RATE = Quantities.RATE;
  static final String BYTES = Quantities.SIZE;
  static final String QUEUE =
      "a limit such as 100p (packets), 64kib (bytes: "
          + Quantities.SIZE_UNITS
          + "), 100p:64kib (both) or none";
  static final String SWITCH = "on or off";
  static final String LOSS =
      "none, a probability (1% or 0.01), bernoulli:P, ge:P[:R[:1-H[:1-K]]], "
          + "gilbert:LOSS:BURST, 4state:P13[:P31[:P32[:P23[:P14]]]] or bag:PERCENT";
  static final String DIST = "uniform, normal, pareto or paretonormal";

  static long duration(String s) throws BadValue {
    try {
      return Quantities.nanos(s);
    } catch (Quantities.BadQuantity e) {
      throw new BadValue(e.expected());
    }
  }

  static double probability(String s) throws BadValue {
    Matcher m = NUMBER_UNIT.matcher(s.toLowerCase(Locale.ROOT));
    if (!m.matches() || !(m.group(2).isEmpty() || m.group(2).equals("%"))) {
      throw new BadValue(PROBABILITY);
    }
    BigDecimal v = new BigDecimal(m.group(1));
    if (!m.group(2).isEmpty()) {
      v = v.movePointLeft(2);
    }
    if (v.compareTo(BigDecimal.ONE) > 0) {
      throw new BadValue(PROBABILITY);
    }
    return v.doubleValue();
  }

  static long rate(String s) throws BadValue {
    try {
      return Quantities.bitsPerSecond(s);
    } catch (Quantities.BadQuantity e) {
      throw new BadValue(e.expected());
    }
  }

  static long bytes(String s) throws BadValue {
    try {
      return Quantities.bytes(s);
    } catch (Quantities.BadQuantity e) {
      throw new BadValue(e.expected());
    }
  }

  static int intBytes(String s) throws BadValue {
    try {
      return Quantities.intBytes(s, 0);
    } catch (Quantities.BadQuantity e) {
      throw new BadValue(e.expected());
    }
  }

  static QueueLimit queue(String s) throws BadValue {
    if (s.equalsIgnoreCase("none")) {
      return QueueLimit.UNLIMITED;
    }
    int packets = 0;
    long bytes = 0;
    for (String part : s.split(":", -1)) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.matches("[0-9]+(p|pkt|pkts|packets)")) {
        try {
          packets = Integer.parseInt(p.replaceAll("[a-z]+$", ""));
        } catch (NumberFormatException e) {
          throw new BadValue(QUEUE);
        }
      } else {
        try {
          bytes = bytes(p);
        } catch (BadValue e) {
          throw new BadValue(QUEUE);
        }
      }
    }
    if (packets == 0 && bytes == 0) {
      throw new BadValue(QUEUE + " (0 is not a limit; use none)");
    }
    return QueueLimit.of(packets, bytes);
  }

  static boolean onOff(String s) throws BadValue {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "on":
      case "true":
      case "yes":
      case "1":
        return true;
      case "off":
      case "false":
      case "no":
      case "0":
        return false;
      default:
        throw new BadValue(SWITCH);
    }
  }

  static Distribution distribution(String s) throws BadValue {
    Distribution d = Distribution.bySpecName(s.toLowerCase(Locale.ROOT));
    if (d == null || d == Distribution.CONSTANT) {
      throw new BadValue(DIST);
    }
    return d;
  }

  static LossModel loss(String s) throws BadValue {
    String v = s.toLowerCase(Locale.ROOT);
    if (v.equals("none")) {
      return NoLoss.INSTANCE;
    }
    String[] parts = v.split(":", -1);
    try {
      switch (parts[0]) {
        case "bernoulli":
          expectParts(parts, 2, 2, "bernoulli:P");
          return BernoulliLoss.of(probability(parts[1]));
        case "ge":
        case "gemodel":
          {
            expectParts(parts, 2, 5, "ge:P[:R[:1-H[:1-K]]]");
            double p = probability(parts[1]);
            double r = parts.length > 2 ? probability(parts[2]) : 1.0 - p;
            double lossBad = parts.length > 3 ? probability(parts[3]) : 1.0;
            double lossGood = parts.length > 4 ? probability(parts[4]) : 0.0;
            return GilbertElliottLoss.ofTc(p, r, lossBad, lossGood);
          }
        case "gilbert":
          {
            expectParts(parts, 3, 3, "gilbert:LOSS:MEAN_BURST_PACKETS");
            double loss = probability(parts[1]);
            double burst = positiveNumber(parts[2], "a mean burst length in packets (>= 1)");
            return GilbertElliottLoss.simple(loss, burst);
          }
        case "4state":
        case "state":
          {
            expectParts(parts, 2, 6, "4state:P13[:P31[:P32[:P23[:P14]]]]");
            double p13 = probability(parts[1]);
            double p31 = parts.length > 2 ? probability(parts[2]) : 1.0 - p13;
            double p32 = parts.length > 3 ? probability(parts[3]) : 0.0;
            double p23 = parts.length > 4 ? probability(parts[4]) : 1.0;
            double p14 = parts.length > 5 ? probability(parts[5]) : 0.0;
            return FourStateLoss.of(p13, p31, p32, p23, p14);
          }
        case "bag":
          {
            expectParts(parts, 2, 2, "bag:PERCENT or bag:LOST/SIZE");
            String[] frac = parts[1].split("/", -1);
            if (frac.length == 1) {
              return ShuffleBagLoss.percent(nonNegativeInt(frac[0], "bag:PERCENT (0 to 100)"));
            }
            if (frac.length == 2) {
              return ShuffleBagLoss.of(
                  nonNegativeInt(frac[0], "bag:LOST/SIZE"),
                  nonNegativeInt(frac[1], "bag:LOST/SIZE"));
            }
            throw new BadValue("bag:PERCENT or bag:LOST/SIZE");
          }
        default:
          if (parts.length == 1 && parts[0].matches("[0-9.]+%?")) {
            double p = probability(parts[0]);
            return p == 0.0 ? NoLoss.INSTANCE : BernoulliLoss.of(p);
          }
          throw new BadValue(LOSS);
      }
    } catch (IllegalArgumentException e) {
      throw new BadValue("a consistent loss model (" + e.getMessage() + ")");
    }
  }

  static InetSocketAddress address(String s) throws BadValue {
    String expected = "an IP literal and port such as 10.0.0.2:4000 or [::1]:4000";
    int colon = s.lastIndexOf(':');
    if (colon <= 0) {
      throw new BadValue(expected);
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!host.matches("[0-9a-fA-F:.]+")) {
      throw new BadValue(expected);
    }
    int port = nonNegativeInt(s.substring(colon + 1), expected);
    if (port > 65535) {
      throw new BadValue(expected);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new BadValue(expected);
    }
  }

  static int nonNegativeInt(String s, String expected) throws BadValue {
    if (!s.matches("[0-9]{1,9}")) {
      throw new BadValue(expected);
    }
    return Integer.parseInt(s);
  }

  private static double positiveNumber(String s, String expected) throws BadValue {
    if (!s.matches("[0-9]+(\\.[0-9]+)?")) {
      throw new BadValue(expected);
    }
    return Double.parseDouble(s);
  }

  private static void expectParts(String[] parts, int min, int max, String form) throws BadValue {
    if (parts.length < min || parts.length > max) {
      throw new BadValue(form);
    }
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new BadValue(form);
      }
    }
  }
}
