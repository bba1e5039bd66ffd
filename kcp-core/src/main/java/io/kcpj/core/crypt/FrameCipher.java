package io.kcpj.core.crypt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
   * frame; the last partial block is XORed with the start of its keystream block.
   *
   * <p><b>Encryption</b> is the JDK's {@code CFB/NoPadding} (CFB128 for AES, CFB64 for 64-bit
   * ciphers) started afresh for each frame ({@code doFinal} returns a JDK cipher to its initial
   * IV). It is serial by nature: block i's keystream is the encryption of ciphertext block i − 1,
   * known only once block i − 1 is done.
   *
   * <p><b>Decryption</b> needs no such wait, since every ciphertext block is at hand: the keystream
   * of the whole frame is the block cipher applied to {@code IV ‖ C₀ ‖ … ‖ C₍ₙ₋₂₎}, which this
   * class computes in one ECB call (which the JDK's AES runs block-parallel, with AES-NI where the
   * CPU has it) and then XORs with the ciphertext. Same bytes as CFB decryption, several times
   * faster for AES (figures in {@code docs/fec-and-encryption.md}).
   */
  static final class Cfb extends FrameCipher {
    private static final VarHandle LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cipher encryptor;
    private final Cipher blockCipher;
    private final int blockBytes;
    private final byte[] iv;
    private byte[] keystreamInput = new byte[1536];
    private byte[] keystream = new byte[1536];

    Cfb(String algorithm, byte[] key, int keyBytes, int blockBytes) {
      this.blockBytes = blockBytes;
      this.iv = java.util.Arrays.copyOf(INITIAL_VECTOR, blockBytes);
      try {
        SecretKeySpec k = new SecretKeySpec(key, 0, keyBytes, algorithm);
        encryptor = Cipher.getInstance(algorithm + "/CFB/NoPadding");
        encryptor.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(iv));
        blockCipher = Cipher.getInstance(algorithm + "/ECB/NoPadding");
        blockCipher.init(Cipher.ENCRYPT_MODE, k);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK refuses " + algorithm + "/CFB/NoPadding", e);
      }
    }

    @Override
    void encrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
      try {
        encryptor.doFinal(in, inOff, len, out, outOff);
      } catch (GeneralSecurityException e) {
        // CFB without padding accepts any length: this cannot happen.
        throw new IllegalStateException(e);
      }
    }

    @Override
    void decrypt(byte[] in, int inOff, int len, byte[] out, int outOff) {
      if (len == 0) {
        return;
      }
      int blocks = (len + blockBytes - 1) / blockBytes;
      int span = blocks * blockBytes;
      if (keystream.length < span) {
        keystreamInput = new byte[span];
        keystream = new byte[span];
      }
      byte[] ksIn = keystreamInput;
      byte[] ks = keystream;
      System.arraycopy(iv, 0, ksIn, 0, blockBytes);
      System.arraycopy(in, inOff, ksIn, blockBytes, span - blockBytes);
      try {
        blockCipher.doFinal(ksIn, 0, span, ks, 0);
      } catch (GeneralSecurityException e) {
        // ECB over whole blocks without padding: this cannot happen.
        throw new IllegalStateException(e);
      }
      int i = 0;
      for (; i + 8 <= len; i += 8) {
        LONG.set(out, outOff + i, (long) LONG.get(in, inOff + i) ^ (long) LONG.get(ks, i));
      }
      for (; i < len; i++) {
        out[outOff + i] = (byte) (in[inOff + i] ^ ks[i]);
      }
    }
  }
}
