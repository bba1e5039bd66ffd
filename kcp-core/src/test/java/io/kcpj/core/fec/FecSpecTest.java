package io.kcpj.core.fec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FecSpecTest {

  @Test
  void parsesEveryForm() {
    assertEquals(FecSpec.OFF, FecSpec.parse("off"));
    assertEquals(FecSpec.OFF, FecSpec.parse("none"));
    assertEquals(FecSpec.OFF, FecSpec.parse("0/0"));
    assertEquals(FecSpec.OFF, FecSpec.parse("10/0"), "kcp-go: FEC only when both counts > 0");
    FecSpec fixed = FecSpec.parse("10/3");
    assertEquals(10, fixed.dataShards());
    assertEquals(3, fixed.parityShards());
    assertEquals(3, fixed.minParity());
    assertFalse(fixed.adaptive());
    assertFalse(fixed.kcpjOnly());
    FecSpec adaptive = FecSpec.parse("10/1-3");
    assertTrue(adaptive.adaptive());
    assertFalse(adaptive.kcpjOnly(), "adaptive parity is kcp-go's wire");
    assertEquals(1, adaptive.minParity());
    assertEquals(3, adaptive.parityShards());
    FecSpec thin = FecSpec.parse("10/0-3@20ms");
    assertEquals(0, thin.minParity());
    assertEquals(20, thin.deadlineMillis());
    assertTrue(thin.kcpjOnly());
    assertEquals(1000, FecSpec.parse("3/1@1s").deadlineMillis());
    assertEquals(15, FecSpec.parse("3/1@15").deadlineMillis());
  }

  @Test
  void textRoundTrips() {
    for (String s : new String[] {"off", "10/3", "3/1", "10/1-3", "10/0-3@20ms", "3/1@15ms"}) {
      assertEquals(s, FecSpec.parse(s).toString());
      assertEquals(FecSpec.parse(s), FecSpec.parse(FecSpec.parse(s).toString()));
    }
  }

  @Test
  void refusesNonsenseWithTheFormsInTheMessage() {
    for (String bad : new String[] {"10", "a/b", "10/3-1", "200/100", "10/3@0", "10/3@11s", ""}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> FecSpec.parse(bad), bad);
      assertTrue(e.getMessage().contains(bad.isEmpty() ? "FEC" : bad), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> FecSpec.fixed(-1, 3));
    assertThrows(IllegalArgumentException.class, () -> FecSpec.of(0, 1, 3, 0));
  }
}
