package io.kcpj.core.secure.noise;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise's hash functions for SHA-256: {@code HASH}, {@code HMAC-HASH} and {@code HKDF} exactly as
 * the Noise specification (section 4.3) defines them, on the JDK's {@code SHA-256} and {@code
 * HmacSHA256}.
 *
 * <p><b>Threading:</b> not thread-safe (holds a {@code MessageDigest} and a {@code Mac}); one per
 * handshake or per thread. Results are new arrays owned by the caller.
 */
public final class Sha256 {
  /** {@code HASHLEN}. */
  public static final int HASH_SIZE = 32;

  /** {@code BLOCKLEN}. */
  public static final int BLOCK_SIZE = 64;

  private final MessageDigest digest;
  private final Mac hmac;

  public Sha256() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
      hmac = Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }

  /** {@code HASH(a ‖ b)}; {@code b} may be null. */
  public byte[] hash(byte[] a, byte[] b) {
    digest.reset();
    digest.update(a);
    if (b != null) {
      digest.update(b);
    }
    return digest.digest();
  }

  /** {@code HMAC-HASH(key, data[off, off + len))}; {@code key} is never empty in Noise. */
  public byte[] hmac(byte[] key, byte[] data, int off, int len) {
    try {
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      hmac.update(data, off, len);
      return hmac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code HKDF(chainingKey, ikm, n)} for n = 2 or 3: returns n outputs of {@link #HASH_SIZE}
   * bytes.
   */
  public byte[][] hkdf(byte[] chainingKey, byte[] ikm, int n) {
    if (n < 2 || n > 3) {
      throw new IllegalArgumentException("HKDF outputs: 2 or 3, not " + n);
    }
    byte[] tempKey = hmac(chainingKey, ikm, 0, ikm.length);
    byte[][] out = new byte[n][];
    out[0] = hmac(tempKey, new byte[] {1}, 0, 1);
    byte[] input = new byte[HASH_SIZE + 1];
    for (int i = 1; i < n; i++) {
      System.arraycopy(out[i - 1], 0, input, 0, HASH_SIZE);
      input[HASH_SIZE] = (byte) (i + 1);
      out[i] = hmac(tempKey, input, 0, input.length);
    }
    java.util.Arrays.fill(tempKey, (byte) 0);
    return out;
  }
}
