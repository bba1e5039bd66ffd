package io.kcpj.netty;

import java.net.InetSocketAddress;

/**
 * Observes a codec's sessions: every open, every close with its reason, every dropped datagram. Set
 * it with {@link KcpCodecBuilder#sessionListener(KcpSessionListener)}.
 *
 * <p>Called on the datagram channel's event loop; implementations must be quick and must not block.
 * Exceptions thrown are logged and otherwise ignored.
 */
public interface KcpSessionListener {
  /** A session started: its channel is registered and active. */
  default void sessionOpened(KcpChannel channel) {}

  /** A session ended for {@code reason}; its channel is closed. */
  default void sessionClosed(KcpChannel channel, KcpCloseReason reason) {}

  /** A datagram from {@code sender} (conv {@code conv}, 0 if unreadable) was dropped. */
  default void datagramDropped(InetSocketAddress sender, int conv, KcpDropReason reason) {}
}
