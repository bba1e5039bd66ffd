package io.kcpj.core.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.kcpgo.KcpGoVectors;
import io.kcpj.core.kcpgo.KcpGoVectors.RsVector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reed-Solomon against kcp-go's own parity bytes (klauspost/reedsolomon, printed by {@code
 * interop/kcpgo/vectors.sh}), and reconstruction from every erasure pattern of small codes.
 */
class ReedSolomonTest {

  @Test
  void parityIsByteIdenticalToKcpGos() {
    int checked = 0;
    for (RsVector v : KcpGoVectors.vectors().rs) {
      int size = v.data()[0].length;
      for (int offset : new int[] {0, 5}) {
        ReedSolomon rs = new ReedSolomon(v.dataShards(), v.parityShards());
        byte[][] shards = new byte[rs.totalShards()][offset + size + 3];
        for (int d = 0; d < v.dataShards(); d++) {
          System.arraycopy(v.data()[d], 0, shards[d], offset, size);
        }
        rs.encodeParity(shards, offset, size);
        for (int p = 0; p < v.parityShards(); p++) {
          byte[] got = new byte[size];
          System.arraycopy(shards[v.dataShards() + p], offset, got, 0, size);
          assertArrayEquals(
              v.parity()[p],
              got,
              "parity " + p + " of " + v.dataShards() + "/" + v.parityShards() + " size " + size);
        }
      }
      checked++;
    }
    assertTrue(checked >= 50, "vectors read: " + checked);
  }

  @Test
  void kcpGosParityRebuildsLostData() {
    Random random = new Random(11);
    for (RsVector v : KcpGoVectors.vectors().rs) {
      int d = v.dataShards();
      int total = d + v.parityShards();
      int size = v.data()[0].length;
      byte[][] shards = new byte[total][];
      boolean[] present = new boolean[total];
      for (int s = 0; s < total; s++) {
        shards[s] = (s < d ? v.data()[s] : v.parity()[s - d]).clone();
        present[s] = true;
      }
      int lost = 0;
      while (lost < v.parityShards()) {
        int s = random.nextInt(total);
        if (present[s]) {
          present[s] = false;
          java.util.Arrays.fill(shards[s], (byte) 0x5a);
          lost++;
        }
      }
      assertTrue(new ReedSolomon(d, v.parityShards()).reconstructData(shards, present, 0, size));
      for (int s = 0; s < d; s++) {
        assertArrayEquals(v.data()[s], shards[s], "data shard " + s);
      }
    }
  }

  /** Every pattern of up to {@code parity} lost shards, for every code up to 5 + 4 shards. */
  @Test
  void everyErasurePatternOfSmallCodesReconstructs() {
    Random random = new Random(5);
    int patterns = 0;
    for (int data = 1; data <= 5; data++) {
      for (int parity = 1; parity <= 4; parity++) {
        int total = data + parity;
        ReedSolomon rs = new ReedSolomon(data, parity);
        int size = 1 + random.nextInt(40);
        byte[][] original = new byte[total][size];
        for (int s = 0; s < data; s++) {
          random.nextBytes(original[s]);
        }
        rs.encodeParity(original, 0, size);
        for (int lostMask = 0; lostMask < 1 << total; lostMask++) {
          int lost = Integer.bitCount(lostMask);
          byte[][] shards = new byte[total][];
          boolean[] present = new boolean[total];
          for (int s = 0; s < total; s++) {
            present[s] = (lostMask & 1 << s) == 0;
            shards[s] = present[s] ? original[s].clone() : new byte[size];
          }
          boolean ok = rs.reconstructData(shards, present, 0, size);
          if (lost > parity) {
            assertFalse(ok, "too few shards must be reported");
            continue;
          }
          assertTrue(ok);
          for (int s = 0; s < data; s++) {
            assertArrayEquals(
                original[s], shards[s], data + "/" + parity + " lost " + lostMask + " shard " + s);
          }
          patterns++;
        }
      }
    }
    assertEquals(956, patterns, "patterns of at most parity losses in codes up to 5+4");
  }

