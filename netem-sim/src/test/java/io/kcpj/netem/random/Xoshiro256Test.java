package io.kcpj.netem.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Xoshiro256Test {

  // Expected values computed by an independent Python transcription of the published reference
  // code (splitmix64.c and xoshiro256starstar.c by Blackman and Vigna).

  @Test
  void splitMix64MatchesReference() {
    SplitMix64 sm = new SplitMix64(0);
    assertEquals(0xe220a8397b1dcdafL, sm.nextLong());
    assertEquals(0x6e789e6aa1b965f4L, sm.nextLong());
    assertEquals(0x06c45d188009454fL, sm.nextLong());
  }

  @Test
  void xoshiroMatchesReferenceForRawState() {
    Xoshiro256 x = Xoshiro256.ofState(1, 2, 3, 4);
    long[] expected = {
      11520L, 0L, 1509978240L, 1215971899390074240L, 1216172134540287360L, 607988272756665600L
    };
    long[] actual = new long[expected.length];
    for (int i = 0; i < actual.length; i++) {
      actual[i] = x.nextLong();
    }
    assertArrayEquals(expected, actual);
  }

  @Test
  void streamsAreSeededFromConsecutiveSplitMixOutputs() {
    Xoshiro256 s0 = Xoshiro256.stream(42, 0);
    assertEquals(0x15780b2e0c2ec716L, s0.nextLong());
    assertEquals(0x6104d9866d113a7eL, s0.nextLong());
    assertEquals(0xae17533239e499a1L, s0.nextLong());
    Xoshiro256 s1 = Xoshiro256.stream(42, 1);
    assertEquals(0xfe647e5153400883L, s1.nextLong());
    assertEquals(0x7fcb8e42f6a75c30L, s1.nextLong());
    assertEquals(0xb4d1e9a12a159020L, s1.nextLong());
  }

  @Test
  void sameSeedSameSequenceOtherSeedOtherSequence() {
    Xoshiro256 a = Xoshiro256.seeded(7);
    Xoshiro256 b = Xoshiro256.seeded(7);
    Xoshiro256 c = Xoshiro256.seeded(8);
    boolean differs = false;
    for (int i = 0; i < 1000; i++) {
      long va = a.nextLong();
      assertEquals(va, b.nextLong());
      differs |= va != c.nextLong();
    }
    assertTrue(differs);
  }

  @Test
  void boundedDrawsStayInRange() {
    Xoshiro256 x = Xoshiro256.seeded(1);
    int[] counts = new int[7];
    for (int i = 0; i < 70_000; i++) {
      double d = x.nextDouble();
      assertTrue(d >= 0.0 && d < 1.0);
      counts[x.nextInt(7)]++;
    }
    // Each bucket has expectation 10000 and standard deviation sqrt(70000 * 1/7 * 6/7) = 92.6;
    // 5 standard deviations is 463.
    for (int c : counts) {
      assertTrue(Math.abs(c - 10_000) < 463, "bucket count " + c);
    }
  }

  @Test
  void gaussianHasUnitMoments() {
    Xoshiro256 x = Xoshiro256.seeded(3);
    int n = 200_000;
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      double z = x.nextGaussian();
      sum += z;
      sumSq += z * z;
    }
    double mean = sum / n;
    double var = sumSq / n - mean * mean;
    // Standard errors: mean 1/sqrt(n) = 0.00224; variance sqrt(2/n) = 0.00316. Five of each.
    assertEquals(0.0, mean, 5 * 0.00224);
    assertEquals(1.0, var, 5 * 0.00316);
  }

  @Test
  void differentStreamsOfOneSeedDiffer() {
    assertNotEquals(Xoshiro256.stream(5, 0).nextLong(), Xoshiro256.stream(5, 1).nextLong());
  }
}
