package io.kcpj.core.crypt;

import java.util.Arrays;
import java.util.Objects;

/**
 * A packet cipher and its key, as a session or codec is configured with them: the recipe for a
 * {@link BlockCrypt} (which holds cipher state and belongs to one thread; this is immutable and may
 * be shared). {@link #toString()} never shows the key.
 *
 * <pre>{@code
 * CryptConfig c = CryptConfig.fromPassphrase(CryptMethod.parse("aes"), "it's a secrect");
 * BlockCrypt crypt = c.newBlockCrypt(); // one per thread
 * }</pre>
 */
public final class CryptConfig {
  private final CryptMethod method;
  private final byte[] key;

  private CryptConfig(CryptMethod method, byte[] key) {
    this.method = Objects.requireNonNull(method, "method");
    if (key.length != CryptKeys.KEY_BYTES) {
      throw new IllegalArgumentException(
          "a kcp-go key is " + CryptKeys.KEY_BYTES + " bytes, got " + key.length);
    }
    this.key = key.clone();
  }

  /** {@code method} with kcptun's 32-byte {@code key} (copied). */
  public static CryptConfig of(CryptMethod method, byte[] key) {
    return new CryptConfig(method, key);
  }

  /**
   * {@code method} with the key kcptun derives from {@code passphrase} ({@link
   * CryptKeys#fromPassphrase}: PBKDF2, 4,096 iterations, done once here).
   *
   * @throws IllegalArgumentException for an empty passphrase
   */
  public static CryptConfig fromPassphrase(CryptMethod method, String passphrase) {
    return new CryptConfig(method, CryptKeys.fromPassphrase(passphrase));
  }

  public CryptMethod method() {
    return method;
  }

  /** A new BlockCrypt for this method and key, with fresh secure nonces. */
  public BlockCrypt newBlockCrypt() {
    return BlockCrypt.create(method, key);
  }

  /** The method's name and "key hidden". */
  @Override
  public String toString() {
    return method.kcptunName() + " (key hidden)";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CryptConfig
        && ((CryptConfig) o).method == method
        && Arrays.equals(((CryptConfig) o).key, key);
  }

  @Override
  public int hashCode() {
    return method.hashCode() * 31 + Arrays.hashCode(key);
  }
}
