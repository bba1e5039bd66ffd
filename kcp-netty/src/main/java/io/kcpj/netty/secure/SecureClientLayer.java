package io.kcpj.netty.secure;

import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureClientSession;
import io.kcpj.core.secure.SecureCloseReason;
import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.secure.SecureDrop;
import io.kcpj.core.secure.SecureSession;
import io.kcpj.core.secure.SecureSessionListener;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.KcpCloseReason;
import io.kcpj.netty.KcpSessionLayer;
import io.kcpj.netty.KcpSessionLayerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The client side of secure sessions (docs/secure-sessions.md) as a datagram layer under a {@code
 * KcpClientCodec}. It is a {@link KcpSessionLayer}: the codec's {@code connect} asks it to {@link
 * #open} a secure session for the (server, conv) and waits; when the handshake completes the layer
 * fires {@link KcpSessionLayerEvent.Established} and the codec creates the active KCP channel and
 * completes the connect future; when it fails (no authenticated answer within the handshake
 * timeout: wrong key, pinned key not the server's, server not in secure mode, unreachable) the
 * layer fires {@link KcpSessionLayerEvent.Closed} and the future fails with that reason. Later
 * {@code Closed} events (stateless reset, the server's ABORT, the secure idle timeout) close the
 * KCP channel with the matching {@code KcpCloseReason}; the server's CLOSE is a {@link
 * KcpSessionLayerEvent.PeerHalfClosed} (the codec shuts the channel's input or closes it). When the
 * codec's channel closes, it calls {@link #close}, which closes the secure session (CLOSE, or ABORT
 * for a forced close); a channel that shuts its output calls {@link #shutdownOutput} (CLOSE only).
 *
 * <p>Each codec datagram is protected for its (server, conv) session; one for no established
 * session is dropped and counted, never sent in clear. Records from the server are opened and their
 * inner KCP datagrams passed up with the server's address as sender; everything else is dropped and
 * counted ({@link #counters()}).
 *
 * <p><b>Ownership:</b> inbound datagrams are released here; the inner datagrams passed up are new
 * buffers the next handler owns; outbound datagrams are released here (after protection or when
 * dropped). Thread-confined to the datagram channel's event loop; one instance per channel.
 */
public final class SecureClientLayer extends SecureLayerBase {
  private final SecureClientConfig config;
  private final SecureCounters layerCounters = new SecureCounters();
  private final Map<Integer, Entry> byId = new HashMap<>();
  private final Map<Route, Entry> byRoute = new HashMap<>();

  /** The local address of the datagram being handled (the recipient of what is passed up). */
  private InetSocketAddress readRecipient;

  /** A client layer whose sessions use {@code config}'s keys, cipher and timers. */
  public SecureClientLayer(SecureClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Secure sessions in the table (handshaking and established). */
  public int sessionCount() {
    return byId.size();
  }

  /** Established secure sessions. */
  public int establishedCount() {
    int n = 0;
    for (Entry e : byId.values()) {
      if (e.established) {
        n++;
      }
    }
    return n;
  }

  /** The layer's and every live session's counters, summed (a snapshot). */
  public SecureCounters counters() {
    SecureCounters total = layerCounters.snapshot();
    for (Entry e : byId.values()) {
      e.session.counters().addTo(total);
    }
    return total;
  }

  /** The same as {@link #counters()}: the codec's metrics show them. */
  @Override
  public SecureCounters secureCounters() {
    return counters();
  }

  @Override
  Collection<? extends SecureSession> sessions() {
    ArrayList<SecureSession> all = new ArrayList<>(byId.size());
    for (Entry e : byId.values()) {
      all.add(e.session);
    }
    return all;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket)) {
      ctx.fireChannelRead(msg);
      return;
    }
    DatagramPacket packet = (DatagramPacket) msg;
    try {
      ByteBuf content = packet.content();
      ByteBuffer view = content.nioBuffer(content.readerIndex(), content.readableBytes());
      InetSocketAddress sender = packet.sender();
      readRecipient = packet.recipient();
      int type = SecureWire.type(view);
      int offset;
      if (type == SecureWire.TYPE_RESPONSE) {
        offset = SecureWire.RESPONSE_RECEIVER_OFFSET;
      } else if (type == SecureWire.TYPE_RETRY) {
        offset = SecureWire.RETRY_RECEIVER_OFFSET;
      } else if (type == SecureWire.TYPE_TRANSPORT) {
        offset = SecureWire.TRANSPORT_RECEIVER_OFFSET;
      } else {
        layerCounters.drop(type < 0 ? SecureDrop.TOO_SHORT : SecureDrop.UNKNOWN_TYPE);
        return;
      }
      if (view.remaining() < offset + 4) {
        layerCounters.drop(SecureDrop.TOO_SHORT);
        return;
      }
      long now = now();
      Entry e = byId.get(SecureWire.getIntLe(view, view.position() + offset));
      if (e != null) {
        e.session.onDatagram(view, sender, now);
        armFor(e.session);
      } else if (type == SecureWire.TYPE_TRANSPORT) {
        offerAsReset(view, sender, now);
      } else {
        layerCounters.drop(SecureDrop.UNKNOWN_SESSION);
      }
    } finally {
      ReferenceCountUtil.release(packet);
    }
    fireOpened();
    flushIfNeeded();
  }

  /** A stateless reset's id bytes are random: the sessions with that server recognise it. */
  private void offerAsReset(ByteBuffer view, InetSocketAddress sender, long now) {
    boolean offered = false;
    for (Entry e : new ArrayList<>(byId.values())) {
      if (e.session.remoteAddress().equals(sender)) {
        offered = true;
        e.session.onDatagram(view.duplicate(), sender, now);
      }
    }
    if (!offered) {
      layerCounters.drop(SecureDrop.UNKNOWN_SESSION);
    }
  }

  /**
   * Starts the handshake of a new secure session with {@code remote} for {@code conv}. A session
   * still on the same pair (closing, its channel gone) is aborted: it must not pass its late data
   * up as the new session's. The answer comes as an event.
   */
  @Override
  public void open(InetSocketAddress remote, int conv) {
    Route route = new Route(remote, conv);
    Entry e = new Entry(route);
    SecureClientSession s = new SecureClientSession(config, crypto, remote, conv, sink, e);
    e.session = s;
    byId.put(s.clientSessionId(), e);
    Entry previous = byRoute.put(route, e);
    if (previous != null) {
      displace(previous.session); // aborted below, after the new session took the route
    }
    s.start(now());
    armFor(s);
    fireOpened();
    flushIfNeeded();
  }

  @Override
  public void close(InetSocketAddress remote, int conv, KcpCloseReason reason) {
    close(remote, conv, reason, 0);
  }

  @Override
  SecureSession routedSession(InetSocketAddress remote, int conv) {
    Entry e = byRoute.get(new Route(remote, conv));
    return e == null ? null : e.session;
  }

  /**
   * Ends the secure session of the codec's ({@code remote}, {@code conv}): CLOSE for a normal
   * close, else ABORT, carrying {@code abortCode} for {@link KcpCloseReason#LOCAL_ABORT}.
   */
  @Override
  public void close(InetSocketAddress remote, int conv, KcpCloseReason reason, int abortCode) {
    Entry e = byRoute.get(new Route(remote, conv));
    if (e != null) {
      endSession(e.session, reason, abortCode);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof DatagramPacket)) {
      ctx.write(msg, promise);
      return;
    }
    DatagramPacket packet = (DatagramPacket) msg;
    ByteBuf content = packet.content();
    Entry e =
        content.readableBytes() < 4
            ? null
            : byRoute.get(new Route(packet.recipient(), content.getIntLE(content.readerIndex())));
    if (e == null || !e.established) {
      // Never send in clear what the codec meant for a secure peer.
      boolean tooShort = content.readableBytes() < 4; // read before the release
      packet.release();
      layerCounters.drop(tooShort ? SecureDrop.TOO_SHORT : SecureDrop.UNKNOWN_SESSION);
      promise.trySuccess();
      return;
    }
    protectAndWrite(e.session, packet, promise);
  }

  /** A server address and KCP conversation: one secure session each. */
  private record Route(InetSocketAddress server, int conv) {}

  /** One secure session and its events. */
  private final class Entry implements SecureSessionListener {
    final Route route;
    SecureClientSession session;
    boolean established;

    Entry(Route route) {
      this.route = route;
    }

    @Override
    public void onEstablished(SecureSession s) {
      established = true;
      keepEvent(new KcpSessionLayerEvent.Established(route.server(), route.conv()));
    }

    @Override
    public void onPayload(SecureSession s, ByteBuffer inner) {
      if (byRoute.get(route) != this) {
        layerCounters.drop(SecureDrop.CLOSED); // displaced: the codec's session is another's
        return;
      }
      if (inner.remaining() < 4 || SecureWire.getIntLe(inner, inner.position()) != route.conv()) {
        layerCounters.drop(SecureDrop.MALFORMED_FRAMES);
        return;
      }
      keepOpened(inner, route.server(), readRecipient);
    }

    @Override
    public void onPeerClosed(SecureSession s) {
      if (byRoute.get(route) == this) {
        // the codec shuts the channel's input, or closes it and calls shutdownOutput
        keepEvent(peerHalfClosedEvent(route.server(), route.conv()));
      } else {
        s.closeSend(now()); // displaced: no channel of the codec's, close ours too
      }
    }

    @Override
    public void onClosed(SecureSession s, SecureCloseReason reason, int abortCode) {
      if (byId.remove(session.clientSessionId(), this)) {
        session.counters().addTo(layerCounters);
      }
      if (byRoute.remove(route, this)) { // else a newer session holds the route
        keepEvent(
            closedEvent(
                route.server(),
                route.conv(),
                reason,
                abortCode,
                s,
                config.timers().handshakeTimeout()));
      }
    }
  }
}
