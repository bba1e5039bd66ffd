package io.kcpj.core.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Matrix product and inversion over GF(2⁸), and the properties of kcp-go's encoding matrix. */
class GfMatrixTest {

  private static void assertMatrixEquals(byte[][] expected, byte[][] actual) {
    assertArrayEquals(expected, actual);
  }

  @Test
  void randomInvertibleMatricesInvertBothWays() {
    Random random = new Random(7);
    int inverted = 0;
    for (int trial = 0; trial < 400; trial++) {
      int n = 1 + random.nextInt(12);
      byte[][] m = new byte[n][n];
      for (byte[] row : m) {
        random.nextBytes(row);
      }
      byte[][] out = new byte[n][n];
      if (!GfMatrix.invert(m, out, new byte[n][2 * n])) {
        continue; // singular: fine, random matrices sometimes are
      }
      inverted++;
      assertMatrixEquals(GfMatrix.identity(n), GfMatrix.multiply(m, out));
      assertMatrixEquals(GfMatrix.identity(n), GfMatrix.multiply(out, m));
      assertMatrixEquals(m, GfMatrix.invert(out));
    }
    assertTrue(inverted > 300, "most random matrices are invertible: " + inverted);
  }

  @Test
  void singularMatricesAreReported() {
    byte[][] m = {{1, 2, 3}, {2, 4, 6}, {5, 6, 7}}; // row 2 = 2 · row 1 in GF(2^8)
    assertFalse(GfMatrix.invert(m, new byte[3][3], new byte[3][6]));
    assertThrows(ArithmeticException.class, () -> GfMatrix.invert(new byte[][] {{0}}));
  }

  @Test
  void theInputMatrixIsLeftUntouched() {
    byte[][] m = {{3, 7}, {9, 1}};
    byte[][] copy = {{3, 7}, {9, 1}};
    GfMatrix.invert(m, new byte[2][2], new byte[2][4]);
    assertMatrixEquals(copy, m);
  }

  @Test
  void encodingMatrixIsSystematicAndEverySquareSubsetIsInvertible() {
    for (int data = 1; data <= 6; data++) {
      for (int parity = 1; parity <= 4; parity++) {
        byte[][] m = ReedSolomon.buildMatrix(data, data + parity);
        for (int r = 0; r < data; r++) {
          assertArrayEquals(GfMatrix.identity(data)[r], m[r], "top of the matrix is identity");
        }
        int total = data + parity;
        for (int mask = 0; mask < 1 << total; mask++) {
          if (Integer.bitCount(mask) != data) {
            continue;
          }
          byte[][] sub = new byte[data][];
          int k = 0;
          for (int r = 0; r < total; r++) {
            if ((mask & 1 << r) != 0) {
              sub[k++] = m[r];
            }
          }
          assertTrue(
              GfMatrix.invert(sub, new byte[data][data], new byte[data][2 * data]),
              data + "/" + parity + " rows " + Integer.toBinaryString(mask));
        }
      }
    }
  }
}
