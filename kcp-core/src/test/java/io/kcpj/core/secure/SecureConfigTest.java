package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.secure.noise.NoiseCipher;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Configuration: clear refusals of bad settings, and which suites a server accepts. */
class SecureConfigTest {

  @Test
  void badSettingsAreRefusedWithAClearMessage() {
    assertEquals(
        "secure sessions need a pre-shared key, the server's public key, or both",
        assertThrows(IllegalArgumentException.class, () -> SecureClientConfig.builder().build())
            .getMessage());
    assertEquals(
        "the pre-shared key has 32 bytes, not 16",
        assertThrows(
                IllegalArgumentException.class,
                () -> SecureClientConfig.builder().psk(new byte[16]))
            .getMessage());
    byte[] lowOrder = new byte[32];
    lowOrder[0] = 1; // u = 1: every handshake with it would fail
    assertEquals(
        "the server public key is not a usable X25519 public key (a low-order point)",
        assertThrows(
                IllegalArgumentException.class,
                () -> SecureClientConfig.builder().serverPublicKey(lowOrder))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> SecureServerConfig.builder().build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SecureServerConfig.builder()
                .psk(new byte[32])
                .ciphers(EnumSet.noneOf(NoiseCipher.class))
                .build());
    assertThrows(
        IllegalArgumentException.class,
        () -> SecureServerConfig.builder().psk(new byte[32]).tokens(10_000, 5_000).build());
    assertEquals(
        "idleTimeout must be positive (ms), not 0",
        assertThrows(
                IllegalArgumentException.class, () -> SecureTimers.builder().idleTimeout(0).build())
            .getMessage());
  }

  @Test
  void theClientsKeysChooseTheSuite() {
    byte[] k = SecurePair.SERVER_KEY.publicKey();
    assertEquals(Suite.NN_PSK0_AES_GCM, SecureClientConfig.builder().psk(k).build().suite());
    assertEquals(
        Suite.NK_CHACHA_POLY,
        SecureClientConfig.builder()
            .serverPublicKey(k)
            .cipher(NoiseCipher.CHACHA_POLY)
            .build()
            .suite());
    assertEquals(
        Suite.NK_PSK0_AES_GCM,
        SecureClientConfig.builder().psk(k).serverPublicKey(k).build().suite());
  }

  @Test
  void aServerAcceptsOnlySuitesItCanAuthenticate() {
    SecureServerConfig pskOnly = SecureServerConfig.builder().psk(new byte[32]).build();
    SecureServerConfig keyOnly =
        SecureServerConfig.builder().staticKeyPair(SecurePair.SERVER_KEY).build();
    SecureServerConfig both =
        SecureServerConfig.builder().psk(new byte[32]).staticKeyPair(SecurePair.SERVER_KEY).build();
    for (Suite s : Suite.values()) {
      assertEquals(s.pattern().noiseName().equals("NNpsk0"), pskOnly.accepts(s), s + " psk only");
      assertEquals(s.pattern().noiseName().equals("NK"), keyOnly.accepts(s), s + " key only");
      assertEquals(s.usesPsk(), both.accepts(s), s + " both");
    }
    SecureServerConfig aesOnly =
        SecureServerConfig.builder()
            .psk(new byte[32])
            .ciphers(EnumSet.of(NoiseCipher.AES_GCM))
            .build();
    assertTrue(aesOnly.accepts(Suite.NN_PSK0_AES_GCM));
    assertFalse(aesOnly.accepts(Suite.NN_PSK0_CHACHA_POLY));
  }

  @Test
  void theResetKeyFollowsTheStaticKeyAcrossRestarts() {
    byte[] a =
        SecureServerConfig.builder().staticKeyPair(SecurePair.SERVER_KEY).build().resetKeyUnsafe();
    byte[] b =
        SecureServerConfig.builder().staticKeyPair(SecurePair.SERVER_KEY).build().resetKeyUnsafe();
    assertEquals(Hex.encode(a), Hex.encode(b));
    byte[] p1 = SecureServerConfig.builder().psk(new byte[32]).build().resetKeyUnsafe();
    byte[] p2 = SecureServerConfig.builder().psk(new byte[32]).build().resetKeyUnsafe();
    assertFalse(Hex.encode(p1).equals(Hex.encode(p2)), "never derived from the PSK");
  }
}
