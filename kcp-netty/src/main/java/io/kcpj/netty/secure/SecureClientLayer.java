package io.kcpj.netty.secure;

import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureClientSession;
import io.kcpj.core.secure.SecureCloseReason;
import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.secure.SecureDrop;
import io.kcpj.core.secure.SecureSession;
import io.kcpj.core.secure.SecureSessionListener;
import io.kcpj.core.secure.SecureWire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The client side of secure sessions (docs/secure-sessions.md) as a datagram layer under an
 * unchanged {@code KcpClientCodec}: the first datagram the codec writes for a (server, conv) starts
 * a handshake; the codec's datagrams wait (at most {@link #MAX_PENDING} per session, the rest
 * dropped as on a lossy link, KCP retransmits them) until it completes, then each is protected.
 * Records from the server are opened and their inner KCP datagrams passed up with the server's
 * address as sender; everything else is dropped and counted ({@link #counters()}).
 *
 * <p>Limits of this layer (the codec integration of section 12.1 removes them): the KCP child
 * channel is active before the handshake completes and a failed handshake (wrong key, no secure
 * server) surfaces only as the codec's dead link or the counters, not as a failed connect with the
 * reason; a stateless reset or the server's close ends the secure session, after which the codec's
 * next datagram starts a new handshake while the KCP session (whose peer state is gone) stays.
 *
 * <p><b>Ownership:</b> inbound datagrams are released here; the inner datagrams passed up are new
 * buffers the next handler owns; outbound datagrams are released here (after protection or when
 * dropped). Thread-confined to the datagram channel's event loop; one instance per channel.
 */
public final class SecureClientLayer extends SecureLayerBase {
  /** Inner datagrams kept per session while its handshake runs. */
  public static final int MAX_PENDING = 64;

  private final SecureClientConfig config;
  private final SecureCounters layerCounters = new SecureCounters();
  private final Map<Integer, Entry> byId = new HashMap<>();
  private final Map<Route, Entry> byRoute = new HashMap<>();
  private long pendingDropped;

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

  /** The codec's datagrams dropped because {@link #MAX_PENDING} were already waiting. */
  public long pendingDropped() {
    return pendingDropped;
  }

  /** The layer's and every live session's counters, summed (a snapshot). */
  public SecureCounters counters() {
    SecureCounters total = layerCounters.snapshot();
    for (Entry e : byId.values()) {
      e.session.counters().addTo(total);
    }
    return total;
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
  public void handlerRemoved(ChannelHandlerContext ctx) {
    for (Entry e : byId.values()) {
      e.releasePending();
    }
    super.handlerRemoved(ctx);
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

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof DatagramPacket)) {
      ctx.write(msg, promise);
      return;
    }
    DatagramPacket packet = (DatagramPacket) msg;
    ByteBuf content = packet.content();
    if (content.readableBytes() < 4) {
      packet.release();
      layerCounters.drop(SecureDrop.TOO_SHORT);
      promise.trySuccess();
      return;
    }
    Route route = new Route(packet.recipient(), content.getIntLE(content.readerIndex()));
    Entry e = byRoute.get(route);
    if (e == null) {
      e = start(route);
    }
    if (e.established) {
      protectAndWrite(e.session, packet, promise);
    } else if (e.pending.size() < MAX_PENDING) {
      e.pending.add(packet);
      promise.trySuccess();
    } else {
      packet.release();
      pendingDropped++;
      promise.trySuccess();
    }
  }

  private Entry start(Route route) {
    Entry e = new Entry(route);
    SecureClientSession s =
        new SecureClientSession(config, crypto, route.server(), route.conv(), sink, e);
    e.session = s;
    byId.put(s.clientSessionId(), e);
    byRoute.put(route, e);
    s.start(now());
    armFor(s);
    return e;
  }

  /** A server address and KCP conversation: one secure session each. */
  private record Route(InetSocketAddress server, int conv) {}

  /** One secure session, its pending inner datagrams and its events. */
  private final class Entry implements SecureSessionListener {
    final Route route;
    final ArrayDeque<DatagramPacket> pending = new ArrayDeque<>();
    SecureClientSession session;
    boolean established;

    Entry(Route route) {
      this.route = route;
    }

    @Override
    public void onEstablished(SecureSession s) {
      established = true;
      // Protect after the core returned: its scratch is in use during this call.
      ctx.executor()
          .execute(
              () -> {
                for (DatagramPacket p; (p = pending.poll()) != null; ) {
                  if (byId.get(session.clientSessionId()) == this) {
                    protectAndWrite(session, p, ctx.voidPromise());
                  } else {
                    p.release();
                  }
                }
                ctx.flush();
              });
    }

    @Override
    public void onPayload(SecureSession s, ByteBuffer inner) {
      if (inner.remaining() < 4 || SecureWire.getIntLe(inner, inner.position()) != route.conv()) {
        layerCounters.drop(SecureDrop.MALFORMED_FRAMES);
        return;
      }
      keepOpened(inner, s.remoteAddress(), readRecipient);
    }

    @Override
    public void onClosed(SecureSession s, SecureCloseReason reason, int abortCode) {
      if (byId.remove(session.clientSessionId(), this)) {
        session.counters().addTo(layerCounters);
      }
      byRoute.remove(route, this);
      releasePending();
    }

    void releasePending() {
      for (DatagramPacket p; (p = pending.poll()) != null; ) {
        p.release();
      }
    }
  }
}
