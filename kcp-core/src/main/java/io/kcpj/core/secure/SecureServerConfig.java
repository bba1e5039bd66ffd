package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.NoiseCipher;
import io.kcpj.core.secure.noise.Sha256;
import io.kcpj.core.secure.noise.X25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a server needs to accept secure sessions: a pre-shared key, a static key pair, or both; the
 * ciphers it accepts; the stateless reset key; token lifetimes; the timers.
 *
 * <p>Suites accepted (docs/secure-sessions.md, section 3.1): with a PSK, only PSK suites (so a
 * client cannot skip the PSK with {@code NK}); {@code NKpsk0} also needs the key pair; without a
 * PSK, {@code NK}. Immutable (keys copied); shared by all threads of a server.
 */
public final class SecureServerConfig {
  private final byte[] psk;
  private final X25519KeyPair staticKeyPair;
  private final byte[] resetKey;
  private final Set<NoiseCipher> ciphers;
  private final SecureTimers timers;
  private final long tokenLifetime;
  private final long tokenRotation;

  private SecureServerConfig(Builder b) {
    if (b.psk == null && b.staticKeyPair == null) {
      throw new IllegalArgumentException(
          "a secure server needs a pre-shared key, a static key pair, or both");
    }
    if (b.ciphers.isEmpty()) {
      throw new IllegalArgumentException("a secure server must accept at least one cipher");
    }
    if (b.tokenLifetime <= 0 || b.tokenRotation < b.tokenLifetime) {
      throw new IllegalArgumentException(
          "token lifetime must be positive and not above the secret rotation period");
    }
    psk = b.psk;
    staticKeyPair = b.staticKeyPair;
    ciphers = EnumSet.copyOf(b.ciphers);
    timers = Objects.requireNonNull(b.timers, "timers");
    tokenLifetime = b.tokenLifetime;
    tokenRotation = b.tokenRotation;
    if (b.resetKey != null) {
      resetKey = b.resetKey;
    } else if (staticKeyPair != null) {
      byte[] label = "kcpj-reset-key/1".getBytes(StandardCharsets.US_ASCII);
      resetKey = new Sha256().hmac(staticKeyPair.privateKey(), label, 0, label.length);
    } else {
      resetKey = new byte[32];
      new SecureRandom().nextBytes(resetKey);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether this server accepts {@code suite}. */
  public boolean accepts(Suite suite) {
    if (!ciphers.contains(suite.cipher())) {
      return false;
    }
    if (psk != null) {
      return suite.usesPsk() && (!suite.usesServerStaticKey() || staticKeyPair != null);
    }
    return !suite.usesPsk() && suite.usesServerStaticKey() && staticKeyPair != null;
  }

  byte[] pskUnsafe() {
    return psk;
  }

  X25519KeyPair staticKeyPair() {
    return staticKeyPair;
  }

  /** A copy of the server's static public key (what clients pin), or {@code null}. */
  public byte[] staticPublicKey() {
    return staticKeyPair == null ? null : staticKeyPair.publicKey();
  }

  byte[] resetKeyUnsafe() {
    return resetKey;
  }

  public SecureTimers timers() {
    return timers;
  }

  public long tokenLifetime() {
    return tokenLifetime;
  }

  public long tokenRotation() {
    return tokenRotation;
  }

  /** Collects the server's settings; {@link #build()} validates them. */
  public static final class Builder {
    private byte[] psk;
    private X25519KeyPair staticKeyPair;
    private byte[] resetKey;
    private Set<NoiseCipher> ciphers = EnumSet.allOf(NoiseCipher.class);
    private SecureTimers timers = SecureTimers.defaults();
    private long tokenLifetime = 10_000;
    private long tokenRotation = 60_000;

    private Builder() {}

    /** The pre-shared key: exactly 32 random bytes (copied). */
    public Builder psk(byte[] key) {
      psk = SecureClientConfig.checkKey("pre-shared key", key);
      return this;
    }

    /** The static key pair whose public key clients pin. */
    public Builder staticKeyPair(X25519KeyPair keyPair) {
      staticKeyPair = keyPair;
      return this;
    }

    /**
     * The 32-byte stateless reset key. Keep it across restarts for resets to work after one; by
     * default it is derived from the static private key, or random per process without one.
     */
    public Builder resetKey(byte[] key) {
      resetKey = SecureClientConfig.checkKey("reset key", key);
      return this;
    }

    /** The ciphers accepted (default both). */
    public Builder ciphers(Set<NoiseCipher> accepted) {
      ciphers = EnumSet.noneOf(NoiseCipher.class);
      ciphers.addAll(accepted);
      return this;
    }

    public Builder timers(SecureTimers t) {
      timers = t;
      return this;
    }

    /** How long a token stays valid, and how often the token secret rotates (ms). */
    public Builder tokens(long lifetime, long rotation) {
      tokenLifetime = lifetime;
      tokenRotation = rotation;
      return this;
    }

    public SecureServerConfig build() {
      return new SecureServerConfig(this);
    }
  }
}
