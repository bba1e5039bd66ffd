package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reconstruction of 64-bit packet numbers from their low 32 bits (RFC 9000, appendix A.3). */
class PacketNumberTest {

  @Test
  void decodesNearTheExpectedNumber() {
    assertEquals(0, PacketNumber.decode(-1, 0));
    assertEquals(5, PacketNumber.decode(-1, 5));
    assertEquals(0xFFFF_FFFFL, PacketNumber.decode(-1, -1));
    assertEquals(100, PacketNumber.decode(200, 100));
  }

  @Test
  void crossesThe32BitWrapInBothDirections() {
    long largest = 0xFFFF_FFF0L;
    assertEquals(0x1_0000_0005L, PacketNumber.decode(largest, 5));
    assertEquals(0xFFFF_FFFFL, PacketNumber.decode(0x1_0000_0002L, 0xFFFF_FFFF));
    assertEquals(0x7_0000_0000L + 3, PacketNumber.decode(0x7_0000_0000L, 3));
  }

  @Test
  void theHalfWindowDecides() {
    long largest = 0x1_0000_0000L; // expected 0x1_0000_0001
    assertEquals(0x1_7FFF_FFFFL, PacketNumber.decode(largest, 0x7FFF_FFFF));
    assertEquals(0x0_8000_0002L, PacketNumber.decode(largest, 0x8000_0002));
  }

  @Test
  void neverGoesNegative() {
    assertEquals(0xFFFF_FFFEL, PacketNumber.decode(3, 0xFFFF_FFFE));
  }
}
