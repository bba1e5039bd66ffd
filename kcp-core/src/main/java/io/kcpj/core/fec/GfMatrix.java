package io.kcpj.core.fec;

/**
 * Small dense matrices over GF(2⁸) ({@code byte[rows][cols]}, elements unsigned): the operations
 * the Reed-Solomon construction needs (Vandermonde, product, inversion by Gauss-Jordan
 * elimination). Stateless; the inversion works in a caller-provided scratch matrix so that decoding
 * allocates nothing.
 */
final class GfMatrix {
  private GfMatrix() {}

  /** The {@code rows × cols} Vandermonde matrix: row r is (r⁰, r¹, …, r^(cols−1)), 0⁰ = 1. */
  static byte[][] vandermonde(int rows, int cols) {
    byte[][] m = new byte[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        m[r][c] = (byte) Gf256.pow(r, c);
      }
    }
    return m;
  }

  /** {@code a × b}. */
  static byte[][] multiply(byte[][] a, byte[][] b) {
    int rows = a.length;
    int inner = b.length;
    int cols = b[0].length;
    byte[][] out = new byte[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int v = 0;
        for (int k = 0; k < inner; k++) {
          v ^= Gf256.mul(a[r][k] & 0xff, b[k][c] & 0xff);
        }
        out[r][c] = (byte) v;
      }
    }
    return out;
  }

  /** The identity matrix of size n. */
  static byte[][] identity(int n) {
    byte[][] m = new byte[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  /** A fresh inverse of the square matrix {@code m}; throws if it is singular. */
  static byte[][] invert(byte[][] m) {
    int n = m.length;
    byte[][] out = new byte[n][n];
    if (!invert(m, out, new byte[n][2 * n])) {
      throw new ArithmeticException("singular matrix");
    }
    return out;
  }

  /**
   * Inverts the square matrix {@code m} (n × n, left untouched) into {@code out} (n × n), using
   * {@code work} (n × 2n) as scratch. Returns false when {@code m} is singular ({@code out} is then
   * undefined). Allocates nothing.
   */
  static boolean invert(byte[][] m, byte[][] out, byte[][] work) {
    int n = m.length;
    for (int r = 0; r < n; r++) {
      byte[] w = work[r];
      System.arraycopy(m[r], 0, w, 0, n);
      for (int c = n; c < 2 * n; c++) {
        w[c] = 0;
      }
      w[n + r] = 1;
    }
    int width = 2 * n;
    for (int col = 0; col < n; col++) {
      // Find a row at or below the diagonal with a non-zero pivot and bring it up.
      int pivotRow = col;
      while (pivotRow < n && work[pivotRow][col] == 0) {
        pivotRow++;
      }
      if (pivotRow == n) {
        return false;
      }
      if (pivotRow != col) {
        byte[] t = work[pivotRow];
        work[pivotRow] = work[col];
        work[col] = t;
      }
      byte[] pivot = work[col];
      int scale = Gf256.inverse(pivot[col] & 0xff);
      if (scale != 1) {
        int base = scale << 8;
        for (int c = 0; c < width; c++) {
          pivot[c] = Gf256.MUL[base | (pivot[c] & 0xff)];
        }
      }
      // Clear this column in every other row.
      for (int r = 0; r < n; r++) {
        if (r == col) {
          continue;
        }
        byte[] row = work[r];
        int factor = row[col] & 0xff;
        if (factor == 0) {
          continue;
        }
        int base = factor << 8;
        for (int c = 0; c < width; c++) {
          row[c] ^= Gf256.MUL[base | (pivot[c] & 0xff)];
        }
      }
    }
    for (int r = 0; r < n; r++) {
      System.arraycopy(work[r], n, out[r], 0, n);
    }
    return true;
  }
}
