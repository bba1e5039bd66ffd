package io.kcpj.netty;

import java.io.IOException;

/**
 * Fails the write future of a message that would push the engine's send queue past {@link
 * KcpChannelOption#SEND_QUEUE_CAP} segments. Nothing of the message is queued. Well-behaved writers
 * watch {@code isWritable()} and never see this.
 */
public final class KcpSendQueueFullException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A message of {@code segments} segments refused with {@code queued} of {@code cap} used. */
  public KcpSendQueueFullException(int segments, int queued, int cap) {
    super(
        "KCP send queue full: "
            + queued
            + " of "
            + cap
            + " segments queued, message needs "
            + segments
            + " more (wait for channelWritabilityChanged)");
  }
}
