package io.kcpj.core.crypt;

import java.util.Locale;

/**
 * The packet ciphers of kcp-go's BlockCrypt that kcpj speaks, with kcptun's names and key sizes.
 *
 * <p>Every method frames the datagram the same way (16-byte nonce, CRC32, payload; see {@link
 * BlockCrypt}); they differ in what covers the frame: a block cipher in CFB mode, kcp-go's XOR pad,
 * or nothing. None of them authenticates (see {@link BlockCrypt}).
 *
 * <p>kcp-go also has sm4, tea, xtea, twofish, cast5 and salsa20, which the JDK does not provide:
 * kcpj refuses those names with a clear error rather than shipping cipher code of its own.
 */
public enum CryptMethod {
  /** The frame in clear: nonce and CRC32 still present, nothing encrypted (kcptun "none"). */
  NONE("none", 32),
  /** XOR with a 1,500-byte pad derived from the key (kcptun "xor"). Not encryption. */
  XOR("xor", 32),
  /** AES-128 in CFB mode, key = the first 16 bytes of the 32-byte key (kcptun "aes-128"). */
  AES_128("aes-128", 16),
  /** AES-192 in CFB mode, key = the first 24 bytes (kcptun "aes-192"). */
  AES_192("aes-192", 24),
  /** AES-256 in CFB mode, the whole 32-byte key (kcptun "aes", its default). */
  AES_256("aes", 32),
  /** Triple DES in CFB mode (64-bit blocks), the first 24 bytes (kcptun "3des"). */
  TRIPLE_DES("3des", 24),
  /** Blowfish in CFB mode (64-bit blocks), the whole 32-byte key (kcptun "blowfish"). */
  BLOWFISH("blowfish", 32);

  private final String kcptunName;
  private final int keyBytes;

  CryptMethod(String kcptunName, int keyBytes) {
    this.kcptunName = kcptunName;
    this.keyBytes = keyBytes;
  }

  /** kcptun's name for the method ({@code --crypt}). */
  public String kcptunName() {
    return kcptunName;
  }

  /** How many bytes of the 32-byte key the cipher uses. */
  public int keyBytes() {
    return keyBytes;
  }

  /**
   * The method named {@code name}, as kcptun spells it ({@code aes}, {@code aes-128}, {@code
   * aes-192}, {@code xor}, {@code none}, {@code 3des}, {@code blowfish}); {@code aes-256} is
   * accepted for {@code aes}. Case-insensitive.
   *
   * @throws IllegalArgumentException for any other name, listing the supported ones
   */
  public static CryptMethod parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("aes-256")) {
      return AES_256;
    }
    for (CryptMethod m : values()) {
      if (m.kcptunName.equals(n)) {
        return m;
      }
    }
    StringBuilder known = new StringBuilder();
    for (CryptMethod m : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(m.kcptunName);
    }
    throw new IllegalArgumentException(
        "unknown or unsupported packet cipher '" + name + "' (supported: " + known + ")");
  }
}
