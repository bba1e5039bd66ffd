package io.kcpj.netem.tun;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TunPreflightTest {

  private static String status(String uid, String capEff, String capAmb) {
    return "Name:\tjava\nUid:\t"
        + uid
        + "\t"
        + uid
        + "\t"
        + uid
        + "\t"
        + uid
        + "\n"
        + "CapInh:\t0000000000000000\nCapPrm:\t"
        + capEff
        + "\nCapEff:\t"
        + capEff
        + "\n"
        + "CapBnd:\t000001ffffffffff\nCapAmb:\t"
        + capAmb
        + "\n";
  }

  @Test
  void rootWithFullCapabilitiesPasses() {
    assertNull(TunPreflight.capabilityProblem(status("0", "000001ffffffffff", "0000000000000000")));
  }

  @Test
  void missingNetAdminIsNamedWithTheFix() {
    String capEff = Long.toHexString(0x1ffffffffffL & ~(1L << 12));
    String message = TunPreflight.capabilityProblem(status("0", capEff, "0"));
    assertTrue(
        message.contains("not permitted")
            && message.contains("CAP_NET_ADMIN")
            && !message.contains("CAP_SYS_ADMIN")
            && message.contains("root"),
        message);
  }

  @Test
  void ordinaryUserMissesBothCapabilities() {
    String message =
        TunPreflight.capabilityProblem(status("1000", "0000000000000000", "0000000000000000"));
    assertTrue(
        message.contains("CAP_NET_ADMIN")
            && message.contains("CAP_SYS_ADMIN")
            && message.contains("uid 1000")
            && message.contains("--cap-add NET_ADMIN"),
        message);
  }

  @Test
  void nonRootWithCapabilitiesNeedsThemAmbientForTheIpChildren() {
    String both = Long.toHexString((1L << 12) | (1L << 21));
    String message = TunPreflight.capabilityProblem(status("1000", both, "0000000000000000"));
    assertTrue(message.contains("ambient"), message);
    assertNull(TunPreflight.capabilityProblem(status("1000", both, both)));
  }

  @Test
  void unreadableStatusIsReported() {
    assertTrue(TunPreflight.capabilityProblem("Name:\tjava\n").contains("CapEff"));
  }
}