  @Test
  void packedKernelAgreesWithThePlainLoop() {
    Random random = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      int inputs = 1 + random.nextInt(20);
      int count = 1 + random.nextInt(GfKernel.GROUP);
      int length = random.nextInt(70);
      int inOff = random.nextInt(9);
      int outOff = random.nextInt(9);
      byte[][] rows = new byte[count][inputs];
      for (byte[] r : rows) {
        random.nextBytes(r);
      }
      byte[][] in = new byte[inputs][inOff + length];
      for (byte[] b : in) {
        random.nextBytes(b);
      }
      byte[][] fast = new byte[count][outOff + length];
      byte[][] slow = new byte[count][outOff + length];
      long[][] tables = new long[inputs][256];
      GfKernel.buildTables(tables, rows, 0, count, inputs);
      GfKernel.code(tables, in, inputs, inOff, fast, 0, count, outOff, length);
      GfKernel.codeSimple(rows, 0, in, inputs, inOff, slow, 0, count, outOff, length);
      for (int r = 0; r < count; r++) {
        assertArrayEquals(slow[r], fast[r], "trial " + trial + " output " + r);
      }
    }
  }

  @Test
  void largeCodesUseThePlainLoopAndStillAgree() {
    // 40 x 30 is past the packed-table limit; 20 x 10 is below it: same data, both must rebuild.
    Random random = new Random(9);
    for (int[] code : new int[][] {{40, 30}, {20, 10}, {128, 128}, {255, 1}}) {
      ReedSolomon rs = new ReedSolomon(code[0], code[1]);
      int total = rs.totalShards();
      int size = 33;
      byte[][] original = new byte[total][size];
      for (int s = 0; s < code[0]; s++) {
        random.nextBytes(original[s]);
      }
      rs.encodeParity(original, 0, size);
      byte[][] shards = new byte[total][];
      boolean[] present = new boolean[total];
      for (int s = 0; s < total; s++) {
        present[s] = s % 3 != 0 || s >= code[1] * 3;
        shards[s] = present[s] ? original[s].clone() : new byte[size];
      }
      assertTrue(rs.reconstructData(shards, present, 0, size));
      for (int s = 0; s < code[0]; s++) {
        assertArrayEquals(original[s], shards[s]);
      }
    }
  }

  @Test
  void aRepeatedPatternReusesItsTablesAndANewOneRebuildsThem() {
    ReedSolomon rs = new ReedSolomon(4, 2);
    Random random = new Random(1);
    for (int round = 0; round < 20; round++) {
      byte[][] original = new byte[6][16];
      for (int s = 0; s < 4; s++) {
        random.nextBytes(original[s]);
      }
      rs.encodeParity(original, 0, 16);
      int lostA = round % 4;
      int lostB = round % 3 == 0 ? 4 : (lostA + 1) % 4;
      byte[][] shards = new byte[6][];
      boolean[] present = new boolean[6];
      for (int s = 0; s < 6; s++) {
        present[s] = s != lostA && s != lostB;
        shards[s] = present[s] ? original[s].clone() : new byte[16];
      }
      assertTrue(rs.reconstructData(shards, present, 0, 16));
      for (int s = 0; s < 4; s++) {
        assertArrayEquals(original[s], shards[s], "round " + round);
      }
    }
  }

  @Test
  void cachedInversesRebuildEveryPatternOnEveryVisitAndAFullCacheStillWorks() {
    // 10/3: all 286 patterns of 3 losses, three passes (the second and third hit the per-pattern
    // cache, in a different order). 40/20: more patterns than the cache keeps (it fills up).
    Random random = new Random(11);
    for (int[] code : new int[][] {{10, 3}, {40, 20}}) {
      int data = code[0];
      int total = data + code[1];
      ReedSolomon rs = new ReedSolomon(data, code[1]);
      int size = 1 + random.nextInt(60);
      for (int pass = 0; pass < 3; pass++) {
        for (int trial = 0; trial < 300; trial++) {
          byte[][] original = new byte[total][size];
          for (int s = 0; s < data; s++) {
            random.nextBytes(original[s]);
          }
          rs.encodeParity(original, 0, size);
          boolean[] present = new boolean[total];
          java.util.Arrays.fill(present, true);
          int lost = 1 + random.nextInt(code[1]);
          for (int l = 0; l < lost; l++) {
            present[random.nextInt(total)] = false;
          }
          byte[][] shards = new byte[total][];
          for (int s = 0; s < total; s++) {
            shards[s] = present[s] ? original[s].clone() : new byte[size];
          }
          assertTrue(rs.reconstructData(shards, present, 0, size));
          for (int s = 0; s < data; s++) {
            assertArrayEquals(
                original[s], shards[s], data + "/" + code[1] + " pass " + pass + " shard " + s);
          }
        }
      }
    }
  }

  @Test
  void argumentsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(1, 0));
    assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(200, 57));
    ReedSolomon rs = new ReedSolomon(2, 1);
    assertEquals(3, rs.totalShards());
    assertThrows(IllegalArgumentException.class, () -> rs.encodeParity(new byte[2][4], 0, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> rs.encodeParity(new byte[][] {new byte[4], new byte[4], new byte[2]}, 0, 4));
  }
}
