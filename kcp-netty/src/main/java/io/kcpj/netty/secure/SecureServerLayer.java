package io.kcpj.netty.secure;

import io.kcpj.core.secure.Admission;
import io.kcpj.core.secure.HandshakeResponder;
import io.kcpj.core.secure.SecureCloseReason;
import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.secure.SecureDrop;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureServerSession;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The server side of secure sessions (docs/secure-sessions.md) as a datagram layer under a {@code
 * KcpServerCodec}: placed between the datagram channel and the codec, it answers handshakes, opens
 * records and passes the inner KCP datagrams up, and protects every datagram the codec writes to an
 * established session. Nothing else reaches the codec: plain KCP, forged, replayed or unknown-key
 * datagrams are dropped and counted ({@link #counters()}).
 *
 * <p>It is a {@link KcpSessionLayer}: the codec learns of each session from {@link
 * KcpSessionLayerEvent}s fired before or after the session's datagrams, in order. {@code
 * Established} when the client confirmed the session (its first authenticated record; the codec
 * then opens the KCP session validated, since the handshake proved the client's address and this
 * layer's own 3x budget covered what was sent before); {@code PeerHalfClosed} when the client ended
 * its sending direction (its CLOSE: the codec shuts the channel's input or closes it, and asks for
 * this side's CLOSE with {@link #shutdownOutput}); {@code Closed} with the reason when the session
 * ended (drained after both CLOSEs, aborted, silent past the secure idle timeout); {@code
 * PathChanged} when a client that moved (NAT rebinding, network switch) answered the path challenge
 * from its new address. Until then the codec keeps knowing the session by its old address (inner
 * datagrams go up with it as sender, and the codec's datagrams to it are protected and sent to
 * wherever the session sends now), so the KCP session survives the move. When the codec's session
 * closes, it calls {@link #close}, which closes the secure session too (CLOSE, or ABORT for a
 * forced close).
 *
 * <p>Sessions are keyed by the server session id every TRANSPORT datagram carries; outbound
 * datagrams are matched to a session by their recipient address (as the codec knows it) and conv
 * (bytes 0-3).
 *
 * <p><b>Ownership:</b> inbound datagrams are released here; the inner datagrams passed up are new
 * buffers the next handler owns; outbound datagrams are released here and a new record written.
 * Thread-confined to the datagram channel's event loop; one instance per channel.
 */
public final class SecureServerLayer extends SecureLayerBase {
  private final SecureServerConfig config;
  private final boolean requireToken;
  private final int maxHalfOpen;
  private final int resetsPerSecond;
  private HandshakeResponder responder;
  private final SecureCounters layerCounters = new SecureCounters();

  private final Map<Integer, SecureServerSession> byId = new HashMap<>();
  private final Map<Route, SecureServerSession> byRoute = new HashMap<>();
  private final Map<HalfOpenKey, SecureServerSession> halfOpen = new HashMap<>();
  private long resetWindowStart;
  private int resetsInWindow;

  /**
   * A server layer.
   *
   * @param config the server's keys and timers
   * @param requireToken whether every client must first echo an address validation token (RETRY)
   * @param maxHalfOpen half-open sessions above which INITIATIONs must carry a token
   * @param resetsPerSecond stateless resets sent at most per second
   */
  public SecureServerLayer(
      SecureServerConfig config, boolean requireToken, int maxHalfOpen, int resetsPerSecond) {
    this.config = Objects.requireNonNull(config, "config");
    if (maxHalfOpen < 0 || resetsPerSecond < 0) {
      throw new IllegalArgumentException("maxHalfOpen and resetsPerSecond must be >= 0");
    }
    this.requireToken = requireToken;
    this.maxHalfOpen = maxHalfOpen;
    this.resetsPerSecond = resetsPerSecond;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    super.handlerAdded(ctx);
    responder = new HandshakeResponder(config, crypto, sink, now());
  }

  /** Sessions in the table (half-open and established). */
  public int sessionCount() {
    return byId.size();
  }

  /** The responder's, the layer's and every live session's counters, summed (a snapshot). */
  public SecureCounters counters() {
    SecureCounters total = layerCounters.snapshot();
    if (responder != null) {
      responder.counters().addTo(total);
    }
    for (SecureServerSession s : byId.values()) {
      s.counters().addTo(total);
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
    return byId.values();
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
      InetSocketAddress local = packet.recipient();
      int type = SecureWire.type(view);
      long now = now();
      if (type == SecureWire.TYPE_INITIATION) {
        onInitiation(view, sender, local, now);
      } else if (type == SecureWire.TYPE_TRANSPORT) {
        long id = SecureWire.transportReceiverId(view);
        SecureServerSession s = id < 0 ? null : byId.get((int) id);
        if (s != null) {
          s.onDatagram(view, sender, now);
          armFor(s); // a datagram from a new address starts a path validation
        } else if (id < 0) {
          layerCounters.drop(SecureDrop.TOO_SHORT);
        } else {
          layerCounters.drop(SecureDrop.UNKNOWN_SESSION);
          maybeReset(view, sender, now);
        }
      } else {
        layerCounters.drop(type < 0 ? SecureDrop.TOO_SHORT : SecureDrop.UNKNOWN_TYPE);
      }
    } finally {
      ReferenceCountUtil.release(packet);
    }
    fireOpened();
  }

  private void onInitiation(
      ByteBuffer view, InetSocketAddress sender, InetSocketAddress local, long now) {
    HalfOpenKey key = new HalfOpenKey(sender, (int) SecureWire.initiationSenderId(view));
    SecureServerSession pending = halfOpen.get(key);
    if (pending != null && pending.isRetransmissionOf(view)) {
      pending.onInitiationRetransmit(view, sender, now);
      armFor(pending);
      return;
    }
    boolean token = requireToken || halfOpen.size() >= maxHalfOpen;
    Admission a = responder.onInitiation(view, sender, now, token, byId::containsKey);
    if (a.kind() != Admission.Kind.ACCEPTED) {
      return;
    }
    SecureServerSession s = a.session();
    byId.put(s.serverSessionId(), s);
    halfOpen.put(key, s);
    s.setListener(new Listener(local, key));
    armFor(s);
  }

  private void maybeReset(ByteBuffer view, InetSocketAddress sender, long now) {
    if (now - resetWindowStart >= 1_000) {
      resetWindowStart = now;
      resetsInWindow = 0;
    }
    if (resetsInWindow >= resetsPerSecond) {
      return;
    }
    ByteBuf out = ctx.alloc().directBuffer(view.remaining());
    int n = responder.writeStatelessReset(view, out.internalNioBuffer(0, view.remaining()));
    if (n <= 0) {
      out.release();
      return;
    }
    resetsInWindow++;
    out.writerIndex(n);
    ctx.write(new DatagramPacket(out, sender), ctx.voidPromise());
    needsFlush = true;
  }

  @Override
  SecureSession routedSession(InetSocketAddress remote, int conv) {
    return byRoute.get(new Route(remote, conv));
  }

  /** Servers never open sessions: clients do. */
  @Override
  public void open(InetSocketAddress remote, int conv) {
    throw new UnsupportedOperationException("a server layer does not open sessions");
  }

  @Override
  public void close(InetSocketAddress remote, int conv, KcpCloseReason reason) {
    close(remote, conv, reason, 0);
  }

  /**
   * Ends the secure session of the codec's ({@code remote}, {@code conv}): CLOSE for a normal
   * close, else ABORT, carrying {@code abortCode} for {@link KcpCloseReason#LOCAL_ABORT}.
   */
  @Override
  public void close(InetSocketAddress remote, int conv, KcpCloseReason reason, int abortCode) {
    SecureServerSession s = byRoute.get(new Route(remote, conv));
    if (s != null) {
      endSession(s, reason, abortCode);
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
    SecureServerSession s =
        content.readableBytes() < 4
            ? null
            : byRoute.get(new Route(packet.recipient(), content.getIntLE(content.readerIndex())));
    if (s == null) {
      // Never send in clear what the codec meant for a secure peer.
      packet.release();
      layerCounters.drop(SecureDrop.UNKNOWN_SESSION);
      promise.trySuccess();
      return;
    }
    protectAndWrite(s, packet, promise);
  }

  /** A client address and KCP conversation: what the codec's outbound datagrams name. */
  private record Route(InetSocketAddress client, int conv) {}

  /** A half-open session's INITIATION source and client session id. */
  private record HalfOpenKey(InetSocketAddress source, int clientId) {}

  /** Links one session's events to the tables and the pipeline. */
  private final class Listener implements SecureSessionListener {
    private final InetSocketAddress local;
    private final HalfOpenKey key;

    /** The client's address as the codec knows the session (moves on a validated path change). */
    private InetSocketAddress codecAddress;

    /** (codecAddress, conv) once established. */
    private Route route;

    Listener(InetSocketAddress local, HalfOpenKey key) {
      this.local = local;
      this.key = key;
    }

    @Override
    public void onEstablished(SecureSession session) {
      halfOpen.remove(key, session);
      codecAddress = session.remoteAddress();
      route = new Route(codecAddress, session.conv());
      takeRoute(session);
      keepEvent(new KcpSessionLayerEvent.Established(codecAddress, session.conv()));
    }

    /**
     * Makes {@code session} the owner of {@link #route}; a session that held it (the same client
     * starting over, or a squatter on the address a client moved to) is aborted after this core
     * call, and passes nothing up until then.
     */
    private void takeRoute(SecureSession session) {
      SecureServerSession previous = byRoute.put(route, (SecureServerSession) session);
      if (previous != null && previous != session) {
        displace(previous);
      }
    }

    @Override
    public void onPayload(SecureSession session, ByteBuffer inner) {
      if (route == null || byRoute.get(route) != session) {
        layerCounters.drop(SecureDrop.CLOSED); // displaced: the codec's session is another's
        return;
      }
      if (inner.remaining() < 4 || SecureWire.getIntLe(inner, inner.position()) != session.conv()) {
        layerCounters.drop(SecureDrop.MALFORMED_FRAMES);
        return;
      }
      keepOpened(inner, codecAddress, local);
    }

    @Override
    public void onPeerClosed(SecureSession session) {
      if (route != null && byRoute.get(route) == session) {
        // the codec shuts the channel's input, or closes it and calls shutdownOutput
        keepEvent(peerHalfClosedEvent(codecAddress, session.conv()));
      } else {
        session.closeSend(now()); // no channel of the codec's: close ours too, both ends drain
      }
    }

    @Override
    public void onPathChanged(
        SecureSession session, InetSocketAddress previous, InetSocketAddress current) {
      if (codecAddress == null || codecAddress.equals(current)) {
        return;
      }
      if (!byRoute.remove(route, session)) {
        return; // displaced: the codec's session at this route is another's
      }
      InetSocketAddress previousAddress = codecAddress;
      codecAddress = current;
      route = new Route(current, session.conv());
      takeRoute(session);
      keepEvent(new KcpSessionLayerEvent.PathChanged(previousAddress, current, session.conv()));
    }

    @Override
    public void onPathValidationFailed(
        SecureSession session, InetSocketAddress abandoned, InetSocketAddress current) {
      if (route != null && byRoute.get(route) == session) {
        keepEvent(
            new KcpSessionLayerEvent.PathValidationFailed(codecAddress, abandoned, session.conv()));
      }
    }

    @Override
    public void onClosed(SecureSession session, SecureCloseReason reason, int abortCode) {
      SecureServerSession s = (SecureServerSession) session;
      if (byId.remove(s.serverSessionId(), s)) {
        s.counters().addTo(layerCounters);
      }
      halfOpen.remove(key, s);
      // Established and still the route's session: the codec has a channel for it.
      if (route != null && byRoute.remove(route, s)) {
        keepEvent(
            closedEvent(
                codecAddress, s.conv(), reason, abortCode, s, config.timers().handshakeTimeout()));
      }
    }
  }
}
