package io.kcpj.netty;

/**
 * Fails the write future of a message (message mode) larger than the engine accepts: {@code
 * maxFragments × (mtu − 24)} bytes. Nothing of the message is queued; the channel stays usable.
 */
public final class KcpMessageTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A message of {@code size} bytes against a limit of {@code limit} bytes. */
  public KcpMessageTooLargeException(int size, int limit) {
    super(
        "KCP message of "
            + size
            + " bytes exceeds the engine's limit of "
            + limit
            + " bytes (raise MTU or MAX_FRAGMENTS, or use STREAM_MODE with a framing codec)");
  }
}
