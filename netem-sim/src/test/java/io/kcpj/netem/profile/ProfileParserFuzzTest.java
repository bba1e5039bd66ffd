package io.kcpj.netem.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target of the profile parser (see docs/fuzzing.md): any text, in the compact or the file
 * form, gives either a {@link Profile} or an {@link IllegalArgumentException} with a message, and
 * nothing else; a profile that parses writes itself back ({@link Profile#toSpec()}) as text that
 * parses to an equal profile.
 */
class ProfileParserFuzzTest {

  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
    "delay=",
    "jitter=",
    "dist=",
    "fifo=",
    "loss=",
    "reorder=",
    "duplicate=",
    "corrupt=",
    "rate=",
    "overhead=",
    "queue=",
    "mtu=",
    "blackout=",
    "delay-step=",
    "loss-step=",
    "rebind=",
    "preset=",
    "up.",
    "down.",
    "ms",
    "us",
    "s",
    "%",
    "kbit",
    "mbit",
    "gbit",
    "kb",
    "mb",
    "p",
    "ge:",
    "gilbert:",
    "bag:",
    "4state:",
    "uniform",
    "normal",
    "pareto",
    "paretonormal",
    "on",
    "off",
    "none",
    "+",
    "@127.0.0.1:",
    ",",
    "=",
    "#",
    "e9",
    "1e-3",
    "0.",
    "NaN",
    "Infinity",
    "-"
  })
  void anyTextGivesAProfileOrAnIllegalArgumentException(FuzzedDataProvider data) {
    boolean fileForm = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    Profile p;
    try {
      if (fileForm) {
        List<String> lines = Arrays.asList(text.split("\n", -1));
        p = ProfileParser.parseLines(lines, "fuzz.profile");
      } else {
        p = Profile.parse(text);
      }
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage(), "an IllegalArgumentException without a message");
      assertFalse(e.getMessage().isBlank(), "an IllegalArgumentException with a blank message");
      return;
    }
    assertNotNull(p);
    String spec = p.toSpec();
    Profile again = Profile.parse(spec);
    assertEquals(
        p, again, () -> "toSpec() does not round-trip: '" + spec + "' from '" + text + "'");
  }
}
