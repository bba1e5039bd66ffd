package io.kcpj.netty;

import io.kcpj.core.Delivery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.Objects;

/**
 * One outbound message with its own delivery mode: write it to a {@link KcpChannel} instead of a
 * bare {@link ByteBuf} (which goes with the channel's {@link KcpChannelOption#DEFAULT_DELIVERY}).
 *
 * <pre>{@code
 * ch.writeAndFlush(new KcpMessage(snapshot, Delivery.SEQUENCED)); // latest wins
 * ch.writeAndFlush(new KcpMessage(event, Delivery.UNORDERED));    // on arrival, exactly once
 * }</pre>
 *
 * {@link Delivery#UNORDERED} and {@link Delivery#SEQUENCED} need the delivery extension on both
 * ends ({@link KcpChannelOption#DELIVERY_EXTENSION}, on in {@code KcpConfig.game()}); without it,
 * or in stream mode, the write fails with an {@link IllegalStateException} and nothing is sent.
 *
 * <p><b>Ownership.</b> Like a written {@code ByteBuf}: the message and its content belong to the
 * channel once written, and are released when the bytes have been copied into the engine (or the
 * write failed). Inbound messages are plain {@code ByteBuf}s whatever their mode. Immutable apart
 * from the content's reference count; not thread-safe.
 */
public final class KcpMessage extends DefaultByteBufHolder {
  private final Delivery delivery;

  /** {@code content} (ownership passes to this message) delivered as {@code delivery} asks. */
  public KcpMessage(ByteBuf content, Delivery delivery) {
    super(content);
    this.delivery = Objects.requireNonNull(delivery, "delivery");
  }

  /** How the peer's application receives this message. */
  public Delivery delivery() {
    return delivery;
  }

  @Override
  public KcpMessage replace(ByteBuf content) {
    return new KcpMessage(content, delivery);
  }

  @Override
  public KcpMessage copy() {
    return replace(content().copy());
  }

  @Override
  public KcpMessage duplicate() {
    return replace(content().duplicate());
  }

  @Override
  public KcpMessage retainedDuplicate() {
    return replace(content().retainedDuplicate());
  }

  @Override
  public KcpMessage retain() {
    super.retain();
    return this;
  }

  @Override
  public KcpMessage retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public KcpMessage touch() {
    super.touch();
    return this;
  }

  @Override
  public KcpMessage touch(Object hint) {
    super.touch(hint);
    return this;
  }

  @Override
  public String toString() {
    return "KcpMessage(" + delivery + ", " + content() + ')';
  }
}
