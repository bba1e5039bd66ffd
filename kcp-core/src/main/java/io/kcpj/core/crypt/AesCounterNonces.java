package io.kcpj.core.crypt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Nonces from AES-128 over a 128-bit counter (counter-mode keystream) under a random key, produced
 * 64 at a time in one cipher call. Thread-confined.
 */
final class AesCounterNonces implements NonceSource {
  private static final int BATCH = 64;
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final Cipher aes;
  private final byte[] counters = new byte[BATCH * NONCE_BYTES];
  private final byte[] nonces = new byte[BATCH * NONCE_BYTES];
  private long high;
  private long low;
  private int used = BATCH;

  AesCounterNonces(Random seedSource) {
    byte[] key = new byte[16];
    seedSource.nextBytes(key);
    high = seedSource.nextLong();
    low = seedSource.nextLong();
    try {
      aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/ECB/NoPadding", e);
    }
  }

  @Override
  public void next(byte[] dst, int off) {
    if (used == BATCH) {
      refill();
    }
    System.arraycopy(nonces, used * NONCE_BYTES, dst, off, NONCE_BYTES);
    used++;
  }

  private void refill() {
    for (int i = 0; i < BATCH; i++) {
      LONG_BE.set(counters, i * NONCE_BYTES, high);
      LONG_BE.set(counters, i * NONCE_BYTES + 8, low);
      if (++low == 0) {
        high++;
      }
    }
    try {
      aes.doFinal(counters, 0, counters.length, nonces, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES failed on a whole number of blocks", e);
    }
    used = 0;
  }
}
