package io.kcpj.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of {@link KcpCodec}: sessions are created only through {@link
 * KcpChannel#newBootstrap(io.netty.channel.Channel)}; a datagram for no session is dropped as
 * {@link KcpDropReason#UNKNOWN_SESSION}. Several sessions, to one or several servers, may share one
 * datagram channel. Built by {@link KcpClientCodecBuilder}.
 */
public final class KcpClientCodec extends KcpCodec {

  KcpClientCodec(CodecSettings settings) {
    super(settings);
  }

  @Override
  KcpChildChannel onUnknownSession(ByteBuf content, InetSocketAddress sender, int conv) {
    drop(sender, conv, KcpDropReason.UNKNOWN_SESSION);
    return null;
  }

  /** Opens a session on the event loop (see {@link KcpChannelBootstrap#connect()}). */
  void connect(
      InetSocketAddress remote,
      Integer conv,
      ChannelHandler handler,
      Map<ChannelOption<?>, Object> options,
      Map<AttributeKey<?>, Object> attrs,
      Promise<KcpChannel> promise) {
    try {
      if (!isParentActive()) {
        promise.tryFailure(new IllegalStateException("the datagram channel is not active"));
        return;
      }
      if (sessionCountInternal() >= settings.maxSessions) {
        promise.tryFailure(
            new IllegalStateException(
                "session limit reached: " + settings.maxSessions + " sessions open"));
        return;
      }
      int id;
      if (conv != null) {
        id = conv;
        if (containsSession(remote, id)) {
          promise.tryFailure(
              new IllegalStateException(
                  "a session with conv "
                      + Integer.toUnsignedString(id)
                      + " to "
                      + remote
                      + " is open"));
          return;
        }
      } else {
        do {
          id = ThreadLocalRandom.current().nextInt();
        } while (id == 0 || containsSession(remote, id));
      }
      // The codec's options are applied first, then this session's (KcpChannelBootstrap#option).
      Map<AttributeKey<?>, Object> mergedAttrs = new LinkedHashMap<>(settings.childAttrs);
      mergedAttrs.putAll(attrs);
      KcpChildChannel child = openSession(remote, id, handler, options, mergedAttrs, true);
      if (child == null) {
        promise.tryFailure(new IllegalStateException("the session could not be registered"));
      } else {
        promise.trySuccess(child);
      }
    } catch (RuntimeException e) {
      promise.tryFailure(e);
    }
  }
}
