package io.kcpj.netem.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kcpj.netem.profile.Profile;
import org.junit.jupiter.api.Test;

/** Probabilities are written as plain decimals that profile text parses back exactly. */
class ProbabilitiesTest {
  @Test
  void smallProbabilitiesAreWrittenWithoutExponent() {
    assertEquals("0.0001", Probabilities.format(1.0e-4));
    assertEquals("0.25", Probabilities.format(0.25));
    assertEquals("0.000000123", Probabilities.format(1.23e-7));
  }

  @Test
  void aGilbertElliottProfileFoundByTheFuzzerRoundTrips() {
    // ProfileParserFuzzTest found toSpec() writing 'ge:1.0E-4:0.9999:1:0', which parse refused.
    Profile p = Profile.parse("loss=ge:0.0001");
    assertEquals(p, Profile.parse(p.toSpec()), p.toSpec());
  }
}
