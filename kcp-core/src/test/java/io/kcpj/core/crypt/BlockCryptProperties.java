package io.kcpj.core.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** BlockCrypt over many seeded random methods, keys, payloads and garbage. */
class BlockCryptProperties {

  @Property(tries = 300, seed = "21")
  void openOfSealIsTheIdentityForEveryMethod(
      @ForAll CryptMethod method,
      @ForAll @IntRange(min = 0, max = 1600) int length,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] key = new byte[32];
    r.nextBytes(key);
    BlockCrypt a = BlockCrypt.create(method, key);
    BlockCrypt b = BlockCrypt.create(method, key); // the peer: its own instance and nonces
    for (int i = 0; i < 3; i++) {
      byte[] payload = new byte[length];
      r.nextBytes(payload);
      int off = r.nextInt(5);
      byte[] wire = new byte[off + length + 20];
      assertEquals(length + 20, a.seal(payload, 0, length, wire, off));
      byte[] out = new byte[length + 3];
      assertEquals(length, b.open(wire, off, length + 20, out, 3));
      assertArrayEquals(payload, Arrays.copyOfRange(out, 3, 3 + length));
    }
  }

  @Property(tries = 300, seed = "22")
  void garbageNeverThrowsAndIsAlmostAlwaysRejected(
      @ForAll CryptMethod method,
      @ForAll @IntRange(min = 1, max = 200) int datagrams,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    BlockCrypt crypt = BlockCrypt.create(method, CryptKeys.fromPassphrase("kcpj"));
    int accepted = 0;
    for (int i = 0; i < datagrams; i++) {
      byte[] g = new byte[r.nextInt(1600)];
      r.nextBytes(g);
      int n = crypt.open(g, 0, g.length, new byte[g.length], 0);
      assertTrue(n == -1 || n == g.length - 20);
      if (n >= 0) {
        accepted++;
      }
    }
    // A random datagram passes the 32-bit CRC with probability 2^-32.
    assertEquals(0, accepted);
    assertEquals(
        datagrams, crypt.counters().badChecksum + crypt.counters().tooShort, "every drop counted");
  }
}
