package io.kcpj.core.secure.noise;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Noise's {@code DH} function for Curve25519 (RFC 7748 X25519) on the JDK's {@code XDH}
 * implementation. Keys are 32-byte arrays in RFC 7748's little-endian encoding.
 *
 * <p>Stateless (each call creates its JDK objects): safe from any thread. Costs one scalar
 * multiplication per call (tens to hundreds of microseconds): handshake path only.
 */
public final class X25519 {
  /** {@code DHLEN}. */
  public static final int KEY_SIZE = 32;

  private static final byte[] BASE_POINT = new byte[KEY_SIZE];

  static {
    BASE_POINT[0] = 9;
  }

  private X25519() {}

  /** The public key of {@code privateKey}: X25519(k, 9). */
  public static byte[] publicKey(byte[] privateKey) {
    byte[] p = dh(privateKey, BASE_POINT);
    if (p == null) {
      throw new IllegalStateException("X25519 base point multiplication failed");
    }
    return p;
  }

  /**
   * {@code DH(privateKey, publicKey)}: the 32-byte shared secret, or {@code null} when the JDK
   * rejects the public key (a low-order point gives the all-zero result, which the JDK refuses; the
   * Noise specification allows either behaviour). Never throws on any 32 bytes of public key.
   */
  public static byte[] dh(byte[] privateKey, byte[] publicKey) {
    if (privateKey.length != KEY_SIZE || publicKey.length != KEY_SIZE) {
      return null;
    }
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      PrivateKey priv =
          factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
      PublicKey pub =
          factory.generatePublic(
              new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(publicKey)));
      KeyAgreement agreement = KeyAgreement.getInstance("XDH");
      agreement.init(priv);
      agreement.doPhase(pub, true);
      return agreement.generateSecret();
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  /** RFC 7748 decodeUCoordinate: little-endian, the top bit masked. */
  private static BigInteger decodeU(byte[] u) {
    byte[] bigEndian = new byte[KEY_SIZE + 1];
    for (int i = 0; i < KEY_SIZE; i++) {
      bigEndian[KEY_SIZE - i] = u[i];
    }
    bigEndian[1] &= 0x7f;
    return new BigInteger(bigEndian);
  }
}
