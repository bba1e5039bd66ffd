package io.kcpj.core.secure.noise;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * Noise's {@code CipherState} (specification section 5.1): a key {@code k} (or none) and a 64-bit
 * nonce {@code n}.
 *
 * <p>Used during the handshake (inside {@link SymmetricState}) and as the result of {@code
 * Split()}. The record layer takes the key bytes out ({@link #keyBytes()}) and numbers its records
 * itself, as {@code SetNonce()} allows for out-of-order transports.
 *
 * <p><b>Threading:</b> not thread-safe; owned by one handshake or session. It uses the given {@link
 * Aead}, which must be confined to the same thread.
 */
public final class CipherState {
  /** The nonce value Noise reserves for {@code REKEY}; never used for a message. */
  public static final long MAX_NONCE = 0xFFFF_FFFF_FFFF_FFFFL;

  private final Aead aead;
  private byte[] key;
  private SecretKey jceKey;
  private long nonce;

  public CipherState(Aead aead) {
    this.aead = aead;
  }

  /** {@code InitializeKey(k)}: sets the key (copied; {@code null} for none) and n = 0. */
  public void initializeKey(byte[] k) {
    wipe();
    if (k != null) {
      key = Arrays.copyOf(k, NoiseCipher.KEY_SIZE);
      jceKey = aead.key(key);
    }
    nonce = 0;
  }

  public boolean hasKey() {
    return key != null;
  }

  /** {@code SetNonce(n)}. */
  public void setNonce(long n) {
    nonce = n;
  }

  public long nonce() {
    return nonce;
  }

  /** A copy of the key bytes, or {@code null}. */
  public byte[] keyBytes() {
    return key == null ? null : key.clone();
  }

  /**
   * {@code EncryptWithAd(ad, plaintext)}: with a key, the ciphertext and tag (n then incremented);
   * without one, a copy of the plaintext.
   *
   * @throws IllegalStateException when n has reached {@link #MAX_NONCE}
   */
  public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
    if (key == null) {
      return plaintext.clone();
    }
    if (nonce == MAX_NONCE) {
      throw new IllegalStateException("Noise nonce exhausted");
    }
    byte[] out = new byte[plaintext.length + NoiseCipher.TAG_SIZE];
    aead.encrypt(jceKey, nonce, ad, 0, ad.length, plaintext, 0, plaintext.length, out, 0);
    nonce++;
    return out;
  }

  /**
   * {@code DecryptWithAd(ad, ciphertext[off, off + len))}: the plaintext, or {@code null} if
   * authentication fails (n is then unchanged, as the specification requires). Without a key, a
   * copy of the input.
   */
  public byte[] decryptWithAd(byte[] ad, byte[] in, int off, int len) {
    if (key == null) {
      return Arrays.copyOfRange(in, off, off + len);
    }
    if (nonce == MAX_NONCE || len < NoiseCipher.TAG_SIZE) {
      return null;
    }
    byte[] out = new byte[len - NoiseCipher.TAG_SIZE];
    int n = aead.decrypt(jceKey, nonce, ad, 0, ad.length, in, off, len, out, 0);
    if (n < 0) {
      return null;
    }
    nonce++;
    return out;
  }

  /** {@code Rekey()}: k = REKEY(k). */
  public void rekey() {
    if (key == null) {
      return;
    }
    byte[] next = rekey(aead, jceKey);
    initializeKeyKeepNonce(next);
    Arrays.fill(next, (byte) 0);
  }

  /**
   * Noise's default {@code REKEY(k)}: the first 32 bytes of {@code ENCRYPT(k, maxnonce, zerolen,
   * zeros)}, 32 zero bytes encrypted under the reserved nonce 2^64 - 1.
   */
  public static byte[] rekey(Aead aead, SecretKey key) {
    byte[] zeros = new byte[NoiseCipher.KEY_SIZE];
    byte[] out = new byte[NoiseCipher.KEY_SIZE + NoiseCipher.TAG_SIZE];
    aead.encrypt(key, MAX_NONCE, zeros, 0, 0, zeros, 0, zeros.length, out, 0);
    return Arrays.copyOf(out, NoiseCipher.KEY_SIZE);
  }

  /** Forgets the key (our copy zeroed; the JDK key object is dropped). */
  public void wipe() {
    if (key != null) {
      Arrays.fill(key, (byte) 0);
    }
    key = null;
    jceKey = null;
  }

  /** A copy with the same key and nonce (used to try a message without committing to it). */
  CipherState copy() {
    CipherState c = new CipherState(aead);
    if (key != null) {
      c.key = key.clone();
      c.jceKey = jceKey;
    }
    c.nonce = nonce;
    return c;
  }

  private void initializeKeyKeepNonce(byte[] k) {
    long n = nonce;
    initializeKey(k);
    nonce = n;
  }
}
