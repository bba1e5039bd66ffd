package io.kcpj.core.secure;

import java.util.Arrays;

/**
 * The sliding replay window of one receive direction: RFC 6479's bitmap, as WireGuard uses it, of
 * 2,048 bits (32 words of 64). {@code largest} is the highest packet number accepted; a packet
 * number is acceptable iff it is not below {@code largest - }{@link #WINDOW} and its bit is clear.
 *
 * <p>Check before decrypting ({@link #isAcceptable}) and mark only after the record authenticated
 * ({@link #markAccepted}), so forged datagrams never move the window. O(1) per packet, no
 * allocation. Not thread-safe; owned by one session.
 */
public final class ReplayWindow {
  private static final int WORDS = 32;
  private static final int WORD_MASK = WORDS - 1;

  /** How far below the largest accepted packet number a packet is still accepted: 1,984. */
  public static final long WINDOW = WORDS * 64L - 64;

  private final long[] bitmap = new long[WORDS];
  private long largest = -1;

  /** The largest accepted packet number, -1 before the first. */
  public long largest() {
    return largest;
  }

  /** Whether {@code pn} is below the window. */
  public boolean isTooOld(long pn) {
    return largest >= 0 && pn + WINDOW < largest;
  }

  /** Whether {@code pn} (≥ 0) may be accepted: inside or above the window and not seen. */
  public boolean isAcceptable(long pn) {
    if (pn < 0 || isTooOld(pn)) {
      return false;
    }
    if (pn > largest) {
      return true;
    }
    return (bitmap[wordIndex(pn)] & bit(pn)) == 0;
  }

  /** Records {@code pn} as accepted; call only when {@link #isAcceptable} was true. */
  public void markAccepted(long pn) {
    if (pn > largest) {
      long current = largest < 0 ? -1 : largest >>> 6;
      long target = pn >>> 6;
      long clear = Math.min(target - current, WORDS);
      for (long i = 1; i <= clear; i++) {
        bitmap[(int) ((current + i) & WORD_MASK)] = 0;
      }
      largest = pn;
    }
    bitmap[wordIndex(pn)] |= bit(pn);
  }

  /** Forgets everything (a new key, a new session). */
  public void reset() {
    Arrays.fill(bitmap, 0);
    largest = -1;
  }

  private static int wordIndex(long pn) {
    return (int) ((pn >>> 6) & WORD_MASK);
  }

  private static long bit(long pn) {
    return 1L << (pn & 63);
  }
}
