package io.kcpj.core.secure.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.secure.Hex;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link RememberedX25519} answers exactly what the JDK's X25519 answers, from memory or not. */
class RememberedX25519Test {
  /** Public keys of small order and non-canonical encodings of them: DH gives all zeros. */
  private static final byte[][] LOW_ORDER = {
    Hex.decode("0000000000000000000000000000000000000000000000000000000000000000"),
    Hex.decode("0100000000000000000000000000000000000000000000000000000000000000"),
    Hex.decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
    Hex.decode("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    Hex.decode("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    Hex.decode("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    Hex.decode("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
  };

  /** A seeded SecureRandom that counts the bytes it hands out. */
  private static final class CountingRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final Random seeded;
    int bytes;

    CountingRandom(long seed) {
      super(new byte[0]);
      seeded = new Random(seed);
    }

    @Override
    public synchronized void nextBytes(byte[] b) {
      seeded.nextBytes(b);
      bytes += b.length;
    }
  }

  @Test
  void dhEqualsTheJdkOnMissAndOnHit() {
    RememberedX25519 remembered = new RememberedX25519(8, 1_000);
    Random r = new Random(7);
    byte[][] publics = new byte[12][];
    for (int i = 0; i < publics.length; i++) {
      publics[i] = new byte[32];
      r.nextBytes(publics[i]); // arbitrary bytes, as a fuzzer sends them
    }
    byte[][] pool = remembered.poolPublicKeys();
    for (int round = 0; round < 3; round++) { // a miss, then two hits of each
      for (int i = 0; i < 6; i++) {
        byte[] priv = new byte[32];
        new Random(100 + i).nextBytes(priv);
        for (byte[] pub : concat(publics, pool)) {
          byte[] expected = DhFunction.JDK_X25519.dh(priv, pub);
          byte[] got = remembered.dh(priv, pub);
          assertArrayEquals(expected, got, "round " + round);
          if (got != null) {
            Arrays.fill(got, (byte) 0); // callers zero what they get; memory must not change
          }
        }
      }
    }
    assertEquals(6L * (12 + 8), remembered.misses());
    assertEquals(2 * 6L * (12 + 8), remembered.hits());
  }

  @Test
  void lowOrderPointsAreRejectedLikeTheJdk() {
    RememberedX25519 remembered = new RememberedX25519(4, 100);
    byte[] priv = new byte[32];
    new Random(3).nextBytes(priv);
    for (int round = 0; round < 2; round++) {
      for (byte[] point : LOW_ORDER) {
        assertNull(DhFunction.JDK_X25519.dh(priv, point));
        assertNull(remembered.dh(priv, point), "round " + round);
      }
    }
    assertEquals(LOW_ORDER.length, remembered.hits());
    assertNull(remembered.dh(new byte[31], LOW_ORDER[2]), "a wrong-length key is rejected");
  }

  @Test
  void generatedKeyPairsAreGenuineAndDrawAsMuchRandomAsTheJdk() {
    RememberedX25519 remembered = new RememberedX25519(16, 100);
    CountingRandom random = new CountingRandom(11);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      X25519KeyPair kp = remembered.generateKeyPair(random);
      assertEquals(32 * (i + 1), random.bytes, "32 bytes per key pair, as GENERATE_KEYPAIR");
      assertArrayEquals(X25519.publicKey(kp.privateKey()), kp.publicKey());
      seen.add(Hex.encode(kp.publicKey()));
      kp.wipe(); // a handshake wipes its ephemeral key; the pool must not be affected
    }
    assertEquals(16, seen.size(), "the random bytes choose among the whole pool");
    X25519KeyPair again = remembered.generateKeyPair(random);
    assertArrayEquals(X25519.publicKey(again.privateKey()), again.publicKey());
  }

  @Test
  void memoryIsBoundedAndStaysCorrectAfterEviction() {
    RememberedX25519 remembered = new RememberedX25519(2, 4);
    byte[] priv = new byte[32];
    new Random(5).nextBytes(priv);
    byte[][] pool = remembered.poolPublicKeys();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 10; i++) {
        byte[] pub = pool[i % 2].clone();
        pub[31] ^= (byte) i; // ten distinct public keys, more than the capacity
        byte[] got = remembered.dh(priv, pub);
        assertArrayEquals(X25519.dh(priv, pub), got);
        assertTrue(remembered.size() <= 4);
      }
    }
  }

  @Test
  void aHandshakeWithRememberedDhMatchesTheJdks() {
    RememberedX25519 remembered = new RememberedX25519(4, 100);
    X25519KeyPair serverStatic =
        X25519KeyPair.fromPrivateKey(
            new byte[] {
              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
              17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
            });
    for (DhFunction[] sides :
        new DhFunction[][] {
          {remembered, DhFunction.JDK_X25519}, {DhFunction.JDK_X25519, remembered}
        }) {
      CountingRandom r = new CountingRandom(21);
      HandshakeState i =
          HandshakeState.builder(HandshakePattern.NK, NoiseCipher.CHACHA_POLY, true)
              .remoteStatic(serverStatic.publicKey())
              .random(r)
              .dh(sides[0])
              .build();
      HandshakeState rs =
          HandshakeState.builder(HandshakePattern.NK, NoiseCipher.CHACHA_POLY, false)
              .localStatic(serverStatic)
              .random(r)
              .dh(sides[1])
              .build();
      byte[] m1 = i.writeMessage(new byte[] {1});
      assertNotNull(rs.readMessage(m1, 0, m1.length));
      byte[] m2 = rs.writeMessage(new byte[] {2});
      assertArrayEquals(new byte[] {2}, i.readMessage(m2, 0, m2.length));
      assertArrayEquals(i.handshakeHash(), rs.handshakeHash());
    }
    // NK: es and ee on each side; the remembered function was asked by one side of each handshake
    assertEquals(4, remembered.hits() + remembered.misses(), "the builder's dh() is used");
  }

  private static byte[][] concat(byte[][] a, byte[][] b) {
    byte[][] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Test
  void aScenarioHandsEachSourceEveryPooledPairOnceBeforeAnyRepeatAndNeverTwiceInARow() {
    RememberedX25519 remembered = new RememberedX25519(8, 64);
    DhFunction scenario = remembered.forOneScenario();
    SecureRandom server = new FixedBytes((byte) 3);
    SecureRandom client = new FixedBytes((byte) 3);
    List<String> drawn = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      drawn.add(HexFormat.of().formatHex(scenario.generateKeyPair(server).publicKey()));
    }
    assertEquals(8, new HashSet<>(drawn).size(), "8 draws, 8 distinct pairs: " + drawn);
    String ninth = HexFormat.of().formatHex(scenario.generateKeyPair(server).publicKey());
    assertNotEquals(drawn.get(7), ninth, "the pool starts again, but not with the last pair");
    String clientFirst = HexFormat.of().formatHex(scenario.generateKeyPair(client).publicKey());
    assertEquals(drawn.get(0), clientFirst, "another source has a history of its own");
    String plain = HexFormat.of().formatHex(remembered.generateKeyPair(server).publicKey());
    assertEquals(
        HexFormat.of().formatHex(remembered.generateKeyPair(new FixedBytes((byte) 3)).publicKey()),
        plain,
        "without a scenario the same bytes pick the same pair");
  }

  /** A SecureRandom whose every byte is {@code b}. */
  private static final class FixedBytes extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte b;

    FixedBytes(byte b) {
      this.b = b;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      Arrays.fill(bytes, b);
    }
  }
}
