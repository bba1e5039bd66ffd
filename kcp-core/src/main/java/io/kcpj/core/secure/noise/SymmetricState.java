package io.kcpj.core.secure.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Noise's {@code SymmetricState} (specification section 5.2) for SHA-256: the chaining key {@code
 * ck}, the handshake hash {@code h} and a {@link CipherState}.
 *
 * <p><b>Threading:</b> not thread-safe; owned by one {@link HandshakeState}.
 */
public final class SymmetricState {
  private final Aead aead;
  private final Sha256 sha;
  private CipherState cipher;
  private byte[] chainingKey;
  private byte[] hash;

  /** {@code InitializeSymmetric(protocolName)}. */
  public SymmetricState(String protocolName, Aead aead, Sha256 sha) {
    this.aead = aead;
    this.sha = sha;
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    hash =
        name.length <= Sha256.HASH_SIZE
            ? Arrays.copyOf(name, Sha256.HASH_SIZE)
            : sha.hash(name, null);
    chainingKey = hash.clone();
    cipher = new CipherState(aead);
    cipher.initializeKey(null);
  }

  private SymmetricState(SymmetricState other) {
    this.aead = other.aead;
    this.sha = other.sha;
    this.cipher = other.cipher.copy();
    this.chainingKey = other.chainingKey.clone();
    this.hash = other.hash.clone();
  }

  /** {@code MixKey(ikm)}. */
  public void mixKey(byte[] ikm) {
    byte[][] out = sha.hkdf(chainingKey, ikm, 2);
    chainingKey = out[0];
    cipher.initializeKey(out[1]);
    Arrays.fill(out[1], (byte) 0);
  }

  /** {@code MixHash(data)}. */
  public void mixHash(byte[] data) {
    hash = sha.hash(hash, data);
  }

  /** {@code MixKeyAndHash(ikm)}. */
  public void mixKeyAndHash(byte[] ikm) {
    byte[][] out = sha.hkdf(chainingKey, ikm, 3);
    chainingKey = out[0];
    mixHash(out[1]);
    cipher.initializeKey(out[2]);
    Arrays.fill(out[2], (byte) 0);
  }

  /** {@code GetHandshakeHash()}: a copy of h. */
  public byte[] handshakeHash() {
    return hash.clone();
  }

  public boolean hasKey() {
    return cipher.hasKey();
  }

  /** {@code EncryptAndHash(plaintext)}. */
  public byte[] encryptAndHash(byte[] plaintext) {
    byte[] ciphertext = cipher.encryptWithAd(hash, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  /** {@code DecryptAndHash(ciphertext)}: the plaintext or {@code null} if authentication fails. */
  public byte[] decryptAndHash(byte[] in, int off, int len) {
    byte[] plaintext = cipher.decryptWithAd(hash, in, off, len);
    if (plaintext != null) {
      mixHash(Arrays.copyOfRange(in, off, off + len));
    }
    return plaintext;
  }

  /** {@code Split()}: the initiator's sending state first, the responder's second. */
  public CipherState[] split() {
    byte[][] out = sha.hkdf(chainingKey, new byte[0], 2);
    CipherState c1 = new CipherState(aead);
    CipherState c2 = new CipherState(aead);
    c1.initializeKey(out[0]);
    c2.initializeKey(out[1]);
    Arrays.fill(out[0], (byte) 0);
    Arrays.fill(out[1], (byte) 0);
    return new CipherState[] {c1, c2};
  }

  /** Zeroes the chaining key and forgets the key. */
  public void wipe() {
    Arrays.fill(chainingKey, (byte) 0);
    cipher.wipe();
  }

  SymmetricState copy() {
    return new SymmetricState(this);
  }
}
