package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.HandshakePattern;
import io.kcpj.core.secure.noise.NoiseCipher;

/**
 * The handshake suites of secure sessions: a Noise pattern and cipher, named on the wire by the
 * INITIATION's suite byte (high nibble pattern, low nibble cipher; docs/secure-sessions.md, section
 * 3.1). Immutable.
 */
public enum Suite {
  NN_PSK0_CHACHA_POLY(0x11, HandshakePattern.NN_PSK0, NoiseCipher.CHACHA_POLY),
  NN_PSK0_AES_GCM(0x12, HandshakePattern.NN_PSK0, NoiseCipher.AES_GCM),
  NK_CHACHA_POLY(0x21, HandshakePattern.NK, NoiseCipher.CHACHA_POLY),
  NK_AES_GCM(0x22, HandshakePattern.NK, NoiseCipher.AES_GCM),
  NK_PSK0_CHACHA_POLY(0x31, HandshakePattern.NK_PSK0, NoiseCipher.CHACHA_POLY),
  NK_PSK0_AES_GCM(0x32, HandshakePattern.NK_PSK0, NoiseCipher.AES_GCM);

  private final int id;
  private final HandshakePattern pattern;
  private final NoiseCipher cipher;

  Suite(int id, HandshakePattern pattern, NoiseCipher cipher) {
    this.id = id;
    this.pattern = pattern;
    this.cipher = cipher;
  }

  /** The suite byte on the wire. */
  public int id() {
    return id;
  }

  public HandshakePattern pattern() {
    return pattern;
  }

  public NoiseCipher cipher() {
    return cipher;
  }

  /** Whether the handshake authenticates with the PSK. */
  public boolean usesPsk() {
    return pattern.isPsk();
  }

  /** Whether the client pins the server's static public key. */
  public boolean usesServerStaticKey() {
    return pattern.responderStaticPreMessage();
  }

  /** The Noise protocol name, e.g. {@code Noise_NNpsk0_25519_ChaChaPoly_SHA256}. */
  public String protocolName() {
    return pattern.protocolName(cipher);
  }

  /** The suite with wire id {@code id}, or {@code null}. */
  public static Suite byId(int id) {
    for (Suite s : values()) {
      if (s.id == id) {
        return s;
      }
    }
    return null;
  }

  /** The suite for the given authentication and cipher. */
  public static Suite of(boolean psk, boolean serverStaticKey, NoiseCipher cipher) {
    for (Suite s : values()) {
      if (s.usesPsk() == psk && s.usesServerStaticKey() == serverStaticKey && s.cipher == cipher) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "no suite authenticates with neither a PSK nor a server key");
  }
}
