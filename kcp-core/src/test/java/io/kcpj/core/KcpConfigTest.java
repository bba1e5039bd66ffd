package io.kcpj.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** KcpConfig: the compact text form, presets, and the validation messages users see. */
class KcpConfigTest {

  @Test
  void compactFormEqualsTheBuilder() {
    assertEquals(
        KcpConfig.fast().toBuilder().windows(256, 256).mtu(1200).build(),
        KcpConfig.parse("fast,wnd=256,mtu=1200"));
    assertEquals(
        KcpConfig.builder().noDelay(1, 10, 2, true).build(),
        KcpConfig.parse("nodelay=1,interval=10,resend=2,nc=true"));
    // wnd below the receive floor keeps the send window and raises the receive window to 128
    KcpConfig small = KcpConfig.parse("wnd=32");
    assertEquals(32, small.sendWindow());
    assertEquals(128, small.receiveWindow());
  }

  @Test
  void presetKeyReplacesEarlierSettingsLikeALeadingName() {
    assertEquals(
        KcpConfig.normal().toBuilder().mtu(1200).build(),
        KcpConfig.parse("mtu=500,preset=normal,mtu=1200"));
    assertEquals(KcpConfig.parse("test-fast"), KcpConfig.parse("preset=test-fast"));
  }

  @Test
  void toStringRoundTrips() {
    for (String name : KcpConfig.presetNames()) {
      KcpConfig c = KcpConfig.preset(name).toBuilder().windows(64, 512).streamMode(true).build();
      assertEquals(c, KcpConfig.parse(c.toString()), name);
    }
  }

  @Test
  void badValuesNameTheFieldAndItsRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KcpConfig.builder().interval(5));
    assertEquals("interval must be in [10, 5000], got 5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KcpConfig.builder().receiveWindow(32));
    assertTrue(e.getMessage().startsWith("rcvwnd must be in [128, 65535]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KcpConfig.parse("fast,jiter=3"));
    assertTrue(e.getMessage().contains("unknown key 'jiter'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KcpConfig.parse("mtu=big"));
    assertTrue(e.getMessage().contains("'big' is not a whole number"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KcpConfig.parse("nc=maybe"));
    assertTrue(e.getMessage().contains("is not a boolean"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KcpConfig.parse("mtu=1200,fast"));
    assertTrue(e.getMessage().contains("a preset name may only come first"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KcpConfig.preset("turbo2"));
    assertTrue(e.getMessage().contains("valid presets"), e.getMessage());
  }
}
