package io.kcpj.core.secure.noise;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One JDK {@link Cipher} for one {@link NoiseCipher}: Noise's {@code ENCRYPT(k, n, ad, plaintext)}
 * and {@code DECRYPT(k, n, ad, ciphertext)} over arrays.
 *
 * <p><b>Threading:</b> not thread-safe (a JDK {@code Cipher} is not). Instances may be shared by
 * the keys of one thread, since every call initialises the cipher with its own key and nonce; but
 * the JDK's AES keeps only the last key's expanded schedule, so a shared instance whose keys
 * alternate expands the key again on every call (records therefore use one instance per key
 * sequence, see {@code CryptoContext.recordAead}). <b>Buffers:</b> nothing is retained after a
 * call; input and output may be the same array at the same offset (in-place).
 *
 * <p>Allocation: each call initialises the JDK cipher with a new parameter spec (the JDK's specs
 * are immutable and copy their nonce), and the JDK's own initialisation may allocate; see the JMH
 * benchmark {@code SecureRecordBenchmark} for the measured bytes per call.
 */
public final class Aead {
  private final NoiseCipher kind;
  private final Cipher cipher;
  private final byte[] nonce = new byte[NoiseCipher.NONCE_SIZE];
  private SecretKey lastKey;
  private long lastNonce;

  /**
   * @throws IllegalStateException if the JDK lacks the algorithm (every Java 17 JDK has both)
   */
  public Aead(NoiseCipher kind) {
    this.kind = kind;
    try {
      this.cipher = Cipher.getInstance(kind.transformation());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(kind.transformation() + " is not available in this JDK", e);
    }
  }

  public NoiseCipher kind() {
    return kind;
  }

  /** A JDK key object for 32 key bytes (copied). */
  public SecretKey key(byte[] key32) {
    return new SecretKeySpec(key32, 0, NoiseCipher.KEY_SIZE, kind.keyAlgorithm());
  }

  /**
   * Encrypts {@code in[inOff, inOff + inLen)} into {@code out} at {@code outOff}: ciphertext then
   * the 16-byte tag. Returns {@code inLen + 16}.
   *
   * @throws IllegalStateException on a JDK failure that no input can cause (bad key length, JDK
   *     refusing to reuse a key and nonce: a bug in the caller)
   */
  public int encrypt(
      SecretKey key,
      long n,
      byte[] ad,
      int adOff,
      int adLen,
      byte[] in,
      int inOff,
      int inLen,
      byte[] out,
      int outOff) {
    try {
      init(Cipher.ENCRYPT_MODE, key, n);
      if (adLen > 0) {
        cipher.updateAAD(ad, adOff, adLen);
      }
      return cipher.doFinal(in, inOff, inLen, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AEAD encryption failed", e);
    }
  }

  /**
   * Decrypts and verifies {@code in[inOff, inOff + inLen)} (ciphertext then tag) into {@code out}
   * at {@code outOff}. Returns the plaintext length, or -1 if {@code inLen < 16} or the tag does
   * not verify (then {@code out} holds no plaintext worth reading). Never throws on any input
   * bytes.
   */
  public int decrypt(
      SecretKey key,
      long n,
      byte[] ad,
      int adOff,
      int adLen,
      byte[] in,
      int inOff,
      int inLen,
      byte[] out,
      int outOff) {
    if (inLen < NoiseCipher.TAG_SIZE) {
      return -1;
    }
    try {
      init(Cipher.DECRYPT_MODE, key, n);
      if (adLen > 0) {
        cipher.updateAAD(ad, adOff, adLen);
      }
      return cipher.doFinal(in, inOff, inLen, out, outOff);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException | IllegalStateException e) {
      return -1;
    }
  }

  /**
   * Initialises the JDK cipher. The JDK's ChaCha20-Poly1305 refuses an initialisation with the same
   * key and nonce as the previous one, even for decryption (seen on JDK 17 and 25), where that is
   * legitimate: a forged record with packet number n followed by the genuine record n, or a forged
   * handshake message that keeps the genuine ephemeral key followed by the genuine message, whose
   * key the handshake derives again as a new, equal key object. When that could happen, one
   * throwaway initialisation with another nonce comes first; it is never used to process data. For
   * decryption any repeated nonce gets it (the keys are not compared: that would copy them); for
   * encryption only a repeat with the same key object does. The throwaway initialisation also
   * bypasses the JDK's check for that case, so the JDK does not catch an encryption nonce reused
   * with the same key object: nonce uniqueness rests on the callers (the record sealer's packet
   * numbers, each handshake key used once per nonce), not on the JDK.
   */
  private void init(int mode, SecretKey key, long n) throws GeneralSecurityException {
    if (kind == NoiseCipher.CHACHA_POLY
        && n == lastNonce
        && (key == lastKey || (mode == Cipher.DECRYPT_MODE && lastKey != null))) {
      cipher.init(Cipher.DECRYPT_MODE, key, spec(~n));
    }
    cipher.init(mode, key, spec(n));
    lastKey = key;
    lastNonce = n;
  }

  private AlgorithmParameterSpec spec(long n) {
    kind.encodeNonce(n, nonce);
    return kind == NoiseCipher.AES_GCM
        ? new GCMParameterSpec(NoiseCipher.TAG_SIZE * 8, nonce)
        : new IvParameterSpec(nonce);
  }
}
