package io.kcpj.core.fec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The field axioms of GF(2⁸), checked exhaustively, and its agreement with carry-less arithmetic.
 */
class Gf256Test {

  /** Shift-and-add multiplication modulo 0x11d, independent of the tables. */
  private static int slowMul(int a, int b) {
    int product = 0;
    while (b != 0) {
      if ((b & 1) != 0) {
        product ^= a;
      }
      a <<= 1;
      if ((a & 0x100) != 0) {
        a ^= 0x11d;
      }
      b >>= 1;
    }
    return product;
  }

  @Test
  void tablesAgreeWithCarrylessMultiplication() {
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        assertEquals(slowMul(a, b), Gf256.mul(a, b), a + "*" + b);
      }
    }
  }

  @Test
  void multiplicationIsCommutativeAssociativeAndDistributes() {
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        assertEquals(Gf256.mul(a, b), Gf256.mul(b, a));
        for (int c = 0; c < 256; c += 17) {
          assertEquals(Gf256.mul(Gf256.mul(a, b), c), Gf256.mul(a, Gf256.mul(b, c)));
          assertEquals(Gf256.add(Gf256.mul(a, c), Gf256.mul(b, c)), Gf256.mul(Gf256.add(a, b), c));
        }
      }
    }
  }

  @Test
  void identitiesZeroAndInverses() {
    for (int a = 0; a < 256; a++) {
      assertEquals(a, Gf256.mul(a, 1));
      assertEquals(0, Gf256.mul(a, 0));
      assertEquals(0, Gf256.add(a, a), "every element is its own additive inverse");
      if (a != 0) {
        assertEquals(1, Gf256.mul(a, Gf256.inverse(a)), "inverse of " + a);
        for (int b = 1; b < 256; b++) {
          assertEquals(a, Gf256.mul(Gf256.div(a, b), b), a + "/" + b);
        }
      }
    }
    assertThrows(ArithmeticException.class, () -> Gf256.div(1, 0));
  }

  @Test
  void twoGeneratesTheMultiplicativeGroup() {
    Set<Integer> seen = new HashSet<>();
    for (int n = 0; n < 255; n++) {
      seen.add(Gf256.pow(2, n));
    }
    assertEquals(255, seen.size());
    assertNotEquals(0, Gf256.pow(2, 254));
    assertEquals(1, Gf256.pow(2, 255));
  }

  @Test
  void powerMatchesRepeatedMultiplication() {
    for (int a = 0; a < 256; a++) {
      int p = 1;
      for (int n = 0; n < 600; n++) {
        assertEquals(p, Gf256.pow(a, n), a + "^" + n);
        p = Gf256.mul(p, a);
      }
    }
  }
}
