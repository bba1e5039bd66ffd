package io.kcpj.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of {@link KcpCodec}: sessions are created only through {@link
 * KcpChannel#newBootstrap(io.netty.channel.Channel)}; a datagram for no session is dropped as
 * {@link KcpDropReason#UNKNOWN_SESSION}. Several sessions, to one or several servers, may share one
 * datagram channel. Built by {@link KcpClientCodecBuilder}.
 *
 * <p><b>Under a session layer.</b> With a {@link KcpSessionLayer} before the codec (kcpj's secure
 * sessions), {@code connect} asks the layer to establish the session ({@link KcpSessionLayer#open})
 * and the connect future stays pending: the {@link KcpChannel} is created, active, and the future
 * succeeds only when the layer reports {@link KcpSessionLayerEvent.Established} (for secure
 * sessions: the handshake completed). If the layer reports {@link KcpSessionLayerEvent.Closed}
 * first, the future fails with a {@link KcpConnectException} whose message is the layer's one-line
 * reason. If the channel cannot be set up once the layer established the session (a
 * non-{@code @Sharable} handler given to a second connect, an option value refused), the future
 * fails with an {@link IllegalStateException} naming the cause and the layer is told to close its
 * session. Pending connects count towards {@link KcpChannelOption#MAX_SESSIONS} and their (remote,
 * conv) is in use until they complete; cancelling the future frees both at once and tells the layer
 * to end its session. A connect whose future was cancelled just as its channel was created gets
 * that channel closed (plain KCP too).
 */
public final class KcpClientCodec extends KcpCodec {
  /** Connects waiting for the session layer, by (remote, conv). */
  private final Map<SessionKey, PendingConnect> pending = new HashMap<>();

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
      if (sessionCountInternal() + pending.size() >= settings.maxSessions) {
        promise.tryFailure(
            new IllegalStateException(
                "session limit reached: " + settings.maxSessions + " sessions open"));
        return;
      }
      int id;
      if (conv != null) {
        id = conv;
        if (inUse(remote, id)) {
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
        } while (id == 0 || inUse(remote, id));
      }
      // The codec's options are applied first, then this session's (KcpChannelBootstrap#option).
      Map<AttributeKey<?>, Object> mergedAttrs = new LinkedHashMap<>(settings.childAttrs);
      mergedAttrs.putAll(attrs);
      KcpSessionLayer layer = sessionLayer();
      if (layer != null) {
        // The channel exists once the layer established the session (onLayerEstablished).
        SessionKey key = new SessionKey(remote, id);
        PendingConnect p = new PendingConnect(handler, options, mergedAttrs, promise);
        pending.put(key, p);
        try {
          layer.open(remote, id);
        } catch (RuntimeException e) {
          pending.remove(key);
          throw e;
        }
        int opened = id;
        // Cancelled while the layer works: free the slot and the (remote, conv) now, end the
        // layer's session (listeners run on the event loop: the promise is the loop's).
        promise.addListener(
            f -> {
              if (f.isCancelled() && pending.remove(key, p)) {
                closeLayerSession(remote, opened);
              }
            });
        return;
      }
      complete(openSession(remote, id, handler, options, mergedAttrs, true), promise);
    } catch (RuntimeException e) {
      promise.tryFailure(e);
    }
  }

  private static void complete(KcpChildChannel child, Promise<KcpChannel> promise) {
    if (child == null) {
      promise.tryFailure(new IllegalStateException("the session could not be registered"));
    } else if (!promise.trySuccess(child)) {
      child.close(); // the caller cancelled the connect meanwhile
    }
  }

  private boolean inUse(InetSocketAddress remote, int conv) {
    return containsSession(remote, conv) || pending.containsKey(new SessionKey(remote, conv));
  }

  @Override
  void onLayerEstablished(InetSocketAddress remote, int conv) {
    PendingConnect p = pending.remove(new SessionKey(remote, conv));
    if (p == null) {
      return; // not ours (or a repeated event)
    }
    if (p.promise.isDone()) { // cancelled meanwhile
      KcpSessionLayer layer = sessionLayer();
      if (layer != null) {
        layer.close(remote, conv, KcpCloseReason.LOCAL_CLOSE);
      }
      return;
    }
    KcpChildChannel child;
    try {
      child = openSession(remote, conv, p.handler, p.options, p.attrs, true);
    } catch (RuntimeException e) {
      // E.g. a non-@Sharable handler reused, or an option refused: no channel, so the layer's
      // session must not live on (keepalives) and the connect must not hang.
      p.promise.tryFailure(
          new IllegalStateException(
              "the session could not be set up after the session layer established it: " + e, e));
      closeLayerSession(remote, conv);
      return;
    }
    if (child == null) {
      closeLayerSession(remote, conv); // registration failed: no channel for the layer's session
    }
    complete(child, p.promise);
  }

  private void closeLayerSession(InetSocketAddress remote, int conv) {
    KcpSessionLayer layer = sessionLayer();
    if (layer != null) {
      layer.close(remote, conv, KcpCloseReason.LOCAL_CLOSE);
    }
  }

  @Override
  void onLayerClosedWithoutSession(KcpSessionLayerEvent.Closed closed) {
    PendingConnect p = pending.remove(new SessionKey(closed.remoteAddress(), closed.conv()));
    if (p != null) {
      p.promise.tryFailure(new KcpConnectException(closed.reason(), closed.description()));
    }
  }

  @Override
  void failPendingConnects(String why) {
    if (pending.isEmpty()) {
      return;
    }
    List<PendingConnect> failed = new ArrayList<>(pending.values());
    pending.clear();
    for (PendingConnect p : failed) {
      p.promise.tryFailure(new IllegalStateException(why));
    }
  }

  /** A connect waiting for the session layer's word. */
  private record PendingConnect(
      ChannelHandler handler,
      Map<ChannelOption<?>, Object> options,
      Map<AttributeKey<?>, Object> attrs,
      Promise<KcpChannel> promise) {}
}
