package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.Aead;
import io.kcpj.core.secure.noise.CipherState;
import javax.crypto.SecretKey;

/**
 * The key schedule of one direction of a session (docs/secure-sessions.md, section 3.4): the key of
 * epoch 0 comes from Noise's {@code Split()}, the key of epoch e + 1 is Noise's {@code REKEY} of
 * the key of epoch e, and packet number {@code pn} belongs to epoch {@code pn >>> 20}.
 *
 * <p>A receiver holds the current epoch's key, the previous one (records still inside the replay
 * window) and, once asked, the next one; it moves forward only when a record authenticates under
 * the next key ({@link #advance()}), so forged packet numbers never rotate keys. A sender only ever
 * moves forward. Not thread-safe; owned by one session.
 */
final class RecordKeys {
  /** log2 of the packets per key epoch. */
  static final int EPOCH_SHIFT = 20;

  private final Aead aead;
  private long epoch;
  private SecretKey current;
  private SecretKey previous;
  private SecretKey next;

  RecordKeys(Aead aead, byte[] epochZeroKey) {
    this.aead = aead;
    this.current = aead.key(epochZeroKey);
  }

  static long epochOf(long pn) {
    return pn >>> EPOCH_SHIFT;
  }

  long epoch() {
    return epoch;
  }

  /**
   * The key for records of {@code pnEpoch}: the current, previous or next epoch's; {@code null} for
   * any other epoch (or a previous key already forgotten).
   */
  SecretKey keyFor(long pnEpoch) {
    if (pnEpoch == epoch) {
      return current;
    }
    if (pnEpoch == epoch - 1) {
      return previous;
    }
    if (pnEpoch == epoch + 1) {
      if (next == null) {
        next = rekey(current);
      }
      return next;
    }
    return null;
  }

  /** Moves to the next epoch (receiver: after a record authenticated under it; sender: always). */
  void advance() {
    SecretKey n = next != null ? next : rekey(current);
    previous = current;
    current = n;
    next = null;
    epoch++;
  }

  /** Forgets the previous epoch's key once no acceptable record can need it. */
  void forgetPrevious() {
    previous = null;
  }

  /** Forgets every key. */
  void clear() {
    current = null;
    previous = null;
    next = null;
  }

  private SecretKey rekey(SecretKey key) {
    byte[] k = CipherState.rekey(aead, key);
    SecretKey r = aead.key(k);
    java.util.Arrays.fill(k, (byte) 0);
    return r;
  }
}
