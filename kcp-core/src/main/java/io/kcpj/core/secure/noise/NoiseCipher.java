package io.kcpj.core.secure.noise;

/**
 * The two Noise cipher functions kcpj offers, with what differs between them: the name in the
 * protocol name, the JDK transformation, and how the 64-bit nonce {@code n} becomes the 96-bit AEAD
 * nonce (Noise specification, section 12).
 *
 * <p>Both take 32-byte keys and produce 16-byte tags. Stateless and immutable: safe to share.
 */
public enum NoiseCipher {
  /** ChaCha20-Poly1305 (RFC 8439): nonce = 4 zero bytes ‖ n as 8 bytes little-endian. */
  CHACHA_POLY("ChaChaPoly", "ChaCha20-Poly1305", "ChaCha20", false),
  /** AES-256-GCM: nonce = 4 zero bytes ‖ n as 8 bytes big-endian. */
  AES_GCM("AESGCM", "AES/GCM/NoPadding", "AES", true);

  /** Bytes of a key. */
  public static final int KEY_SIZE = 32;

  /** Bytes of an authentication tag. */
  public static final int TAG_SIZE = 16;

  /** Bytes of the AEAD nonce. */
  public static final int NONCE_SIZE = 12;

  private final String noiseName;
  private final String transformation;
  private final String keyAlgorithm;
  private final boolean bigEndianNonce;

  NoiseCipher(
      String noiseName, String transformation, String keyAlgorithm, boolean bigEndianNonce) {
    this.noiseName = noiseName;
    this.transformation = transformation;
    this.keyAlgorithm = keyAlgorithm;
    this.bigEndianNonce = bigEndianNonce;
  }

  /** The name in a Noise protocol name: {@code ChaChaPoly} or {@code AESGCM}. */
  public String noiseName() {
    return noiseName;
  }

  /** The JDK {@code Cipher} transformation. */
  public String transformation() {
    return transformation;
  }

  /** The JDK key algorithm name for {@code SecretKeySpec}. */
  public String keyAlgorithm() {
    return keyAlgorithm;
  }

  /** Writes the 12-byte AEAD nonce for the 64-bit counter {@code n} into {@code dst[0..12)}. */
  public void encodeNonce(long n, byte[] dst) {
    dst[0] = 0;
    dst[1] = 0;
    dst[2] = 0;
    dst[3] = 0;
    for (int i = 0; i < 8; i++) {
      int shift = bigEndianNonce ? 56 - 8 * i : 8 * i;
      dst[4 + i] = (byte) (n >>> shift);
    }
  }

  /** The cipher whose {@link #noiseName()} is {@code name}, or {@code null}. */
  public static NoiseCipher byNoiseName(String name) {
    for (NoiseCipher c : values()) {
      if (c.noiseName.equals(name)) {
        return c;
      }
    }
    return null;
  }
}
