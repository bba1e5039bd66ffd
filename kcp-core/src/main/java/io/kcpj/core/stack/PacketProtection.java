package io.kcpj.core.stack;

/**
 * The outermost layer of a {@link DatagramStack}: what covers each datagram on the wire. kcp-go's
 * BlockCrypt ({@link io.kcpj.core.crypt.BlockCrypt}) is one; kcpj's secure sessions are meant to be
 * another.
 *
 * <p>{@link #seal} and {@link #open} read one range and write another (they may be the same bytes
 * only where the implementation says so). {@link #open} never throws on any content: it returns −1
 * for a datagram it drops, and counts it. Implementations are confined to one thread.
 */
public interface PacketProtection {
  /** Bytes {@link #seal} adds to a datagram. */
  int overhead();

  /**
   * Protects {@code src[off .. off + len)} into {@code dst} from {@code dstOff}.
   *
   * @return the protected datagram's length ({@code len + overhead()})
   */
  int seal(byte[] src, int off, int len, byte[] dst, int dstOff);

  /**
   * Checks and unprotects the datagram {@code src[off .. off + len)} into {@code dst} from {@code
   * dstOff}.
   *
   * @return the payload's length, or −1 when the datagram is dropped (counted by the
   *     implementation)
   */
  int open(byte[] src, int off, int len, byte[] dst, int dstOff);
}
