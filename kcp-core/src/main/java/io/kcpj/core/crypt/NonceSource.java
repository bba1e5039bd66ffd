package io.kcpj.core.crypt;

/**
 * Where {@link BlockCrypt} takes each datagram's 16-byte nonce.
 *
 * <p>In kcp-go's framing the nonce is the first CFB block, so it randomises the whole ciphertext of
 * a datagram (the cipher's IV is a fixed constant): nonces must not repeat and should not be
 * predictable. {@link #secure()} is the source to use; tests pass fixed nonces to compare bytes
 * with kcp-go. Implementations are used on the thread of their {@link BlockCrypt}.
 */
@FunctionalInterface
public interface NonceSource {
  /** Bytes in one nonce. */
  int NONCE_BYTES = 16;

  /** Writes the next nonce into {@code dst[off .. off + 16)}. */
  void next(byte[] dst, int off);

  /**
   * A fresh unpredictable source: AES-128 in counter mode under a random key and a random starting
   * counter, both drawn once from {@link java.security.SecureRandom} (kcp-go draws its nonces from
   * AES of a random seed, the same idea). Allocation-free after construction.
   */
  static NonceSource secure() {
    return new AesCounterNonces(new java.security.SecureRandom());
  }
}
