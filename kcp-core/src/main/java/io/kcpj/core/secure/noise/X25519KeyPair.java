package io.kcpj.core.secure.noise;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An X25519 key pair as Noise uses it: 32 private bytes and the matching 32 public bytes.
 *
 * <p>Immutable from the outside (accessors return copies); {@link #wipe()} zeroes the private key
 * when an ephemeral key is no longer needed. Safe to share once built (a server's static key pair
 * is shared by all its threads).
 */
public final class X25519KeyPair {
  private final byte[] privateKey;
  private final byte[] publicKey;

  private X25519KeyPair(byte[] privateKey, byte[] publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** A new key pair from 32 random bytes (Noise's {@code GENERATE_KEYPAIR}). */
  public static X25519KeyPair generate(SecureRandom random) {
    byte[] k = new byte[X25519.KEY_SIZE];
    random.nextBytes(k);
    return fromPrivateKey(k);
  }

  /** The key pair of the given private key (copied). */
  public static X25519KeyPair fromPrivateKey(byte[] privateKey) {
    if (privateKey.length != X25519.KEY_SIZE) {
      throw new IllegalArgumentException(
          "an X25519 private key has 32 bytes, not " + privateKey.length);
    }
    byte[] k = privateKey.clone();
    return new X25519KeyPair(k, X25519.publicKey(k));
  }

  /** An independent copy (its own arrays: wiping one leaves the other intact). */
  X25519KeyPair copy() {
    return new X25519KeyPair(privateKey.clone(), publicKey.clone());
  }

  /** A copy of the public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** A copy of the private key. */
  public byte[] privateKey() {
    return privateKey.clone();
  }

  /** DH with this private key; {@code null} if the peer's key is rejected. */
  public byte[] dh(byte[] peerPublicKey) {
    return X25519.dh(privateKey, peerPublicKey);
  }

  /** DH with this private key computed by {@code function} (no copy of the private key made). */
  byte[] dh(DhFunction function, byte[] peerPublicKey) {
    return function.dh(privateKey, peerPublicKey);
  }

  /** Zeroes the private key; the pair is unusable afterwards. */
  public void wipe() {
    Arrays.fill(privateKey, (byte) 0);
  }
}
