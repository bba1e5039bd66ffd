package io.kcpj.netty;

import java.io.IOException;

/**
 * Fired through {@code exceptionCaught} of a {@link KcpChannel}'s pipeline when a segment has been
 * transmitted {@link KcpChannelOption#DEAD_LINK} times without acknowledgement; the channel then
 * closes with {@link KcpCloseReason#DEAD_LINK}.
 */
public final class KcpDeadLinkException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The exception for the session {@code conv} with peer {@code remote}. */
  public KcpDeadLinkException(int conv, Object remote, int transmissions) {
    super(
        "KCP dead link: conv "
            + Integer.toUnsignedString(conv)
            + " with "
            + remote
            + ": a segment was sent "
            + transmissions
            + " times without acknowledgement");
  }
}
