package io.kcpj.core.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/** BlockCrypt's drops, names and nonces, and what "not authenticated" means in practice. */
class BlockCryptTest {
  private static final byte[] KEY = CryptKeys.fromPassphrase("it's a secrect");

  @Test
  void aBadChecksumIsDroppedAndCounted() {
    BlockCrypt crypt = BlockCrypt.create(CryptMethod.AES_256, KEY);
    byte[] plain = "a KCP datagram of some length..".getBytes(StandardCharsets.US_ASCII);
    byte[] wire = new byte[plain.length + 20];
    crypt.seal(plain, 0, plain.length, wire, 0);
    wire[25] ^= 1;
    assertEquals(-1, crypt.open(wire, 0, wire.length, new byte[100], 0));
    assertEquals(1, crypt.counters().badChecksum);
    assertEquals(-1, crypt.open(wire, 0, 19, new byte[100], 0));
    assertEquals(1, crypt.counters().tooShort);
    wire[25] ^= 1;
    assertEquals(plain.length, crypt.open(wire, 0, wire.length, new byte[100], 0));
  }

  @Test
  void anEmptyPayloadIsAFrameOfTwentyBytes() {
    BlockCrypt crypt = BlockCrypt.create(CryptMethod.AES_128, KEY);
    byte[] wire = new byte[20];
    assertEquals(20, crypt.seal(new byte[0], 0, 0, wire, 0));
    assertEquals(0, crypt.open(wire, 0, 20, new byte[0], 0));
  }

  /**
   * Not authenticated: flipping a ciphertext bit under CFB flips the same plaintext bit (and
   * garbles the next block); with "none" and "xor" anyone who knows the method rewrites a datagram
   * and its CRC at will. This test shows the forgery the documentation warns about.
   */
  @Test
  void theFramingIsForgeableWithoutTheKey() {
    BlockCrypt crypt = BlockCrypt.create(CryptMethod.NONE, KEY);
    byte[] plain = "pay 10 to alice".getBytes(StandardCharsets.US_ASCII);
    byte[] wire = new byte[plain.length + 20];
    crypt.seal(plain, 0, plain.length, wire, 0);
    // An attacker without any key: rewrite the payload and recompute the CRC.
    byte[] forged = "pay 99 to mallo".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(forged, 0, wire, 20, forged.length);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(forged);
    int c = (int) crc.getValue();
    wire[16] = (byte) c;
    wire[17] = (byte) (c >>> 8);
    wire[18] = (byte) (c >>> 16);
    wire[19] = (byte) (c >>> 24);
    byte[] out = new byte[plain.length];
    assertEquals(forged.length, crypt.open(wire, 0, wire.length, out, 0));
    assertArrayEquals(forged, out, "the forged datagram is accepted");
  }

  @Test
  void kcptunNamesParseAndUnsupportedOnesAreRefusedClearly() {
    assertEquals(CryptMethod.AES_256, CryptMethod.parse("aes"));
    assertEquals(CryptMethod.AES_256, CryptMethod.parse("AES-256"));
    assertEquals(CryptMethod.AES_128, CryptMethod.parse("aes-128"));
    assertEquals(CryptMethod.AES_192, CryptMethod.parse("aes-192"));
    assertEquals(CryptMethod.XOR, CryptMethod.parse("xor"));
    assertEquals(CryptMethod.NONE, CryptMethod.parse(" none "));
    for (CryptMethod m : CryptMethod.values()) {
      assertEquals(m, CryptMethod.parse(m.kcptunName()));
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CryptMethod.parse("salsa20"));
    assertTrue(e.getMessage().contains("salsa20") && e.getMessage().contains("aes-128"));
    assertThrows(
        IllegalArgumentException.class, () -> BlockCrypt.create(CryptMethod.XOR, new byte[16]));
    assertThrows(IllegalArgumentException.class, () -> CryptKeys.fromPassphrase(""));
  }

  @Test
  void secureNoncesDoNotRepeatAndTwoSourcesDiffer() {
    NonceSource a = NonceSource.secure();
    NonceSource b = NonceSource.secure();
    Set<String> seen = new HashSet<>();
    byte[] n = new byte[16];
    for (int i = 0; i < 1000; i++) {
      a.next(n, 0);
      assertTrue(seen.add(Arrays.toString(n)), "repeat at " + i);
    }
    byte[] m = new byte[16];
    b.next(m, 0);
    assertTrue(seen.add(Arrays.toString(m)));
    // The same payload sealed twice gives different datagrams.
    BlockCrypt crypt = BlockCrypt.create(CryptMethod.AES_128, KEY);
    byte[] x = new byte[40];
    byte[] y = new byte[40];
    crypt.seal(new byte[20], 0, 20, x, 0);
    crypt.seal(new byte[20], 0, 20, y, 0);
    assertNotEquals(Arrays.toString(x), Arrays.toString(y));
  }

  @Test
  void ownPbkdf2AgreesWithTheJdksKeyFactory() throws Exception {
    byte[] salt = "kcp-go".getBytes(StandardCharsets.US_ASCII);
    for (String pass : new String[] {"a", "it's a secrect", "0123456789abcdef0123456789abcdef!"}) {
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1");
      byte[] jdk =
          f.generateSecret(new PBEKeySpec(pass.toCharArray(), salt, 7, 8 * 50)).getEncoded();
      byte[] ours = CryptKeys.pbkdf2HmacSha1(pass.getBytes(StandardCharsets.UTF_8), salt, 7, 50);
      assertArrayEquals(jdk, ours, pass);
    }
    // RFC 6070 test vector 2: "password"/"salt", 2 iterations, 20 bytes.
    byte[] rfc =
        CryptKeys.pbkdf2HmacSha1(
            "password".getBytes(StandardCharsets.US_ASCII),
            "salt".getBytes(StandardCharsets.US_ASCII),
            2,
            20);
    assertArrayEquals(
        java.util.HexFormat.of().parseHex("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"), rfc);
  }
}
