package io.kcpj.core.secure.noise;

import java.security.SecureRandom;

/**
 * Noise's {@code GENERATE_KEYPAIR} and {@code DH} for Curve25519, as one replaceable object. A
 * {@link HandshakeState} calls it for every ephemeral key it draws and every DH it mixes.
 *
 * <p>Production uses {@link #JDK_X25519}, the default everywhere ({@link HandshakeState.Builder},
 * {@code CryptoContext}). The interface exists so that a test can substitute an implementation that
 * remembers the results of the real function (the fuzz targets spend most of their time in X25519);
 * any implementation must return exactly what {@link X25519} would for the same inputs, or
 * handshakes stop interoperating.
 *
 * <p><b>Contract:</b> implementations are called from the handshake's thread and must be safe from
 * any thread if shared. They must not modify the arrays they are given; they may keep copies (the
 * caller zeroes the returned shared secret after use, so a returned array must not be one the
 * implementation keeps).
 */
public interface DhFunction {
  /**
   * The JDK-backed X25519 ({@link X25519}): 32 fresh random bytes per key pair, one scalar
   * multiplication per DH. Stateless; safe from any thread.
   */
  DhFunction JDK_X25519 =
      new DhFunction() {
        @Override
        public X25519KeyPair generateKeyPair(SecureRandom random) {
          return X25519KeyPair.generate(random);
        }

        @Override
        public byte[] dh(byte[] privateKey, byte[] publicKey) {
          return X25519.dh(privateKey, publicKey);
        }

        @Override
        public String toString() {
          return "JDK X25519";
        }
      };

  /**
   * A new key pair whose private key is drawn from {@code random} (Noise's {@code
   * GENERATE_KEYPAIR}). The caller owns the result and may {@link X25519KeyPair#wipe()} it.
   */
  X25519KeyPair generateKeyPair(SecureRandom random);

  /**
   * {@code DH(privateKey, publicKey)}: a new 32-byte shared secret the caller owns, or {@code null}
   * when the public key is rejected (a low-order point), exactly as {@link X25519#dh} answers.
   * Never throws on any bytes of public key.
   */
  byte[] dh(byte[] privateKey, byte[] publicKey);
}
