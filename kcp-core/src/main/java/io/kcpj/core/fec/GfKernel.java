package io.kcpj.core.fec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The coding loop of Reed-Solomon: each output shard is a GF(2⁸) linear combination of the input
 * shards, {@code out[r][i] = Σ_j coef[r][j] · in[j][i]}.
 *
 * <p>The fast path packs up to eight outputs into one table per input: {@code table[j][v]} is a
 * {@code long} whose byte r is {@code coef[r][j] · v}. One lookup per input byte then serves every
 * output of the group, and eight byte positions are handled per step (one 8-byte read per input,
 * eight accumulators in registers, one 8-byte write per output). Tables are {@code inputs × 256}
 * longs, 2 KiB per input and group of eight outputs, built from four products and XORs
 * (multiplication by a constant is linear over GF(2)). The eight accumulators form an 8 × 8 byte
 * matrix (accumulator p, byte r: output r at position p); from {@link #TRANSPOSE_FROM} outputs on
 * it is transposed with pairwise swaps (fewer operations than gathering each output's bytes), below
 * that each output's eight bytes are gathered. {@link #codeSimple} is the plain product-table loop,
 * used for very large codes and as the reference in tests.
 *
 * <p>Stateless; the caller owns every array.
 */
final class GfKernel {
  /** Outputs packed into one {@code long} table entry. */
  static final int GROUP = 8;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** From this many outputs on, the accumulators are transposed rather than gathered per output. */
  static final int TRANSPOSE_FROM = 3;

  private static final long M8 = 0x00ff00ff00ff00ffL;
  private static final long M16 = 0x0000ffff0000ffffL;
  private static final long M32 = 0x00000000ffffffffL;

  private GfKernel() {}

  /**
   * Fills {@code tables[j][v]} (for j below {@code inputs}) with the packed products of the
   * coefficients {@code rows[firstRow + r][j]} for r below {@code count} (≤ {@link #GROUP}).
   */
  static void buildTables(long[][] tables, byte[][] rows, int firstRow, int count, int inputs) {
    for (int j = 0; j < inputs; j++) {
      long[] t = tables[j];
      // Products of the eight powers of two, then every other byte by linearity.
      for (int bit = 0; bit < 8; bit++) {
        int v = 1 << bit;
        long packed = 0;
        for (int r = 0; r < count; r++) {
          int c = rows[firstRow + r][j] & 0xff;
          packed |= (long) (Gf256.MUL[c << 8 | v] & 0xff) << (r << 3);
        }
        t[v] = packed;
      }
      t[0] = 0;
      for (int v = 3; v < 256; v++) {
        int low = v & -v;
        if (low != v) {
          t[v] = t[low] ^ t[v ^ low];
        }
      }
    }
  }

  /**
   * {@code out[outFirst + r][outOff + i] = Σ_j coef(r, j) · in[j][inOff + i]} for r below {@code
   * count} and i below {@code length}, with the coefficients packed in {@code tables} by {@link
   * #buildTables}.
   */
  static void code(
      long[][] tables,
      byte[][] in,
      int inputs,
      int inOff,
      byte[][] out,
      int outFirst,
      int count,
      int outOff,
      int length) {
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      long a0 = 0;
      long a1 = 0;
      long a2 = 0;
      long a3 = 0;
      long a4 = 0;
      long a5 = 0;
      long a6 = 0;
      long a7 = 0;
      for (int j = 0; j < inputs; j++) {
        long[] t = tables[j];
        long w = (long) LONG_LE.get(in[j], inOff + i);
        a0 ^= t[(int) w & 0xff];
        a1 ^= t[(int) (w >>> 8) & 0xff];
        a2 ^= t[(int) (w >>> 16) & 0xff];
        a3 ^= t[(int) (w >>> 24) & 0xff];
        a4 ^= t[(int) (w >>> 32) & 0xff];
        a5 ^= t[(int) (w >>> 40) & 0xff];
        a6 ^= t[(int) (w >>> 48) & 0xff];
        a7 ^= t[(int) (w >>> 56)];
      }
      if (count >= TRANSPOSE_FROM) {
        // a_p holds byte r of output r at position p: an 8 × 8 byte matrix to transpose. Two
        // rounds of pairwise swaps (bytes, then 16-bit halves), then each output's 32-bit halves.
        long t = ((a0 >>> 8) ^ a1) & M8;
        a1 ^= t;
        a0 ^= t << 8;
        t = ((a2 >>> 8) ^ a3) & M8;
        a3 ^= t;
        a2 ^= t << 8;
        t = ((a4 >>> 8) ^ a5) & M8;
        a5 ^= t;
        a4 ^= t << 8;
        t = ((a6 >>> 8) ^ a7) & M8;
        a7 ^= t;
        a6 ^= t << 8;
        t = ((a0 >>> 16) ^ a2) & M16;
        a2 ^= t;
        a0 ^= t << 16;
        t = ((a1 >>> 16) ^ a3) & M16;
        a3 ^= t;
        a1 ^= t << 16;
        t = ((a4 >>> 16) ^ a6) & M16;
        a6 ^= t;
        a4 ^= t << 16;
        t = ((a5 >>> 16) ^ a7) & M16;
        a7 ^= t;
        a5 ^= t << 16;
        int at = outOff + i;
        LONG_LE.set(out[outFirst], at, (a0 & M32) | a4 << 32);
        LONG_LE.set(out[outFirst + 1], at, (a1 & M32) | a5 << 32);
        LONG_LE.set(out[outFirst + 2], at, (a2 & M32) | a6 << 32);
        if (count > 3) {
          LONG_LE.set(out[outFirst + 3], at, (a3 & M32) | a7 << 32);
        }
        if (count > 4) {
          LONG_LE.set(out[outFirst + 4], at, (a0 >>> 32) | (a4 & ~M32));
        }
        if (count > 5) {
          LONG_LE.set(out[outFirst + 5], at, (a1 >>> 32) | (a5 & ~M32));
        }
        if (count > 6) {
          LONG_LE.set(out[outFirst + 6], at, (a2 >>> 32) | (a6 & ~M32));
        }
        if (count > 7) {
          LONG_LE.set(out[outFirst + 7], at, (a3 >>> 32) | (a7 & ~M32));
        }
        continue;
      }
      for (int r = 0; r < count; r++) {
        int s = r << 3;
        long v =
            (a0 >>> s & 0xff)
                | (a1 >>> s & 0xff) << 8
                | (a2 >>> s & 0xff) << 16
                | (a3 >>> s & 0xff) << 24
                | (a4 >>> s & 0xff) << 32
                | (a5 >>> s & 0xff) << 40
                | (a6 >>> s & 0xff) << 48
                | (a7 >>> s & 0xff) << 56;
        LONG_LE.set(out[outFirst + r], outOff + i, v);
      }
    }
    for (; i < length; i++) {
      long a = 0;
      for (int j = 0; j < inputs; j++) {
        a ^= tables[j][in[j][inOff + i] & 0xff];
      }
      for (int r = 0; r < count; r++) {
        out[outFirst + r][outOff + i] = (byte) (a >>> (r << 3));
      }
    }
  }

  /**
   * The same combination computed byte by byte from the product table: {@code out[outFirst +
   * r][outOff + i] = Σ_j rows[firstRow + r][j] · in[j][inOff + i]}.
   */
  static void codeSimple(
      byte[][] rows,
      int firstRow,
      byte[][] in,
      int inputs,
      int inOff,
      byte[][] out,
      int outFirst,
      int count,
      int outOff,
      int length) {
    for (int r = 0; r < count; r++) {
      byte[] row = rows[firstRow + r];
      byte[] o = out[outFirst + r];
      for (int i = 0; i < length; i++) {
        o[outOff + i] = 0;
      }
      for (int j = 0; j < inputs; j++) {
        int base = (row[j] & 0xff) << 8;
        byte[] src = in[j];
        for (int i = 0; i < length; i++) {
          o[outOff + i] ^= Gf256.MUL[base | (src[inOff + i] & 0xff)];
        }
      }
    }
  }
}
