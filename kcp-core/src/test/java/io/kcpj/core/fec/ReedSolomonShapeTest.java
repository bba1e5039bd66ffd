package io.kcpj.core.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ReedSolomonShape}: one build per shape, shared, and a bounded cache. */
class ReedSolomonShapeTest {
  @Test
  void aShapeIsBuiltOnceAndShared() {
    ReedSolomonShape a = ReedSolomonShape.of(10, 3);
    assertSame(a, ReedSolomonShape.of(10, 3));
    assertTrue(ReedSolomonShape.isCached(10, 3));
  }

  @Test
  void codersSharingAShapeEncodeAndRebuildLikeAFreshlyBuiltOne() {
    Random r = new Random(9);
    ReedSolomon first = new ReedSolomon(7, 4);
    ReedSolomonShape.clearCache();
    ReedSolomon fresh = new ReedSolomon(7, 4); // built again after the cache was emptied
    ReedSolomon shared = new ReedSolomon(7, 4); // from the cache
    for (int round = 0; round < 3; round++) {
      byte[][] a = new byte[11][64];
      for (int d = 0; d < 7; d++) {
        r.nextBytes(a[d]);
      }
      byte[][] b = deepCopy(a);
      byte[][] c = deepCopy(a);
      first.encodeParity(a, 0, 64);
      fresh.encodeParity(b, 0, 64);
      shared.encodeParity(c, 0, 64);
      assertTrue(Arrays.deepEquals(a, b));
      assertTrue(Arrays.deepEquals(a, c));
      boolean[] present = new boolean[11];
      Arrays.fill(present, true);
      present[round] = present[round + 3] = false;
      Arrays.fill(c[round], (byte) 0);
      Arrays.fill(c[round + 3], (byte) 0);
      assertTrue(shared.reconstructData(c, present, 0, 64));
      assertArrayEquals(a[round], c[round]);
      assertArrayEquals(a[round + 3], c[round + 3]);
    }
  }

  @Test
  void theCacheStaysWithinItsBoundAndKeepsTheNewest() {
    ReedSolomonShape.clearCache();
    for (int d = 1; d <= 40; d++) {
      for (int p = 1; p <= 12; p++) {
        ReedSolomonShape.of(d, p);
        assertTrue(ReedSolomonShape.cachedBytes() <= ReedSolomonShape.CACHE_BYTES);
        assertTrue(ReedSolomonShape.cachedShapes() <= ReedSolomonShape.MAX_SHAPES);
        assertTrue(ReedSolomonShape.isCached(d, p), "the newest shape is kept");
      }
    }
    assertFalse(ReedSolomonShape.isCached(1, 1), "the least recently used went first");
    ReedSolomonShape.of(255, 1); // the largest packed shape fits alone
    assertTrue(ReedSolomonShape.isCached(255, 1));
    assertTrue(ReedSolomonShape.cachedBytes() <= ReedSolomonShape.CACHE_BYTES);
    ReedSolomonShape.clearCache();
  }

  private static byte[][] deepCopy(byte[][] a) {
    byte[][] c = new byte[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
