package io.kcpj.netem.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.time.TimeUnits;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The one grammar of sizes, rates and durations, and its error messages. */
class QuantitiesTest {

  @Test
  void sizesAreDecimalWithKbAndBinaryWithKibAndBareNumbersAreBytes() {
    assertEquals(1400, Quantities.bytes("1400"));
    assertEquals(1400, Quantities.bytes("1400b"));
    assertEquals(64_000, Quantities.bytes("64kb"));
    assertEquals(65_536, Quantities.bytes("64kib"));
    assertEquals(65_536, Quantities.bytes("64KiB"), "case-insensitive");
    assertEquals(10_000_000, Quantities.bytes("10MB"));
    assertEquals(10L << 20, Quantities.bytes("10mib"));
    assertEquals(2_000_000_000L, Quantities.bytes("2gb"));
    assertEquals(2L << 30, Quantities.bytes("2GiB"));
    assertEquals(1_500, Quantities.bytes("1.5kb"));
    assertEquals(1_536, Quantities.bytes("1.5 kib"), "a space before the unit is allowed");
    assertEquals(0, Quantities.bytes("0"));
  }

  @Test
  void ratesAreTcsUnits() {
    assertEquals(1_000, Quantities.bitsPerSecond("1kbit"), "kbit is 1,000 bit/s, as in tc");
    assertEquals(1_024, Quantities.bitsPerSecond("1kibit"));
    assertEquals(780_000, Quantities.bitsPerSecond("780kbit"));
    assertEquals(2_500_000, Quantities.bitsPerSecond("2.5Mbit"));
    assertEquals(1L << 20, Quantities.bitsPerSecond("1mibit"));
    assertEquals(3_000_000_000L, Quantities.bitsPerSecond("3gbit"));
    assertEquals(1L << 30, Quantities.bitsPerSecond("1gibit"));
    assertEquals(9, Quantities.bitsPerSecond("9bit"));
  }

  @Test
  void durationsNeedAUnitExceptZero() {
    assertEquals(250, Quantities.nanos("250ns"));
    assertEquals(500_000, Quantities.nanos("500us"));
    assertEquals(500_000, Quantities.nanos("0.5ms"));
    assertEquals(45_500_000, Quantities.nanos("45.5ms"));
    assertEquals(30_000_000_000L, Quantities.nanos("30s"));
    assertEquals(120_000_000_000L, Quantities.nanos("2m"));
    assertEquals(120_000_000_000L, Quantities.nanos("2min"));
    assertEquals(3_600_000_000_000L, Quantities.nanos("1H"));
    assertEquals(0, Quantities.nanos("0"));
    assertEquals(0, Quantities.nanos("0.0"));
    assertEquals(Duration.ofMillis(250), Quantities.duration("250ms"));
    assertEquals(2, Quantities.millis("1500us"), "rounded to the nearest millisecond");
    assertEquals(1, Quantities.millis("1499us"));
    assertEquals(TimeUnits.parse("1.5s"), Quantities.nanos("1.5s"), "one parser");
  }

  private static String error(Runnable parse) {
    return assertThrows(Quantities.BadQuantity.class, parse::run).getMessage();
  }

  @Test
  void errorsNameTheTextAndTheAcceptedUnits() {
    assertEquals(
        "bad duration '30': expected a unit, such as 30s or 30ms (units: ns, us, ms, s, m, h)",
        error(() -> Quantities.nanos("30")));
    assertEquals(
        "bad duration '1 fortnight': expected a duration such as 100ms or 30s"
            + " (units: ns, us, ms, s, m, h; a bare number is refused, except 0)",
        error(() -> Quantities.nanos("1 fortnight")));
    assertEquals(
        "bad size '64k': expected a unit that says which kilo it is: 64kb (k = 1,000)"
            + " or 64kib (k = 1,024)",
        error(() -> Quantities.bytes("64k")));
    assertEquals(
        "bad size 'lots': expected a size such as 1400, 64kb or 64kib"
            + " (units: b; kb = 1,000, mb, gb; kib = 1,024, mib, gib; a bare number is bytes)",
        error(() -> Quantities.bytes("lots")));
    assertTrue(error(() -> Quantities.bytes("0.5")).contains("a whole number of bytes"));
    assertTrue(error(() -> Quantities.bytes("-5")).contains("a size such as"));
    assertTrue(error(() -> Quantities.bytes("99999999999gib")).contains("within range"));
    assertEquals(
        "bad size '10': expected a size of at least 16 bytes and below 2 GiB"
            + " (units: b; kb = 1,000, mb, gb; kib = 1,024, mib, gib; a bare number is bytes)",
        error(() -> Quantities.intBytes("10", 16)));
    assertTrue(error(() -> Quantities.intBytes("2gib", 0)).contains("below 2 GiB"));
    assertEquals(
        "bad rate '1000': expected a unit, such as 1000bit or 1000kbit"
            + " (units: bit, kbit = 1,000 bit/s, mbit, gbit; kibit = 1,024 bit/s, mibit, gibit"
            + " (as tc))",
        error(() -> Quantities.bitsPerSecond("1000")));
    String bps = error(() -> Quantities.bitsPerSecond("1mbps"));
    assertTrue(bps.contains("ambiguous") && bps.contains("write 1mbit"), bps);
    assertTrue(error(() -> Quantities.bitsPerSecond("0kbit")).contains("above 0"));
  }

  @Property
  void everyFormattedDurationParsesBack(@ForAll @LongRange(min = 0, max = 1L << 50) long nanos) {
    assertEquals(nanos, Quantities.nanos(TimeUnits.format(nanos)));
  }

  @Property
  void decimalAndBinaryUnitsScaleExactly(@ForAll @LongRange(min = 0, max = 1 << 30) long n) {
    assertEquals(n * 1_000, Quantities.bytes(n + "kb"));
    assertEquals(n * 1_024, Quantities.bytes(n + "kib"));
    assertEquals(n * 1_000_000, Quantities.bytes(n + "MB"));
    assertEquals(n << 20, Quantities.bytes(n + "MiB"));
  }
}
