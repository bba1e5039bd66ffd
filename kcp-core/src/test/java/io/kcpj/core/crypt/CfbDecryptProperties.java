package io.kcpj.core.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The block-parallel CFB decryption of {@link FrameCipher.Cfb} (keystream by one ECB call) gives
 * exactly the bytes of the JDK's own serial {@code CFB/NoPadding} decryption, for every cipher,
 * every length (partial last blocks, lengths beyond the initial scratch) and offsets.
 */
class CfbDecryptProperties {

  @Property(tries = 400, seed = "31")
  void parallelDecryptionEqualsTheJdksCfb(
      @ForAll CryptMethod method,
      @ForAll @IntRange(min = 0, max = 4000) int length,
      @ForAll long seed)
      throws Exception {
    if (method == CryptMethod.NONE || method == CryptMethod.XOR) {
      return;
    }
    SplittableRandom r = new SplittableRandom(seed);
    byte[] key = new byte[32];
    r.nextBytes(key);
    FrameCipher cipher = FrameCipher.of(method, key);
    String algorithm =
        method == CryptMethod.TRIPLE_DES
            ? "DESede"
            : method == CryptMethod.BLOWFISH ? "Blowfish" : "AES";
    int block = algorithm.equals("AES") ? 16 : 8;
    Cipher jdk = Cipher.getInstance(algorithm + "/CFB/NoPadding");
    jdk.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(key, 0, method.keyBytes(), algorithm),
        new IvParameterSpec(FrameCipher.INITIAL_VECTOR, 0, block));
    for (int round = 0; round < 2; round++) { // twice: the scratch is reused
      int inOff = r.nextInt(9);
      int outOff = r.nextInt(9);
      byte[] in = new byte[inOff + length];
      r.nextBytes(in);
      byte[] expected = jdk.doFinal(in, inOff, length);
      byte[] out = new byte[outOff + length];
      cipher.decrypt(in, inOff, length, out, outOff);
      assertArrayEquals(expected, Arrays.copyOfRange(out, outOff, outOff + length));
      // And it undoes this class's own encryption.
      byte[] plain = new byte[length];
      r.nextBytes(plain);
      byte[] sealed = new byte[length];
      cipher.encrypt(plain, 0, length, sealed, 0);
      byte[] back = new byte[length];
      cipher.decrypt(sealed, 0, length, back, 0);
      assertArrayEquals(plain, back);
    }
  }
}
