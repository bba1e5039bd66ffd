package io.kcpj.netty;

import io.kcpj.core.KcpCounters;
import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.stack.DatagramStackCounters;
import io.kcpj.core.wire.SegmentHeader;
import io.kcpj.netty.internal.StageTrace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The handler that carries KCP conversations over a Netty datagram channel: it demultiplexes
 * inbound {@link DatagramPacket}s to child {@link KcpChannel}s by (sender, conv), drives every
 * session's engine from one timer, and writes the engines' output as {@code DatagramPacket}s. Build
 * one with {@link KcpServerCodecBuilder} or {@link KcpClientCodecBuilder}; one instance per
 * datagram channel (not sharable).
 *
 * <p><b>Buffers.</b> Every inbound {@code DatagramPacket} is released by the codec once its bytes
 * are in an engine (or dropped); other inbound messages pass through untouched. Engine output is
 * copied into a buffer from the datagram channel's allocator and written as a new {@code
 * DatagramPacket}, owned from then on by the datagram channel's pipeline.
 *
 * <p><b>Batching.</b> Sessions touched while a batch of datagrams is read are flushed once, at
 * {@code channelReadComplete}, followed by one flush of the datagram channel. The first session
 * flushed ({@code flush()}, {@code writeAndFlush}) by an event-loop task outside a read batch or a
 * timer pass is sent at once, as Netty's own channels send on {@code flush()}; sessions flushed
 * later in the same task are sent together by one flush task after it. In every case the datagrams
 * leave first and the sessions' bookkeeping (timers, writability, closes) follows, so that none of
 * it stands between a message and the wire. Timed work (retransmissions, window probes, idle and
 * close timeouts) runs from one timer per event loop (shared by the codecs on it): a session is
 * visited at the deadline its engine returns ({@code Kcp.advance}: its earliest retransmission, a
 * window probe, a close timeout) and, lazily, at its idle timeout; sessions with nothing in flight
 * are not polled at all. With {@link KcpCodecBuilder#readCoalescing read coalescing} on, reading
 * pauses briefly after a busy burst so that the next one is larger ({@code ReadCoalescer}).
 *
 * <p><b>Threads.</b> Everything runs on the datagram channel's event loop. {@link #metrics()} may
 * be called from any thread.
 */
public abstract class KcpCodec extends ChannelDuplexHandler {
  private static final InternalLogger logger = InternalLoggerFactory.getInstance(KcpCodec.class);

  final CodecSettings settings;
  private final Map<SessionKey, KcpChildChannel> sessions = new HashMap<>();
  private final Map<InetSocketAddress, Integer> sessionsByAddress = new HashMap<>();

  /** FEC parity carries no conv: it goes to the session that got the address's last data shard. */
  private final Map<InetSocketAddress, KcpChildChannel> fecSessionByAddress = new HashMap<>();

  /** Null unless {@link KcpChannelOption#CRYPT} is set. */
  final CodecCrypt crypt;

  private final SessionKey probe = new SessionKey();
  private SessionTimer timer;

  /** Set by the shared timer while it runs this codec's sessions. */
  boolean inTimerPass;

  private final CodecStats stats = new CodecStats();
  private final List<KcpChildChannel> dirty = new ArrayList<>();

  /** Sessions whose engines flushed in this batch, settled after the datagram channel's flush. */
  private final List<KcpChildChannel> unsettled = new ArrayList<>();

  private ChannelHandlerContext ctx;

  /** The session layer before this codec in the pipeline, or null ({@link #sessionLayer()}). */
  private KcpSessionLayer sessionLayer;

  /** Whether {@link #sessionLayer} reflects the pipeline (looked up again when it may not). */
  private boolean sessionLayerKnown;

  /** A session being closed on the layer's word: the layer is not told of its close. */
  private KcpChildChannel closingForLayer;

  /** Datagrams read in the current read burst (0 outside a burst). */
  private int burstDatagrams;

  private boolean parentNeedsFlush;
  private boolean flushTaskPending;
  private boolean flushing;
  private byte[] inputScratch = new byte[2048];
  private ByteBuf paddingScratch; // PAD_UNTIL_ANSWERED before datagram layers, made when first used

  /** Null unless read coalescing is on. */
  private final ReadCoalescer readCoalescer;

  // Limits on the sessions as a whole (admission, memory) and the log's summaries of trouble.
  private final SessionAdmission admission;
  private final MemoryBudget budget;
  private final ProblemLog problems;

  KcpCodec(CodecSettings settings) {
    this.settings = settings;
    this.readCoalescer =
        settings.readCoalescingNanos > 0 ? new ReadCoalescer(settings.readCoalescingNanos) : null;
    this.crypt = settings.crypt == null ? null : new CodecCrypt(settings.crypt);
    CodecLimits limits = settings.limits;
    this.admission = new SessionAdmission(limits, OpeningGate.KCP, stats);
    this.budget = new MemoryBudget(limits.memoryBudgetBytes, stats);
    this.problems = new ProblemLog(logger, limits.logSummaryIntervalMillis);
  }

  // ---------------------------------------------------------------------------------------------
  // Public surface
  // ---------------------------------------------------------------------------------------------

  /**
   * A snapshot of the codec's counters. On the event loop it is taken at once; from another thread
   * the call runs on the event loop and waits for it.
   */
  public KcpCodecMetrics metrics() {
    ChannelHandlerContext c = ctx;
    if (c == null || c.executor().inEventLoop()) {
      return snapshot();
    }
    return c.executor().submit(this::snapshot).syncUninterruptibly().getNow();
  }

  /**
   * Whether the codec runs kcpj's secure sessions: it was built with {@code secure(...)}, or a
   * {@link KcpSessionLayer} with {@linkplain KcpSessionLayer#secureCounters() secure counters} is
   * before it in its pipeline. Then {@link KcpCodecMetrics#secureCounters()} is not null once the
   * codec is in a pipeline. From another thread than the event loop the look-up runs on the event
   * loop and waits for it; if that event loop has shut down (its channel is gone) the answer is
   * {@code false}.
   */
  public boolean isSecure() {
    if (settings.sessionLayer != null) {
      return true;
    }
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return false;
    }
    if (!c.executor().inEventLoop()) {
      try {
        return c.executor().submit(this::isSecure).syncUninterruptibly().getNow();
      } catch (RejectedExecutionException e) {
        return false; // the event loop has shut down
      }
    }
    KcpSessionLayer layer = sessionLayer();
    return layer != null && layer.isSecure();
  }

  /** The number of sessions open now (a plain read: exact on the event loop). */
  public int sessionCount() {
    return sessions.size();
  }

  private KcpCodecMetrics snapshot() {
    KcpCounters engine = stats.closedEngines.snapshot();
    for (KcpChildChannel child : sessions.values()) {
      child.engine().counters().addTo(engine);
    }
    DatagramStackCounters layers = stats.closedLayers.snapshot();
    for (KcpChildChannel child : sessions.values()) {
      if (child.layers() != null) {
        child.layers().addCountersTo(layers);
      }
    }
    if (crypt != null) {
      layers.opened += crypt.opened;
      layers.openFailures += crypt.failed;
    }
    KcpSessionLayer layer = sessionLayer();
    SecureCounters secure = layer == null ? null : layer.secureCounters();
    return new KcpCodecMetrics(stats, sessions.size(), engine, layers, secure);
  }

  // ---------------------------------------------------------------------------------------------
  // Handler events
  // ---------------------------------------------------------------------------------------------

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (this.ctx != null) {
      throw new IllegalStateException(
          getClass().getSimpleName()
              + " is one per datagram channel; build a new one for each channel");
    }
    this.ctx = ctx;
    this.sessionLayerKnown = false;
    if (settings.sessionLayer != null) {
      installSessionLayer(ctx);
    }
    this.timer = SessionTimer.of(ctx.executor());
    this.problems.attach(ctx.executor(), this::nowMillis, ctx.channel());
    if (readCoalescer != null) {
      readCoalescer.attach(ctx);
    }
  }

  /**
   * The builder's {@code secure(...)}: a new layer right before this codec (one per datagram
   * channel, as the codec). A layer already placed before the codec by hand would make two.
   */
  private void installSessionLayer(ChannelHandlerContext ctx) {
    KcpSessionLayer byHand = sessionLayer();
    if (byHand != null) {
      throw new IllegalStateException(
          "the codec was built with secure(...) and installs its own layer, but "
              + byHand.getClass().getSimpleName()
              + " is already before it in the pipeline: use one or the other");
    }
    ctx.pipeline().addBefore(ctx.name(), null, settings.sessionLayer.get());
    sessionLayerKnown = false;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (readCoalescer != null) {
      readCoalescer.stop();
    }
    closeAll();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    sessionLayerKnown = false; // the pipeline is complete by now: look the layer up again
    super.channelActive(ctx);
  }

  /**
   * A {@link KcpSessionLayerEvent} from the layer below is handled here and not passed on; every
   * other event passes through.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (!(evt instanceof KcpSessionLayerEvent)) {
      super.userEventTriggered(ctx, evt);
      return;
    }
    try {
      onLayerEvent((KcpSessionLayerEvent) evt);
    } catch (RuntimeException e) {
      sessionFailed(e);
    }
    flushParentIfNeeded();
  }

  private void onLayerEvent(KcpSessionLayerEvent evt) {
    if (evt instanceof KcpSessionLayerEvent.Established) {
      onLayerEstablished(evt.remoteAddress(), evt.conv());
    } else if (evt instanceof KcpSessionLayerEvent.Closed) {
      KcpSessionLayerEvent.Closed closed = (KcpSessionLayerEvent.Closed) evt;
      KcpChildChannel child = sessions.get(new SessionKey(closed.remoteAddress(), closed.conv()));
      if (child != null) {
        if (closed.reason() == KcpCloseReason.PEER_ABORT) {
          child.setAbortCode(closed.abortCode());
        }
        if (closed.reason() == KcpCloseReason.PEER_CLOSED && child.isHalfClosedBothWays()) {
          // Both directions ended and the layer's session drained while the peer's last messages
          // wait in the engine for a reader (AUTO_READ off): nothing more needs the layer; the
          // channel closes with SHUTDOWN once they are read (or by the application).
          return;
        }
        closeForLayer(child, closed.reason(), closed);
      } else {
        onLayerClosedWithoutSession(closed);
      }
    } else if (evt instanceof KcpSessionLayerEvent.PeerHalfClosed) {
      onPeerHalfClosed((KcpSessionLayerEvent.PeerHalfClosed) evt);
    } else if (evt instanceof KcpSessionLayerEvent.PathChanged) {
      KcpSessionLayerEvent.PathChanged moved = (KcpSessionLayerEvent.PathChanged) evt;
      KcpChildChannel child = sessions.get(new SessionKey(moved.previous(), moved.conv()));
      if (child != null && !moved.previous().equals(moved.remoteAddress())) {
        rekey(child, moved.remoteAddress());
        child.pipeline().fireUserEventTriggered(moved);
      }
    } else if (evt instanceof KcpSessionLayerEvent.PathValidationFailed) {
      KcpChildChannel child = sessions.get(new SessionKey(evt.remoteAddress(), evt.conv()));
      if (child != null) {
        stats.pathValidationsFailed++;
        child.pipeline().fireUserEventTriggered(evt);
      }
    }
  }

  /**
   * The peer ended its sending direction: with {@code ALLOW_HALF_CLOSURE} the channel's input shuts
   * once its engine delivered what it holds ({@link KcpChildChannel#peerHalfClosed}); otherwise the
   * channel closes with {@code PEER_CLOSED} as for a full close, and the layer's session ends its
   * own sending direction so that both ends drain, if the peer's engine had acknowledged everything
   * the channel wrote; if not, the layer aborts the session with {@link
   * KcpChannel#ABORT_UNDELIVERED} (the peer's channel closes with {@code PEER_ABORT}, never with a
   * clean end after losing data). The layer is asked even if closing the channel throws.
   */
  private void onPeerHalfClosed(KcpSessionLayerEvent.PeerHalfClosed evt) {
    KcpChildChannel child = sessions.get(new SessionKey(evt.remoteAddress(), evt.conv()));
    if (child != null && child.config().isAllowHalfClosure()) {
      child.peerHalfClosed();
      return;
    }
    // Whether the peer holds everything this side wrote, taken before the close (which fails the
    // outbound buffer and forgets the engine).
    boolean delivered = child == null || child.outputDelivered();
    try {
      if (child != null) {
        closeForLayer(
            child,
            KcpCloseReason.PEER_CLOSED,
            new KcpSessionLayerEvent.Closed(
                evt.remoteAddress(), evt.conv(), KcpCloseReason.PEER_CLOSED, evt.description()));
      }
    } finally {
      KcpSessionLayer layer = sessionLayer();
      if (layer != null) {
        if (delivered) {
          layer.shutdownOutput(evt.remoteAddress(), evt.conv());
        } else {
          // What this side wrote is lost with the channel: no clean end for the peer (which may
          // have only half-closed and be waiting for it), an ABORT.
          layer.close(
              evt.remoteAddress(),
              evt.conv(),
              KcpCloseReason.LOCAL_ABORT,
              KcpChannel.ABORT_UNDELIVERED);
        }
      }
    }
  }

  /**
   * The session layer established ({@code remote}, {@code conv}): a server opens the session
   * (validated), a client completes its pending connect.
   */
  abstract void onLayerEstablished(InetSocketAddress remote, int conv);

  /**
   * Closes a session because the layer's session for it ended or was replaced. The layer is not
   * called back for it: its route may already belong to another session.
   */
  final void closeForLayer(KcpChildChannel child, KcpCloseReason reason) {
    closeForLayer(child, reason, null);
  }

  /**
   * As {@link #closeForLayer(KcpChildChannel, KcpCloseReason)}, firing {@code event} (if not null)
   * on the child first. The reason is recorded before the event: a handler that closes the channel
   * on it closes it with the layer's reason, and the layer is not called back.
   */
  private void closeForLayer(KcpChildChannel child, KcpCloseReason reason, Object event) {
    KcpChildChannel previous = closingForLayer;
    closingForLayer = child;
    try {
      child.closingForLayer(reason);
      if (event != null) {
        child.pipeline().fireUserEventTriggered(event);
      }
      child.forceClose(reason);
    } finally {
      closingForLayer = previous;
    }
  }

  /** The session layer closed a session the codec holds no channel for (a pending connect?). */
  void onLayerClosedWithoutSession(KcpSessionLayerEvent.Closed closed) {}

  /**
   * Moves a session to a new remote address, keeping its engine: its key, the per-address tables. A
   * session already open at the new (address, conv) is closed first (the layer vouches for the
   * move).
   */
  private void rekey(KcpChildChannel child, InetSocketAddress to) {
    SessionKey newKey = new SessionKey(to, child.conv());
    KcpChildChannel squatter = sessions.get(newKey);
    if (squatter != null) {
      closeForLayer(squatter, KcpCloseReason.EVICTED); // the layer gave its route to the mover
    }
    SessionKey oldKey = child.key();
    sessions.remove(oldKey);
    sessionsByAddress.computeIfPresent(oldKey.address(), (a, n) -> n == 1 ? null : n - 1);
    fecSessionByAddress.remove(oldKey.address(), child);
    child.rekey(newKey);
    sessions.put(newKey, child);
    sessionsByAddress.merge(to, 1, Integer::sum);
    stats.pathChanges++;
  }

  /**
   * The {@link KcpSessionLayer} placed before this codec in the pipeline, or null if there is none
   * (looked up when the codec is added and when the channel becomes active, then remembered).
   */
  final KcpSessionLayer sessionLayer() {
    if (!sessionLayerKnown && ctx != null) {
      KcpSessionLayer found = null;
      for (Map.Entry<String, ChannelHandler> e : ctx.pipeline()) {
        if (e.getValue() == this) {
          break;
        }
        if (e.getValue() instanceof KcpSessionLayer) {
          found = (KcpSessionLayer) e.getValue();
        }
      }
      sessionLayer = found;
      sessionLayerKnown = true;
    }
    return sessionLayer;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (readCoalescer != null) {
      readCoalescer.stop();
    }
    closeAll();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (StageTrace.ON) {
      StageTrace.mark(StageTrace.DATAGRAM_READ);
    }
    DatagramPacket packet = (DatagramPacket) msg;
    burstDatagrams++;
    stats.datagramsIn++;
    try {
      onDatagram(packet.content(), packet.sender());
    } catch (RuntimeException e) {
      problems.failedOnDatagram(e, nowMillis()); // one summary line per interval, never one each
      drop(packet.sender(), 0, KcpDropReason.INTERNAL_ERROR);
    } finally {
      packet.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (StageTrace.ON) {
      StageTrace.mark(StageTrace.READ_COMPLETE);
    }
    int datagrams = burstDatagrams;
    burstDatagrams = 0; // the burst is over: what flushBatch's handlers write is flushed by it
    flushBatch();
    if (datagrams > 0) {
      stats.readBursts++;
    }
    if (readCoalescer != null && readCoalescer.readBurstComplete(datagrams)) {
      stats.readPauses++;
    }
    ctx.fireChannelReadComplete();
  }

  // ---------------------------------------------------------------------------------------------
  // Demultiplexing
  // ---------------------------------------------------------------------------------------------

  private void onDatagram(ByteBuf content, InetSocketAddress sender) {
    if (crypt != null && sender != null) {
      content = crypt.open(content); // kcp-go's framing hides the conv: open, then route
      if (content == null) {
        drop(sender, 0, KcpDropReason.BAD_CHECKSUM);
        return;
      }
    }
    int len = content.readableBytes();
    if (len < SegmentHeader.HEADER_SIZE || sender == null) {
      drop(sender, 0, KcpDropReason.MALFORMED);
      return;
    }
    int kcpOffset = SessionLayers.kcpOffset(content); // 0 plain, 8 FEC data shard, -1 parity
    if (kcpOffset < 0) {
      onParity(content, sender);
      return;
    }
    int at = content.readerIndex() + kcpOffset;
    if (len - kcpOffset < SegmentHeader.HEADER_SIZE) {
      drop(sender, 0, KcpDropReason.MALFORMED);
      return;
    }
    int conv = content.getIntLE(at + SegmentHeader.CONV_OFFSET);
    KcpChildChannel child = sessions.get(probe.set(sender, conv));
    if (child == null) {
      if (content.getUnsignedIntLE(at + SegmentHeader.LEN_OFFSET)
          > len - kcpOffset - SegmentHeader.HEADER_SIZE) {
        drop(sender, conv, KcpDropReason.MALFORMED);
        return;
      }
      child = onUnknownSession(content, sender, conv);
      if (child == null) {
        return;
      }
    }
    if (kcpOffset > 0) {
      fecSessionByAddress.put(sender, child);
    }
    input(child, content, sender, conv);
  }

  /** A parity shard: to the session that last got a data shard from its sender (as kcp-go). */
  private void onParity(ByteBuf content, InetSocketAddress sender) {
    KcpChildChannel child = fecSessionByAddress.get(sender);
    if (child == null) {
      drop(sender, 0, KcpDropReason.UNKNOWN_SESSION);
      return;
    }
    input(child, content, sender, child.conv());
  }

  private void input(KcpChildChannel child, ByteBuf content, InetSocketAddress sender, int conv) {
    admission.received(child.account(), content.readableBytes());
    int status = child.input(content, nowMillis());
    if (status == SessionLayers.UNEXPECTED_FEC) {
      drop(sender, conv, KcpDropReason.UNEXPECTED_FEC);
    } else if (status < 0) {
      drop(sender, conv, KcpDropReason.ENGINE_REJECTED);
    }
    child.account().afterInput(child.engine());
    if (admission.afterInput(child.account(), child.engine(), child.inputAcknowledged())) {
      child.validated(); // its idle timeout is the configured one from now on
    }
    markDirty(child);
  }

  /**
   * A datagram for no known session, whose first segment is well formed: return the new session
   * that should take it, or drop it (counted) and return null.
   */
  abstract KcpChildChannel onUnknownSession(ByteBuf content, InetSocketAddress sender, int conv);

  /**
   * True when the datagram's first segment opens a conversation: a data segment with sn 0 (in an
   * FEC data shard, the segment after the shard's 8 bytes). A data segment is a PUSH or one of the
   * delivery extension's unordered or sequenced commands: a client whose first message is unordered
   * or sequenced opens with one of those. A server whose engine lacks the extension rejects that
   * segment. The session then stays unvalidated and ages out, like any other opening that is never
   * answered.
   */
  static boolean isOpening(ByteBuf content) {
    int offset = SessionLayers.kcpOffset(content);
    if (offset < 0 || content.readableBytes() - offset < SegmentHeader.HEADER_SIZE) {
      return false;
    }
    int at = content.readerIndex() + offset;
    int cmd = content.getUnsignedByte(at + SegmentHeader.CMD_OFFSET);
    return SegmentHeader.isData(cmd) && content.getIntLE(at + SegmentHeader.SN_OFFSET) == 0;
  }

  /** Server: the sessions it closed recently ({@link ClosedSessions}); null on a client. */
  ClosedSessions closedSessions() {
    return null;
  }

  /**
   * Server: whether (sender, conv) is a session this codec closed recently ({@link
   * ClosedSessions}). Allocates nothing.
   */
  boolean recentlyClosed(InetSocketAddress sender, int conv) {
    ClosedSessions closed = closedSessions();
    return closed != null && closed.recentlyClosed(probe.set(sender, conv), nowMillis());
  }

  /** The codec's admission policy (server: unvalidated sessions, per-source caps, eviction). */
  SessionAdmission admission() {
    return admission;
  }

  boolean hasSessionsFrom(InetSocketAddress address) {
    return sessionsByAddress.containsKey(address);
  }

  void drop(InetSocketAddress sender, int conv, KcpDropReason reason) {
    stats.dropped[reason.ordinal()]++;
    if (reason != KcpDropReason.INTERNAL_ERROR) { // reported with its exception
      problems.dropped(reason, nowMillis());
    }
    KcpSessionListener listener = settings.listener;
    if (listener != null) {
      try {
        listener.datagramDropped(sender, conv, reason);
      } catch (RuntimeException e) {
        problems.failed(ProblemLog.Failure.LISTENER_ERROR, e, nowMillis());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sessions
  // ---------------------------------------------------------------------------------------------

  /**
   * Creates, configures and registers a session; returns null (and fails nothing else) if its
   * registration failed. Must run on the event loop. The codec's options are applied first, then
   * {@code sessionOptions} (a client bootstrap's), each in its own order: a session option always
   * wins over a codec option. {@code validated}: the peer has proven its address already (a client
   * session, or an opening that carried a proof), else the session starts unvalidated.
   */
  KcpChildChannel openSession(
      InetSocketAddress remote,
      int conv,
      ChannelHandler handler,
      Map<ChannelOption<?>, Object> sessionOptions,
      Map<AttributeKey<?>, Object> attrs,
      boolean validated) {
    long now = nowMillis();
    SessionKey key = new SessionKey(remote, conv);
    KcpChildChannel child = new KcpChildChannel(this, key, now);
    applyOptions(child, settings.childOptions);
    applyOptions(child, sessionOptions);
    if (child.config().isAllowHalfClosure() && !supportsHalfClose()) {
      // stored (config().isAllowHalfClosure() says true) but never used: say so, once a minute
      problems.failed(ProblemLog.Failure.HALF_CLOSURE_WITHOUT_SIGNAL, null, nowMillis());
    }
    applyAttributes(child, attrs);
    child.startEngine(now);
    if (handler != null) {
      child.pipeline().addLast(handler);
    }
    sessions.put(key, child);
    sessionsByAddress.merge(remote, 1, Integer::sum);
    admission.register(child.account(), validated);
    stats.sessionsOpened++;
    ChannelFuture registered = ctx.channel().eventLoop().register(child);
    if (!registered.isDone()) {
      throw new IllegalStateException("registration on the event loop did not complete at once");
    }
    if (!registered.isSuccess()) {
      problems.failed(ProblemLog.Failure.REGISTRATION_FAILED, registered.cause(), now);
      child.unsafe().closeForcibly();
      return null;
    }
    KcpSessionListener listener = settings.listener;
    if (listener != null && child.isOpen()) {
      try {
        listener.sessionOpened(child);
      } catch (RuntimeException e) {
        problems.failed(ProblemLog.Failure.LISTENER_ERROR, e, now);
      }
    }
    if (child.isOpen()) {
      child.armIdleTimer();
    }
    armTimer(now);
    return child.isOpen() ? child : null;
  }

  /** A session advanced its engine and re-armed its timers after an option change. */
  void afterConfigChange(long now) {
    armTimer(now);
    flushParentIfNeeded();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void applyOptions(KcpChildChannel child, Map<ChannelOption<?>, Object> options) {
    for (Map.Entry<ChannelOption<?>, Object> e : options.entrySet()) {
      if (e.getKey() instanceof KcpChannelOption
          && ((KcpChannelOption<?>) e.getKey()).isCodecOption()) {
        continue;
      }
      if (!child.config().setOption((ChannelOption) e.getKey(), e.getValue())) {
        problems.failed(
            ProblemLog.Failure.UNKNOWN_OPTION,
            new IllegalArgumentException("unknown channel option " + e.getKey()),
            nowMillis());
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void applyAttributes(KcpChildChannel child, Map<AttributeKey<?>, Object> attrs) {
    for (Map.Entry<AttributeKey<?>, Object> e : attrs.entrySet()) {
      child.attr((AttributeKey) e.getKey()).set(e.getValue());
    }
  }

  /** Called by a child's doClose: forget it and report. */
  void childClosed(KcpChildChannel child) {
    if (sessions.remove(child.key()) == null) {
      return;
    }
    sessionsByAddress.computeIfPresent(child.key().address(), (a, n) -> n == 1 ? null : n - 1);
    fecSessionByAddress.remove(child.key().address(), child);
    timer.remove(child);
    admission.removed(child.account());
    budget.removed(child.account());
    child.engine().counters().addTo(stats.closedEngines);
    if (child.layers() != null) {
      child.layers().addCountersTo(stats.closedLayers);
    }
    ClosedSessions closed = closedSessions();
    if (closed != null) {
      closed.closed(child.key(), nowMillis());
    }
    KcpCloseReason reason = child.closeReason();
    stats.closed[reason.ordinal()]++;
    KcpSessionLayer layer = sessionLayer();
    if (layer != null && child != closingForLayer) {
      try {
        // ends the layer's session too; a close that counts as clean (the channel's close(), its
        // idle timeout, both directions shut) with output the peer has not acknowledged (close
        // timeout 0, the idle timeout) is an ABORT for the layer: the peer must not see a clean
        // end when data was lost
        if (isCleanEnd(reason) && !child.outputDelivered()) {
          layer.close(
              child.key().address(),
              child.conv(),
              KcpCloseReason.LOCAL_ABORT,
              KcpChannel.ABORT_UNDELIVERED);
        } else {
          layer.close(child.key().address(), child.conv(), reason, child.abortCode());
        }
      } catch (RuntimeException e) {
        sessionFailed(e);
      }
    }
    problems.closed(reason, nowMillis());
    KcpSessionListener listener = settings.listener;
    if (listener != null) {
      try {
        listener.sessionClosed(child, reason);
      } catch (RuntimeException e) {
        problems.failed(ProblemLog.Failure.LISTENER_ERROR, e, nowMillis());
      }
    }
  }

  /** Whether the session layer (if any) can end a session's output alone: half-close works. */
  final boolean supportsHalfClose() {
    KcpSessionLayer layer = sessionLayer();
    return layer != null && layer.supportsHalfClose();
  }

  /** The reasons a session layer ends its session with a clean end (kcpj's secure CLOSE) for. */
  private static boolean isCleanEnd(KcpCloseReason reason) {
    return reason == KcpCloseReason.LOCAL_CLOSE
        || reason == KcpCloseReason.IDLE_TIMEOUT
        || reason == KcpCloseReason.SHUTDOWN;
  }

  /** Client: fails the connects still waiting for the session layer. */
  void failPendingConnects(String why) {}

  /** The session at ({@code remote}, {@code conv}), or null. */
  KcpChildChannel sessionAt(InetSocketAddress remote, int conv) {
    return sessions.get(new SessionKey(remote, conv));
  }

  boolean containsSession(InetSocketAddress remote, int conv) {
    return sessions.containsKey(new SessionKey(remote, conv));
  }

  private void closeAll() {
    failPendingConnects("the datagram channel closed");
    if (sessions.isEmpty()) {
      return;
    }
    for (KcpChildChannel child : new ArrayList<>(sessions.values())) {
      child.forceClose(KcpCloseReason.PARENT_CLOSED);
    }
    flushParentIfNeeded();
  }

  // ---------------------------------------------------------------------------------------------
  // Output, batching and the timer
  // ---------------------------------------------------------------------------------------------

  /**
   * A session's engine output when it has no datagram layers: what the anti-amplification limit
   * lets through (all of it once the peer is validated), padded while {@link
   * KcpChannelOption#PAD_UNTIL_ANSWERED} asks for it, then {@link #output}.
   */
  void sessionOutput(KcpChildChannel child, ByteBuffer datagram) {
    if (admitOutput(child, datagram)) {
      int padTo = child.account().padding(child.config().padUntilAnswered(), child.engine().mtu());
      output(child.key().address(), datagram, padTo);
    }
  }

  /**
   * The anti-amplification limit on a session's engine datagram (before FEC and encryption): false
   * when it is withheld (the engine retransmits it once the peer has sent more or is validated);
   * otherwise true, with the datagram's limit moved back to the whole segments that may go when
   * only part of it may. When data was withheld, a window probe goes out first if it fits ({@link
   * SessionAdmission#permitProbe}), so that a live peer always gets a chance to answer.
   */
  boolean admitOutput(KcpChildChannel child, ByteBuffer datagram) {
    int permitted = admission.permit(child.account(), datagram);
    if (admission.takeWithheld()) {
      problems.withheld(nowMillis());
      if (admission.permitProbe(child.account(), datagram, permitted)) {
        child.sendProbe(ProbeSegment.wask(datagram)); // the peer's answer proves it, or pays
      }
    }
    if (permitted == 0) {
      return false;
    }
    if (permitted < datagram.remaining()) {
      datagram.limit(datagram.position() + permitted); // whole segments only
    }
    return true;
  }

  /**
   * A layered session's engine datagram, padded for {@link KcpChannelOption#PAD_UNTIL_ANSWERED}
   * before FEC and encryption see it: the datagram itself when no padding is due, else a padded
   * copy in a codec-owned scratch buffer that is valid until the next call (the layers copy what
   * they send before returning).
   */
  ByteBuffer padForLayers(KcpChildChannel child, ByteBuffer datagram) {
    int padTo = child.account().padding(child.config().padUntilAnswered(), child.engine().mtu());
    int len = datagram.remaining();
    if (padTo - len < SegmentHeader.HEADER_SIZE || len < SegmentHeader.HEADER_SIZE) {
      return datagram;
    }
    if (paddingScratch == null || paddingScratch.capacity() < padTo) {
      paddingScratch = Unpooled.buffer(padTo);
    }
    paddingScratch.clear().writeBytes(datagram);
    PaddingSegment.append(paddingScratch, padTo - len);
    return paddingScratch.nioBuffer();
  }

  /** Copies the datagram into a pooled buffer and writes it. */
  void output(InetSocketAddress remote, ByteBuffer datagram) {
    output(remote, datagram, 0);
  }

  /**
   * Copies the datagram into a pooled buffer, padded to {@code padTo} bytes if that leaves room for
   * a padding segment ({@link PaddingSegment}), and writes it.
   */
  private void output(InetSocketAddress remote, ByteBuffer datagram, int padTo) {
    int len = datagram.remaining();
    int pad = padTo - len;
    boolean padded = pad >= SegmentHeader.HEADER_SIZE && len >= SegmentHeader.HEADER_SIZE;
    ByteBuf buf = ctx.alloc().directBuffer(padded ? padTo : len);
    buf.writeBytes(datagram);
    if (padded) {
      PaddingSegment.append(buf, pad);
    }
    stats.datagramsOut++;
    if (StageTrace.ON) {
      StageTrace.mark(StageTrace.DATAGRAM_WRITTEN);
    }
    ctx.write(new DatagramPacket(buf, remote), ctx.voidPromise());
    parentNeedsFlush = true;
  }

  /**
   * A session's datagram layers wrote a datagram: copy it into a pooled buffer and write it (the
   * bytes are the layers' own, valid only during the call).
   */
  void writeWire(InetSocketAddress remote, byte[] b, int off, int len) {
    ByteBuf buf = ctx.alloc().directBuffer(len);
    buf.writeBytes(b, off, len);
    stats.datagramsOut++;
    ctx.write(new DatagramPacket(buf, remote), ctx.voidPromise());
    parentNeedsFlush = true;
  }

  /** A session has work for the end of the batch (input, ACKs, writes, a reopened window). */
  void markDirty(KcpChildChannel child) {
    if (!child.dirty) {
      child.dirty = true;
      dirty.add(child);
    }
    if (burstDatagrams == 0 && !flushing && !inTimerPass) {
      scheduleFlushTask();
    }
  }

  /**
   * A child queued data in its engine (its {@code flush()}). Outside a read batch, a timer pass and
   * a pending flush task, the engine and the datagram channel are flushed now (the message leaves
   * at once), and only then is the flush task scheduled ({@link #markDirty}): it does the rest
   * (delivery, timers) and sends what later writes of the same task queue, together.
   */
  void childWritten(KcpChildChannel child) {
    boolean sendNow = !flushTaskPending && burstDatagrams == 0 && !flushing && !inTimerPass;
    if (!sendNow) {
      markDirty(child);
      return;
    }
    try {
      child.flushEngine(nowMillis());
      flushParentIfNeeded();
    } finally {
      markDirty(child); // after the datagram left: the flush task is bookkeeping, not on its path
    }
  }

  private void scheduleFlushTask() {
    if (!flushTaskPending) {
      flushTaskPending = true;
      ctx.executor().execute(this::runFlushTask);
    }
  }

  private void runFlushTask() {
    if (StageTrace.ON) {
      StageTrace.mark(StageTrace.FLUSH_TASK);
    }
    flushTaskPending = false;
    if (burstDatagrams == 0) { // not inside a read burst
      flushBatch();
    }
  }

  /**
   * Completes reads and flushes every dirty session's engine once, then the datagram channel; only
   * then settles those sessions (timers, writability, closes), so the datagrams leave first. What
   * settling makes handlers write goes round again.
   */
  private void flushBatch() {
    if (flushing) {
      return;
    }
    flushing = true;
    try {
      long now = nowMillis();
      do {
        // Handlers may touch more sessions while we go: the list may grow under the index.
        for (int i = 0; i < dirty.size(); i++) {
          KcpChildChannel child = dirty.get(i);
          child.dirty = false;
          try {
            child.deliver();
            child.fireReadCompleteIfPending();
            child.shutdownInputIfDelivered();
          } catch (RuntimeException e) {
            sessionFailed(e); // e.g. the allocator failed: the message stays in the engine
          }
          try {
            child.flushEngine(now);
          } catch (RuntimeException e) {
            sessionFailed(e);
          }
          if (!child.unsettled) {
            child.unsettled = true;
            unsettled.add(child);
          }
        }
        dirty.clear();
        flushParentIfNeeded(); // the batch's datagrams leave before timers and closes are settled
        for (int i = 0; i < unsettled.size(); i++) {
          KcpChildChannel child = unsettled.get(i);
          child.unsettled = false;
          try {
            child.settle(now);
          } catch (RuntimeException e) {
            sessionFailed(e);
          }
        }
        unsettled.clear();
      } while (!dirty.isEmpty());
      enforceMemoryBudget();
      armTimer(now);
    } finally {
      flushing = false;
      for (int i = 0; i < unsettled.size(); i++) {
        unsettled.get(i).unsettled = false; // only after a failure; settled on its next flush
      }
      unsettled.clear();
    }
    flushParentIfNeeded();
  }

  /** The codec failed while serving a session outside a datagram's handling: counted, logged. */
  final void sessionFailed(RuntimeException e) {
    stats.sessionFailures++;
    problems.failed(ProblemLog.Failure.SESSION_FAILURE, e, nowMillis());
  }

  /** Past the memory budget: closes the sessions holding the most until the rest fit. */
  private void enforceMemoryBudget() {
    if (budget.exceeded()) {
      budget.enforce(new ArrayList<>(sessions.values()));
    }
  }

  /**
   * A session's engine was flushed or visited by the timer: refresh the bytes it holds. Returns the
   * deadline of its no-progress timeout (MAX_VALUE: none).
   */
  long afterSessionActivity(KcpChildChannel child, long nowMillis) {
    budget.update(child.account(), child.heldBytes());
    return child
        .account()
        .progressDeadline(child.engine(), nowMillis, child.config().noProgressTimeoutMillis());
  }

  /** The shared timer ran some of this codec's sessions: flush what they produced, once. */
  void afterTimerPass(long now) {
    if (readCoalescer != null) {
      readCoalescer.resumeEarly(); // the loop is awake anyway
    }
    if (!dirty.isEmpty()) {
      flushBatch(); // handlers woken by the timer (e.g. writability) wrote more
    } else {
      enforceMemoryBudget();
      flushParentIfNeeded();
    }
  }

  private void armTimer(long now) {
    if (timer != null) {
      timer.arm(now);
    }
  }

  private void flushParentIfNeeded() {
    if (parentNeedsFlush) {
      parentNeedsFlush = false;
      ctx.flush();
      if (StageTrace.ON) {
        StageTrace.mark(StageTrace.PARENT_FLUSHED);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // For children
  // ---------------------------------------------------------------------------------------------

  Channel datagramChannel() {
    return ctx.channel();
  }

  SessionTimer timer() {
    return timer;
  }

  boolean isParentActive() {
    return ctx != null && ctx.channel().isActive();
  }

  int sessionCountInternal() {
    return sessions.size();
  }

  /** The codec's clock in ms: the event loop's ticker (virtual under EmbeddedChannel). */
  long nowMillis() {
    return clockMillis(ctx.executor());
  }

  /** The clock of {@code executor} in ms (its ticker when it has one). */
  static long clockMillis(EventExecutor executor) {
    if (executor instanceof AbstractScheduledEventExecutor) {
      return ((AbstractScheduledEventExecutor) executor).ticker().nanoTime() / 1_000_000L;
    }
    return System.nanoTime() / 1_000_000L;
  }

  /** A scratch array of at least {@code len} bytes for one input call (event-loop confined). */
  byte[] inputScratch(int len) {
    if (inputScratch.length < len) {
      inputScratch = new byte[Math.max(len, inputScratch.length * 2)];
    }
    return inputScratch;
  }

  ChannelHandlerContext context() {
    return ctx;
  }
}
