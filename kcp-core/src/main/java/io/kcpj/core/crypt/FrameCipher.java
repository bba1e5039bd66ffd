package io.kcpj.core.crypt;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What covers one whole frame (nonce, CRC32 and payload) for a {@link CryptMethod}. Input and
 * output ranges never overlap (the caller guarantees it). Thread-confined.
 */
abstract class FrameCipher {
  /**
   * kcp-go's fixed CFB initial vector (its {@code initialVector}); 64-bit block ciphers use its
   * first 8 bytes.
   */
  static final byte[] INITIAL_VECTOR = {
    (byte) 167,
    115,
    79,
    (byte) 156,
    18,
    (byte) 172,
    27,
    1,
    (byte) 164,
    21,
    (byte) 242,
    (byte) 193,
    (byte) 252,
    120,
    (byte) 230,
    107
  };

  /** kcp-go's salt for the XOR pad (its {@code saltxor}). */
  static final String XOR_SALT = "sH3CIVoF#rWLtJo6";

  /** kcp-go's XOR pad length (its {@code mtuLimit}): bytes past it are left as they are. */
  static final int XOR_PAD_BYTES = 1500;

  abstract void encrypt(byte[] in, int inOff, int len, byte[] out, int outOff);

  abstract void decrypt(byte[] in, int inOff, int len, byte[] out, int outOff);

  static FrameCipher of(CryptMethod method, byte[] key) {
    switch (method) {
      case NONE:
        return new Copy();
      case XOR:
        return new Xor(
            CryptKeys.pbkdf2HmacSha1(
                key,
                XOR_SALT.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                32,
                XOR_PAD_BYTES));
      case AES_128:
      case AES_192:
      case AES_256:
        return new Cfb("AES", key, method.keyBytes(), 16);
      case TRIPLE_DES:
        return new Cfb("DESede", key, method.keyBytes(), 8);
      case BLOWFISH:
        return new Cfb("Blowfish", key, method.keyBytes(), 8);
      default:
        throw new IllegalArgumentException("no cipher for " + method);
    }
  }

  /** kcp-go's "none": the frame is sent as it is. */
  static final class Copy extends FrameCipher {
    @Override
    void encrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
      System.arraycopy(in, inOff, out, outOff, len);
    }

    @Override
    void decrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
      System.arraycopy(in, inOff, out, outOff, len);
    }
  }

  /** kcp-go's "xor": byte i of the frame XOR byte i of a fixed pad, for i below 1,500. */
  static final class Xor extends FrameCipher {
    private final byte[] pad;

    Xor(byte[] pad) {
      this.pad = pad;
    }

    @Override
    void encrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
      int n = Math.min(len, pad.length);
      for (int i = 0; i < n; i++) {
        out[outOff + i] = (byte) (in[inOff + i] ^ pad[i]);
      }
      System.arraycopy(in, inOff + n, out, outOff + n, len - n);
    }

    @Override
    void decrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
      encrypt(in, inOff, len, out, outOff);
    }
  }

  /**
   * A block cipher in CFB mode with full-block feedback and kcp-go's fixed IV, over the whole
   * frame; the last partial block is XORed with the start of its keystream block. That is the JDK's
   * {@code CFB/NoPadding} (CFB128 for AES, CFB64 for 64-bit ciphers) started afresh for each frame:
   * {@code doFinal} returns a JDK cipher to its initial IV.
   */
  static final class Cfb extends FrameCipher {
    private final Cipher encryptor;
    private final Cipher decryptor;

    Cfb(String algorithm, byte[] key, int keyBytes, int blockBytes) {
      try {
        SecretKeySpec k = new SecretKeySpec(key, 0, keyBytes, algorithm);
        IvParameterSpec iv = new IvParameterSpec(INITIAL_VECTOR, 0, blockBytes);
        encryptor = Cipher.getInstance(algorithm + "/CFB/NoPadding");
        encryptor.init(Cipher.ENCRYPT_MODE, k, iv);
        decryptor = Cipher.getInstance(algorithm + "/CFB/NoPadding");
        decryptor.init(Cipher.DECRYPT_MODE, k, iv);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK refuses " + algorithm + "/CFB/NoPadding", e);
      }
    }

    @Override
    void encrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
      run(encryptor, in, inOff, len, out, outOff);
    }

    @Override
    void decrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
      run(decryptor, in, inOff, len, out, outOff);
    }

    private static void run(Cipher c, byte[] in, int inOff, int len, byte[] out, int outOff) {
      try {
        c.doFinal(in, inOff, len, out, outOff);
      } catch (GeneralSecurityException e) {
        // CFB without padding accepts any length: this cannot happen.
        throw new IllegalStateException(e);
      }
    }
  }
}
