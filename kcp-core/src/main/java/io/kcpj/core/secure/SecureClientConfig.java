package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.NoiseCipher;
import io.kcpj.core.secure.noise.X25519;
import java.util.Objects;

/**
 * What a client needs to open secure sessions: a 32-byte pre-shared key, the server's pinned static
 * public key, or both; the AEAD; the timers. The suite follows (docs/secure-sessions.md, section
 * 3.1). Immutable (keys are copied in and out); shared freely.
 */
public final class SecureClientConfig {
  private final byte[] psk;
  private final byte[] serverPublicKey;
  private final NoiseCipher cipher;
  private final SecureTimers timers;
  private final Suite suite;

  private SecureClientConfig(Builder b) {
    if (b.psk == null && b.serverPublicKey == null) {
      throw new IllegalArgumentException(
          "secure sessions need a pre-shared key, the server's public key, or both");
    }
    psk = b.psk;
    serverPublicKey = b.serverPublicKey;
    cipher = Objects.requireNonNull(b.cipher, "cipher");
    timers = Objects.requireNonNull(b.timers, "timers");
    suite = Suite.of(psk != null, serverPublicKey != null, cipher);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Suite suite() {
    return suite;
  }

  public NoiseCipher cipher() {
    return cipher;
  }

  public SecureTimers timers() {
    return timers;
  }

  /** A copy of the PSK, or {@code null}. */
  public byte[] psk() {
    return psk == null ? null : psk.clone();
  }

  /** A copy of the pinned server public key, or {@code null}. */
  public byte[] serverPublicKey() {
    return serverPublicKey == null ? null : serverPublicKey.clone();
  }

  /** Any private scalar: a DH with it fails exactly for low-order public keys. */
  private static final byte[] PROBE_SCALAR = new byte[X25519.KEY_SIZE];

  static {
    java.util.Arrays.fill(PROBE_SCALAR, (byte) 0x5a);
  }

  /** Collects the client's settings; {@link #build()} validates them. */
  public static final class Builder {
    private byte[] psk;
    private byte[] serverPublicKey;
    private NoiseCipher cipher = NoiseCipher.AES_GCM;
    private SecureTimers timers = SecureTimers.defaults();

    private Builder() {}

    /** The pre-shared key: exactly 32 random bytes (copied). */
    public Builder psk(byte[] key) {
      psk = checkKey("pre-shared key", key);
      return this;
    }

    /**
     * The server's static X25519 public key the client pins: 32 bytes (copied), not a low-order
     * point (with one, every handshake would fail).
     */
    public Builder serverPublicKey(byte[] key) {
      byte[] k = checkKey("server public key", key);
      if (X25519.dh(PROBE_SCALAR, k) == null) {
        throw new IllegalArgumentException(
            "the server public key is not a usable X25519 public key (a low-order point)");
      }
      serverPublicKey = k;
      return this;
    }

    /** The AEAD for this client's sessions (default AES-GCM). */
    public Builder cipher(NoiseCipher c) {
      cipher = c;
      return this;
    }

    public Builder timers(SecureTimers t) {
      timers = t;
      return this;
    }

    public SecureClientConfig build() {
      return new SecureClientConfig(this);
    }
  }

  static byte[] checkKey(String what, byte[] key) {
    if (key == null || key.length != X25519.KEY_SIZE) {
      throw new IllegalArgumentException(
          "the " + what + " has 32 bytes, not " + (key == null ? "none" : key.length));
    }
    return key.clone();
  }
}
