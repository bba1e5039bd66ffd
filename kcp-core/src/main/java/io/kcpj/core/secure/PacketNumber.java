package io.kcpj.core.secure;

/**
 * Packet numbers of records: 64-bit, sent as their low 32 bits, reconstructed by the receiver the
 * way QUIC reconstructs truncated packet numbers (RFC 9000, appendix A.3) with a 32-bit window.
 * Stateless.
 */
public final class PacketNumber {
  /** Largest packet number a sender may use (2^62 - 1, as in QUIC). */
  public static final long MAX = (1L << 62) - 1;

  private static final long WINDOW = 1L << 32;
  private static final long HALF_WINDOW = WINDOW >>> 1;
  private static final long MASK = WINDOW - 1;

  private PacketNumber() {}

  /**
   * The full packet number closest to {@code largestAccepted + 1} whose low 32 bits are {@code
   * truncated}. {@code largestAccepted} is -1 before any record was accepted. The result may exceed
   * {@link #MAX}; the caller rejects it then.
   */
  public static long decode(long largestAccepted, int truncated) {
    long expected = largestAccepted + 1;
    long candidate = (expected & ~MASK) | (truncated & MASK);
    if (candidate <= expected - HALF_WINDOW && candidate < (1L << 62) - WINDOW) {
      return candidate + WINDOW;
    }
    if (candidate > expected + HALF_WINDOW && candidate >= WINDOW) {
      return candidate - WINDOW;
    }
    return candidate;
  }
}
