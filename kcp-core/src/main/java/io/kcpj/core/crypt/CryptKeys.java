package io.kcpj.core.crypt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys as kcptun derives them: PBKDF2-HMAC-SHA1 (RFC 8018) of the passphrase's UTF-8 bytes, salt
 * {@code "kcp-go"}, 4,096 iterations, 32 bytes. Both ends of a session must use the same passphrase
 * and method. JDK primitives only ({@code PBKDF2WithHmacSHA1}, {@code HmacSHA1}). Stateless and
 * thread-safe.
 */
public final class CryptKeys {
  /** kcptun's salt. */
  public static final String SALT = "kcp-go";

  public static final int ITERATIONS = 4096;

  /** Bytes of the derived key; each {@link CryptMethod} uses its first {@code keyBytes()}. */
  public static final int KEY_BYTES = 32;

  private CryptKeys() {}

  /**
   * kcptun's 32-byte key for {@code passphrase}.
   *
   * @throws IllegalArgumentException for an empty passphrase
   */
  public static byte[] fromPassphrase(String passphrase) {
    if (passphrase.isEmpty()) {
      throw new IllegalArgumentException("the passphrase must not be empty");
    }
    try {
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1");
      PBEKeySpec spec =
          new PBEKeySpec(
              passphrase.toCharArray(),
              SALT.getBytes(StandardCharsets.US_ASCII),
              ITERATIONS,
              KEY_BYTES * 8);
      try {
        return f.generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA1", e);
    }
  }

  /**
   * PBKDF2-HMAC-SHA1 over a binary password (the JDK's key factory takes text only), for kcp-go's
   * XOR pad whose password is the derived key itself.
   */
  static byte[] pbkdf2HmacSha1(byte[] password, byte[] salt, int iterations, int length) {
    Mac mac;
    try {
      mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(password, "HmacSHA1"));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA1", e);
    }
    int hashLength = mac.getMacLength();
    byte[] out = new byte[length];
    byte[] block = new byte[4];
    for (int index = 1, done = 0; done < length; index++) {
      block[0] = (byte) (index >>> 24);
      block[1] = (byte) (index >>> 16);
      block[2] = (byte) (index >>> 8);
      block[3] = (byte) index;
      mac.update(salt);
      byte[] u = mac.doFinal(block);
      byte[] t = u.clone();
      for (int i = 1; i < iterations; i++) {
        u = mac.doFinal(u);
        for (int k = 0; k < hashLength; k++) {
          t[k] ^= u[k];
        }
      }
      int n = Math.min(hashLength, length - done);
      System.arraycopy(t, 0, out, done, n);
      done += n;
    }
    return out;
  }
}
