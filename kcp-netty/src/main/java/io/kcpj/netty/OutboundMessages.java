package io.kcpj.netty;

import io.kcpj.core.Delivery;
import io.netty.buffer.ByteBuf;

/**
 * What a {@link KcpChildChannel} does with each outbound message: a bare {@link ByteBuf} goes with
 * the channel's {@link KcpChannelOption#DEFAULT_DELIVERY}, a {@link KcpMessage} with its own mode.
 * The message is not released here (the outbound buffer releases it when the write completes or
 * fails). Stateless; runs on the channel's event loop.
 */
final class OutboundMessages {
  private OutboundMessages() {}

  /** Queues {@code msg} in {@code channel}'s engine; returns why it was refused, or null. */
  static Throwable send(KcpChildChannel channel, Object msg) {
    if (msg instanceof KcpMessage) {
      KcpMessage m = (KcpMessage) msg;
      return channel.sendToEngine(m.content(), m.delivery());
    }
    Delivery d = channel.config().defaultDelivery();
    return channel.sendToEngine((ByteBuf) msg, d);
  }
}
