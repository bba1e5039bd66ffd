package io.kcpj.core.secure.noise;

import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * The parameter specs one {@link Aead} hands to its JDK cipher, made once and rewritten with each
 * call's nonce, so that initialising the cipher for a record allocates no spec and no nonce array.
 *
 * <p>The JDK's ciphers accept any {@link GCMParameterSpec} (AES-GCM) or {@link IvParameterSpec}
 * (ChaCha20-Poly1305), subclasses included, and read the nonce through {@code getIV()}. The JDK's
 * own specs copy the nonce in their constructor and again in every {@code getIV()}; these return
 * their one array instead. The JDK keeps the array it got: as the current nonce, and as "the last
 * nonce" that its refusal of a repeated key and nonce compares the next initialisation with
 * (AES-GCM: the last encryption's; ChaCha20-Poly1305: the last initialisation's, of either kind).
 * So an array must still hold its nonce when the next initialisation is checked. Encryption and
 * decryption therefore each alternate between two arrays of their own, moving to the other array
 * only once the JDK accepted an initialisation: the array of the last accepted initialisation of
 * either kind, and of the last accepted encryption, is never the one being rewritten. The JDK's
 * refusal sees the same nonces it would see with its own specs ({@code AeadAllocationTest} checks
 * this against the JDK, step by step).
 *
 * <p>Not thread-safe; owned by one {@link Aead}.
 */
final class NonceSpecs {
  private final NoiseCipher kind;

  /** Arrays 0 and 1 for encryption, 2 and 3 for decryption. */
  private final byte[][] nonces = new byte[4][NoiseCipher.NONCE_SIZE];

  private final AlgorithmParameterSpec[] specs = new AlgorithmParameterSpec[4];
  private int nextEncryption;
  private int nextDecryption = 2;

  NonceSpecs(NoiseCipher kind) {
    this.kind = kind;
    for (int i = 0; i < specs.length; i++) {
      specs[i] = spec(kind, nonces[i]);
    }
  }

  /**
   * The spec for an encryption with nonce {@code n}. Call {@link #accepted} once the cipher's
   * initialisation with it succeeded; until then the next call returns the same spec again.
   */
  AlgorithmParameterSpec forEncryption(long n) {
    kind.encodeNonce(n, nonces[nextEncryption]);
    return specs[nextEncryption];
  }

  /** The spec for a decryption with nonce {@code n}; {@link #accepted} as for encryption. */
  AlgorithmParameterSpec forDecryption(long n) {
    kind.encodeNonce(n, nonces[nextDecryption]);
    return specs[nextDecryption];
  }

  /**
   * The JDK accepted an initialisation with {@code spec} and now holds its array: the next spec of
   * the same kind uses the other array. After a refused initialisation the JDK still holds the
   * array before, so the refused one is rewritten next.
   */
  void accepted(AlgorithmParameterSpec spec) {
    if (spec == specs[nextEncryption]) {
      nextEncryption ^= 1;
    } else if (spec == specs[nextDecryption]) {
      nextDecryption ^= 1; // 2 <-> 3
    }
  }

  private static AlgorithmParameterSpec spec(NoiseCipher kind, byte[] nonce) {
    return kind == NoiseCipher.AES_GCM ? new GcmSpec(nonce) : new IvSpec(nonce);
  }

  /** A 128-bit-tag GCM spec whose {@code getIV()} is the owner's nonce array itself. */
  private static final class GcmSpec extends GCMParameterSpec {
    private final byte[] nonce;

    GcmSpec(byte[] nonce) {
      super(NoiseCipher.TAG_SIZE * 8, nonce);
      this.nonce = nonce;
    }

    @Override
    public byte[] getIV() {
      return nonce;
    }
  }

  /** An IV spec whose {@code getIV()} is the owner's nonce array itself. */
  private static final class IvSpec extends IvParameterSpec {
    private final byte[] nonce;

    IvSpec(byte[] nonce) {
      super(nonce);
      this.nonce = nonce;
    }

    @Override
    public byte[] getIV() {
      return nonce;
    }
  }
}
