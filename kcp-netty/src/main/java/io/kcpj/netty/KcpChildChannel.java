package io.kcpj.netty;

import io.kcpj.core.Delivery;
import io.kcpj.core.EngineSetting;
import io.kcpj.core.Kcp;
import io.kcpj.core.KcpCounters;
import io.kcpj.netty.internal.StageTrace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.channel.socket.ChannelOutputShutdownException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;

/**
 * The implementation of {@link KcpChannel}: one engine, its pipeline, and its part in the codec's
 * timer. Everything here runs on the parent's event loop.
 *
 * <p>Buffer hand-offs: {@link #input} reads the datagram's bytes without taking ownership (the
 * codec releases the packet); messages taken from the engine are copied into new {@code ByteBuf}s
 * from this channel's allocator and handed to the pipeline, which owns them; written {@code
 * ByteBuf}s are copied into the engine in {@link #doWrite} and released by the outbound buffer as
 * each write completes or fails; the engine's output is copied by the codec.
 */
final class KcpChildChannel extends AbstractChannel implements KcpChannel {
  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

  /** User-defined writability index used for the engine's send queue. */
  private static final int ENGINE_WRITABILITY = 1;

  private final KcpCodec codec;

  /** (remote, conv): the remote address changes when a session layer reports a path change. */
  private volatile SessionKey key; // moved on the event loop (rekey), read from any thread

  private final KcpChannelConfig config;
  private final Kcp kcp;

  /** Standing with the codec's limits: validation, amplification, bytes held, progress. */
  private final SessionAccount account = new SessionAccount(this);

  // Timer entries, owned by SessionTimer: engine work, and the (lazy) idle timeout.
  final TimerEntry engineTimer = new TimerEntry(this);
  final TimerEntry idleTimer = new TimerEntry(this);

  /** FEC and encryption between the engine and the codec; null when neither is in use. */
  private SessionLayers layers;

  /** Set while the codec holds this channel in its batch of sessions to flush. */
  boolean dirty;

  /** Set while the codec holds this channel among the flushed sessions still to settle. */
  boolean unsettled;

  /** Messages were delivered since the last channelReadComplete. */
  private boolean readCompletePending;

  private boolean readRequested;
  private boolean open = true;
  private boolean engineWritable = true;
  private long lastInputMillis;

  /** The last {@link #input} acknowledged at least one segment this session sent. */
  private boolean inputAcknowledged;

  // Graceful close.
  private boolean closing;
  private boolean forced;
  private ChannelPromise lingeringClose;
  private long closeDeadline;
  private KcpCloseReason closeReason;

  /** {@link #abortCode()}: set by {@link #abort(int)} or by the peer's abort. */
  private int abortCode;

  /** The reason a close the session layer caused will carry, set before its event is fired. */
  private KcpCloseReason layerCloseReason;

  // Half-close (under a session layer that supports it).
  /**
   * The layer sent its end of output (the secure CLOSE): {@link #isOutputShutdown()}. Volatile:
   * read from any thread.
   */
  private volatile boolean outputShutdown;

  /**
   * The outcome of the end of output, created by the first shutdownOutput() and never cleared (so
   * non-null: writes fail); pending until the end of output is sent (success) or cannot be
   * (failure); later calls complete with it.
   */
  private ChannelPromise outputShutdownOutcome;

  /** The layer reported the peer's end of output; the input shuts once the engine delivered all. */
  private boolean peerHalfClosed;

  /**
   * At the peer's end of output, the engine's {@code rcvNxt + receiveBufferSize}: every segment the
   * peer sent before it (all acknowledged, so all here). More is new data: a protocol violation.
   */
  private int peerEndMark;

  /**
   * ChannelInputShutdownEvent was fired: {@link #isInputShutdown()}. Volatile: read from any
   * thread.
   */
  private volatile boolean inputShutdown;

  KcpChildChannel(KcpCodec codec, SessionKey key, long nowMillis) {
    super(codec.datagramChannel());
    this.codec = codec;
    this.key = key;
    this.config = new KcpChannelConfig(this);
    this.config.setAllocator(codec.datagramChannel().config().getAllocator());
    this.kcp = new Kcp(key.conv(), this::engineOutput);
    this.lastInputMillis = nowMillis;
  }

  /** Applies the configured engine settings and attaches the engine to the config. */
  void startEngine(long nowMillis) {
    kcp.apply(config.engineConfig());
    if (config.fec().enabled() || codec.crypt != null) {
      layers = newLayers();
    }
    applyMtu();
    config.attach(kcp);
    kcp.update(nowMillis);
  }

  /**
   * The engine's MTU: {@code KCP_MTU} (the datagrams' size on the wire) less the bytes the layers
   * add, this session's (FEC, encryption) and the codec's session layer's (a secure record).
   */
  private void applyMtu() {
    int wireMtu = config.engineConfig().mtu();
    int outer = codec.settings.sessionLayerOverhead;
    if (layers != null) {
      layers.applyMtu(wireMtu, outer);
    } else if (outer > 0) {
      kcp.setMtu(Math.max(EngineSetting.MTU.min(), wireMtu - outer));
    }
  }

  private SessionLayers newLayers() {
    return new SessionLayers(
        codec,
        this::remoteAddress, // follows a path change
        kcp,
        config.fec(),
        config.fecDecodeUnrequested(),
        codec.crypt,
        config.engineConfig().mtu());
  }

  /** The engine's output: straight to the codec, or through the layers. */
  private void engineOutput(ByteBuffer datagram) {
    SessionLayers l = layers;
    if (l == null) {
      codec.sessionOutput(this, datagram); // admission and padding, then the wire
    } else if (codec.admitOutput(this, datagram)) {
      // FEC and encryption of what admission let through, padded while the client asks for it
      l.send(codec.padForLayers(this, datagram), codec.nowMillis());
    }
  }

  /**
   * Sends a probe datagram the codec made ({@link ProbeSegment}) the way engine output goes: to the
   * codec's output, or through the layers (FEC, encryption). Not padded; not limited again (the
   * codec counted it).
   */
  void sendProbe(ByteBuffer probe) {
    SessionLayers l = layers;
    if (l == null) {
      codec.output(key.address(), probe);
    } else {
      l.send(probe, codec.nowMillis());
    }
  }

  SessionLayers layers() {
    return layers;
  }

  Kcp engine() {
    return kcp;
  }

  KcpCodec codec() {
    return codec;
  }

  SessionKey key() {
    return key;
  }

  SessionAccount account() {
    return account;
  }

  /** The codec moved this session to a new key (same conv, new remote address). */
  void rekey(SessionKey newKey) {
    this.key = newKey;
  }

  /**
   * Bytes this session holds for the memory budget: its engine's queued segments at (mss + {@link
   * MemoryBudget#SEGMENT_OVERHEAD}) each, and writes not yet flushed into the engine.
   */
  long heldBytes() {
    long segments =
        (long) kcp.sendQueueSize()
            + kcp.sendBufferSize()
            + kcp.receiveBufferSize()
            + kcp.receiveQueueSize();
    long bytes = segments * (kcp.mss() + MemoryBudget.SEGMENT_OVERHEAD);
    ChannelOutboundBuffer out = unsafe().outboundBuffer();
    return out == null ? bytes : bytes + out.totalPendingWriteBytes();
  }

  // ---------------------------------------------------------------------------------------------
  // KcpChannel
  // ---------------------------------------------------------------------------------------------

  @Override
  public int conv() {
    return key.conv();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return key.address();
  }

  @Override
  public InetSocketAddress localAddress() {
    SocketAddress local = parent().localAddress();
    return local instanceof InetSocketAddress ? (InetSocketAddress) local : null;
  }

  @Override
  public KcpChannelConfig config() {
    return config;
  }

  @Override
  public KcpCloseReason closeReason() {
    return closeReason;
  }

  @Override
  public ChannelFuture abort(int code) {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("an abort code is 0 to 65535, not " + code);
    }
    if (eventLoop().inEventLoop()) {
      if (open && layerCloseReason != null) {
        // the layer already ended the session (a handler aborting on its Closed event): its
        // reason and the peer's abort code stand, and nothing is sent
        forceClose(layerCloseReason);
      } else if (open) {
        abortCode = code;
        forceClose(KcpCloseReason.LOCAL_ABORT);
      }
    } else {
      try {
        eventLoop().execute(() -> abort(code));
      } catch (RejectedExecutionException e) {
        // the event loop has shut down: its channels are closed or closing, nothing to abort
      }
    }
    return closeFuture();
  }

  @Override
  public int abortCode() {
    return abortCode;
  }

  /** The peer aborted with {@code code} (set before the layer's close). */
  void setAbortCode(int code) {
    if (open) {
      abortCode = code;
    }
  }

  @Override
  public KcpCounters counters() {
    if (eventLoop().inEventLoop()) {
      return kcp.counters().snapshot();
    }
    return eventLoop().submit(() -> kcp.counters().snapshot()).syncUninterruptibly().getNow();
  }

  @Override
  public boolean isValidated() {
    return account.validated;
  }

  @Override
  public int waitSnd() {
    return kcp.waitSnd();
  }

  @Override
  public int srtt() {
    return kcp.srtt();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isActive() {
    return open;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    return true;
  }

  @Override
  protected SocketAddress localAddress0() {
    return parent().localAddress();
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return key.address();
  }

  @Override
  protected void doBind(SocketAddress localAddress) {
    throw new UnsupportedOperationException("a KcpChannel shares its parent's local address");
  }

  @Override
  protected void doDisconnect() {
    // metadata says no disconnect: Netty turns disconnect() into close().
  }

  @Override
  protected void doClose() {
    if (!open) {
      return;
    }
    open = false;
    if (closeReason == null) {
      closeReason = layerCloseReason != null ? layerCloseReason : KcpCloseReason.LOCAL_CLOSE;
    }
    ChannelPromise shutdown = outputShutdownOutcome;
    if (shutdown != null) {
      shutdown.tryFailure(new ClosedBeforeOutputShutdown(closeReason));
    }
    codec.childClosed(this);
  }

  // ---------------------------------------------------------------------------------------------
  // Half-close (DuplexChannel)
  // ---------------------------------------------------------------------------------------------

  @Override
  public boolean isInputShutdown() {
    return inputShutdown || !open;
  }

  @Override
  public boolean isOutputShutdown() {
    return outputShutdown || !open;
  }

  @Override
  public boolean isShutdown() {
    return isInputShutdown() && isOutputShutdown();
  }

  @Override
  public ChannelFuture shutdownOutput() {
    return shutdownOutput(newPromise());
  }

  @Override
  public ChannelFuture shutdownOutput(ChannelPromise promise) {
    if (!eventLoop().inEventLoop()) {
      try {
        eventLoop().execute(() -> shutdownOutput(promise));
      } catch (RejectedExecutionException e) {
        promise.tryFailure(new ClosedChannelException());
      }
      return promise;
    }
    if (!promise.setUncancellable()) {
      return promise; // cancelled before it ran, as Netty's own shutdownOutput
    }
    if (outputShutdownOutcome != null) {
      completeWith(outputShutdownOutcome, promise); // a second call completes with the first
      return promise;
    }
    if (!open || closing) {
      promise.tryFailure(new ClosedChannelException());
      return promise;
    }
    KcpSessionLayer layer = codec.sessionLayer();
    if (layer == null || !layer.supportsHalfClose()) {
      promise.tryFailure(
          new UnsupportedOperationException(
              layer == null
                  ? "plain KCP has no end-of-output signal (FIN): shutdownOutput() needs kcpj's"
                      + " secure sessions (secure(...) on the codec builder); close() ends the"
                      + " whole session"
                  : layer.getClass().getSimpleName()
                      + " cannot end a session's output alone: shutdownOutput() is not"
                      + " supported; close() ends the whole session"));
      return promise;
    }
    unsafe().flush(); // what was written before the call is part of the output: into the engine
    if (!open) {
      promise.tryFailure(new ClosedChannelException());
      return promise;
    }
    ChannelPromise outcome = newPromise(); // set: writes fail from now on (filterOutboundMessage)
    outputShutdownOutcome = outcome;
    completeWith(outcome, promise);
    if (outputDelivered()) {
      endOutput();
    } else {
      // Ends in afterEngineActivity once the engine has taken the rest of the outbound buffer (a
      // call from a write's listener inside doWrite, whose flush does nothing) and the peer
      // acknowledged it all.
      codec.markDirty(this);
    }
    return promise;
  }

  /** Completes {@code promise} (unless void) with {@code outcome}, now or when it completes. */
  private static void completeWith(ChannelFuture outcome, ChannelPromise promise) {
    if (promise.isVoid()) {
      return;
    }
    outcome.addListener(
        (ChannelFutureListener)
            f -> {
              if (f.isSuccess()) {
                promise.trySuccess();
              } else {
                promise.tryFailure(f.cause());
              }
            });
  }

  /** The end of output was asked for and is neither sent nor failed yet. */
  private boolean outputShutdownPending() {
    return outputShutdownOutcome != null && !outputShutdownOutcome.isDone();
  }

  /**
   * Nothing written is left to reach the peer: the outbound buffer is empty, flushed or not (all of
   * it in the engine; none once the channel is closing, since Netty fails what it held) and the
   * peer's engine acknowledged every segment ({@code waitSnd() == 0}). Only then may the layer send
   * a clean end (the secure CLOSE); otherwise the session ends with an ABORT ({@link
   * KcpChannel#ABORT_UNDELIVERED}).
   */
  boolean outputDelivered() {
    if (kcp.waitSnd() != 0) {
      return false;
    }
    ChannelOutboundBuffer out = unsafe().outboundBuffer();
    return out == null || (out.isEmpty() && out.totalPendingWriteBytes() == 0); // unflushed too
  }

  /**
   * Everything this channel wrote is acknowledged after shutdownOutput(): the layer sends its end
   * of output; the outcome succeeds, {@link ChannelOutputShutdownEvent} is fired (unless a listener
   * closed the channel), and if the input is shut too the channel closes ({@link
   * KcpCloseReason#SHUTDOWN}). If the layer cannot send it (its session is ending or gone), the
   * outcome fails and the channel is aborted: its peer will never see a clean end.
   */
  private void endOutput() {
    KcpSessionLayer layer = codec.sessionLayer();
    boolean sent = layer != null && layer.shutdownOutput(key.address(), key.conv());
    if (!open) {
      return; // the layer's events closed the channel (doClose failed the outcome)
    }
    ChannelPromise outcome = outputShutdownOutcome;
    if (!sent) {
      outcome.tryFailure(
          new IllegalStateException(
              "the session layer could not send the end of output (its session is ending): the"
                  + " channel is aborted"));
      forceClose(KcpCloseReason.LOCAL_ABORT);
      return;
    }
    outputShutdown = true;
    outcome.trySuccess();
    if (!open) {
      return; // a listener closed the channel: no events on a closed channel
    }
    pipeline().fireUserEventTriggered(ChannelOutputShutdownEvent.INSTANCE);
    if (open && inputShutdown) {
      forceClose(KcpCloseReason.SHUTDOWN);
    }
  }

  /**
   * Not supported: KCP (secure sessions included) has no message that asks the peer to stop
   * sending, so the input can only shut when the peer ends its output. Fails the promise with an
   * {@link UnsupportedOperationException}.
   */
  @Override
  public ChannelFuture shutdownInput() {
    return shutdownInput(newPromise());
  }

  /** Not supported (see {@link #shutdownInput()}): fails {@code promise}. */
  @Override
  public ChannelFuture shutdownInput(ChannelPromise promise) {
    promise.tryFailure(new UnsupportedOperationException(SHUTDOWN_INPUT_UNSUPPORTED));
    return promise;
  }

  /** Not supported: it would shut the input too (see {@link #shutdownInput()}). */
  @Override
  public ChannelFuture shutdown() {
    return shutdown(newPromise());
  }

  /** Not supported (see {@link #shutdown()}): fails {@code promise}. */
  @Override
  public ChannelFuture shutdown(ChannelPromise promise) {
    promise.tryFailure(
        new UnsupportedOperationException(
            "shutdown() would shut the input too, which KCP cannot do: call shutdownOutput()"
                + " and wait for the peer's end (ChannelInputShutdownEvent)"));
    return promise;
  }

  private static final String SHUTDOWN_INPUT_UNSUPPORTED =
      "KCP cannot ask the peer to stop sending: shutdownInput() is not supported; the input"
          + " shuts when the peer shuts its output (ChannelOption.ALLOW_HALF_CLOSURE)";

  /**
   * The session layer reported the peer's end of output and the channel allows half-closure: the
   * input shuts once the engine has delivered everything it holds ({@link
   * #shutdownInputIfDelivered}, at the end of the batch).
   */
  void peerHalfClosed() {
    if (open && !peerHalfClosed) {
      peerHalfClosed = true;
      peerEndMark = kcp.rcvNxt() + kcp.receiveBufferSize();
      codec.markDirty(this);
    }
  }

  /**
   * After the peer's end of output, whether the engine took a segment the peer had not sent before
   * it (all of those were acknowledged, hence here, when the end arrived; duplicates are not
   * taken).
   */
  private boolean dataAfterPeerEnd() {
    return peerHalfClosed && kcp.rcvNxt() + kcp.receiveBufferSize() - peerEndMark > 0;
  }

  /**
   * The peer sent application data after ending its output: a protocol violation. Nothing more is
   * delivered (what the engine holds is discarded with it); the datagram is counted as dropped
   * ({@link KcpDropReason#DATA_AFTER_PEER_END}) and the session aborted: {@link
   * KcpCloseReason#LOCAL_ABORT} with {@link #abortCode()} {@link KcpChannel#ABORT_DATA_AFTER_END},
   * which the layer sends to the peer.
   */
  private void abortForDataAfterPeerEnd() {
    if (!open) {
      return;
    }
    codec.drop(key.address(), key.conv(), KcpDropReason.DATA_AFTER_PEER_END);
    abortCode = KcpChannel.ABORT_DATA_AFTER_END;
    forceClose(KcpCloseReason.LOCAL_ABORT);
  }

  /**
   * After the peer's end of output, once the engine holds nothing more to deliver (all of it went
   * to the pipeline, as reading allowed): fires {@link ChannelInputShutdownEvent} then {@link
   * ChannelInputShutdownReadComplete}, and closes the channel ({@link KcpCloseReason#SHUTDOWN}) if
   * its output is shut down too.
   */
  void shutdownInputIfDelivered() {
    if (!open || !peerHalfClosed || inputShutdown) {
      return;
    }
    if (kcp.peekSize() >= 0 || kcp.receiveQueueSize() > 0 || kcp.receiveBufferSize() > 0) {
      return; // still to be read
    }
    inputShutdown = true;
    pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    if (!open) {
      return; // a handler closed the channel on the event: no more events
    }
    pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
    if (open && outputShutdown) {
      forceClose(KcpCloseReason.SHUTDOWN);
    }
  }

  /** Both the peer's and this side's output ended (the peer's maybe not delivered yet). */
  boolean isHalfClosedBothWays() {
    return peerHalfClosed && outputShutdown;
  }

  /** The failure of a shutdownOutput() that the channel's close overtook. */
  private static final class ClosedBeforeOutputShutdown extends ClosedChannelException {
    private static final long serialVersionUID = 1L;
    private final KcpCloseReason reason;

    ClosedBeforeOutputShutdown(KcpCloseReason reason) {
      this.reason = reason;
    }

    @Override
    public String getMessage() {
      return "the channel closed (" + reason + ") before its output was shut down";
    }
  }

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new KcpUnsafe();
  }

  @Override
  public String toString() {
    return "KcpChannel[" + key + (open ? "" : " closed " + closeReason) + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Inbound: datagram → engine → pipeline
  // ---------------------------------------------------------------------------------------------

  /**
   * Gives one datagram's bytes (from its reader index, not consumed, not released) to the engine
   * and delivers what became readable. Returns the engine's input status.
   */
  int input(ByteBuf content, long nowMillis) {
    if (StageTrace.ON) {
      StageTrace.mark(StageTrace.CHILD_INPUT);
    }
    kcp.update(nowMillis); // the engine's clock must be current for its RTT samples
    int inFlight = kcp.sendBufferSize(); // input removes segments only when they are acknowledged
    int len = content.readableBytes();
    byte[] array;
    int off;
    if (content.hasArray()) {
      array = content.array();
      off = content.arrayOffset() + content.readerIndex();
    } else {
      // Direct (the usual case): one copy into the codec's scratch array. Cheaper than a
      // ByteBuffer view, which Netty allocates per call for derived (sliced) buffers.
      array = codec.inputScratch(len);
      content.getBytes(content.readerIndex(), array, 0, len);
      off = 0;
    }
    int status;
    if (layers == null && !SessionLayers.isFec(array, off, len)) {
      status = kcp.input(array, off, len);
      if (StageTrace.ON) {
        StageTrace.mark(StageTrace.ENGINE_INPUT);
      }
    } else {
      if (layers == null) {
        layers = newLayers(); // FEC shards to a plain session: decoded as kcp-go does (or not)
      }
      status = layers.input(array, off, len, nowMillis);
    }
    lastInputMillis = nowMillis;
    inputAcknowledged = kcp.sendBufferSize() < inFlight;
    if (dataAfterPeerEnd()) {
      abortForDataAfterPeerEnd();
      return status;
    }
    deliver();
    return status;
  }

  /** Whether the last {@link #input} acknowledged a segment this session sent (any sn). */
  boolean inputAcknowledged() {
    return inputAcknowledged;
  }

  /** Hands every whole message the engine holds to the pipeline, as reading allows. */
  void deliver() {
    while (open && (readRequested || config.isAutoRead())) {
      int size = kcp.peekSize();
      if (size < 0) {
        return;
      }
      if (inputShutdown) {
        // The engine was empty when the input shut: this is data sent after the peer's end.
        abortForDataAfterPeerEnd();
        return;
      }
      ByteBuf buf = config.getAllocator().buffer(size);
      int n;
      try {
        if (buf.hasArray()) {
          n = kcp.recv(buf.array(), buf.arrayOffset() + buf.writerIndex(), size);
        } else {
          n = kcp.recv(buf.internalNioBuffer(buf.writerIndex(), size));
        }
      } catch (RuntimeException e) {
        buf.release();
        throw e;
      }
      if (n < 0) {
        buf.release(); // cannot happen after peekSize() >= 0; kept for safety
        return;
      }
      buf.writerIndex(buf.writerIndex() + n);
      readRequested = false;
      readCompletePending = true;
      if (StageTrace.ON) {
        StageTrace.mark(StageTrace.MESSAGE_TAKEN);
      }
      pipeline().fireChannelRead(buf); // ownership passes to the pipeline
    }
  }

  /** Fires channelReadComplete if messages were delivered since the last one. */
  void fireReadCompleteIfPending() {
    if (readCompletePending && open) {
      readCompletePending = false;
      pipeline().fireChannelReadComplete();
    }
  }

  @Override
  protected void doBeginRead() {
    if (!open) {
      return;
    }
    readRequested = true;
    codec.markDirty(this); // delivered at the end of the batch (or by the next flush task)
  }

  // ---------------------------------------------------------------------------------------------
  // Outbound: pipeline → engine
  // ---------------------------------------------------------------------------------------------

  @Override
  protected Object filterOutboundMessage(Object msg) throws Exception {
    if (!(msg instanceof ByteBuf) && !(msg instanceof KcpMessage)) {
      throw new UnsupportedOperationException(
          "unsupported message type: "
              + (msg == null ? "null" : msg.getClass().getName())
              + " (a KcpChannel writes ByteBuf or KcpMessage)");
    }
    if (closing) {
      throw new ClosedChannelException();
    }
    if (outputShutdownOutcome != null) { // shutdownOutput() was called
      throw new ChannelOutputShutdownException(
          "the channel's output is shut down (shutdownOutput() was called): nothing more is sent");
    }
    return msg;
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer in) {
    if (StageTrace.ON) {
      StageTrace.mark(StageTrace.CHILD_DO_WRITE);
    }
    boolean queued = false;
    for (; ; ) {
      Object msg = in.current();
      if (msg == null) {
        break;
      }
      Throwable refusal = OutboundMessages.send(this, msg);
      if (StageTrace.ON) {
        StageTrace.mark(StageTrace.ENGINE_SENT);
      }
      if (refusal == null) {
        queued = true;
        in.remove(); // releases the buffer and completes the write's promise
      } else {
        in.remove(refusal); // releases the buffer and fails the write's promise
      }
    }
    if (queued) {
      codec.childWritten(this); // may send at once: writability after the datagram left
      updateWritability();
    }
  }

  /**
   * Queues one message's bytes in the engine as {@code delivery} asks; returns why not, or null.
   */
  Throwable sendToEngine(ByteBuf buf, Delivery delivery) {
    int len = buf.readableBytes();
    if (!kcp.isStreamMode() && len > kcp.maxMessageSize()) {
      return new KcpMessageTooLargeException(len, kcp.maxMessageSize());
    }
    int mss = kcp.mss();
    int segments = len <= mss ? 1 : (len + mss - 1) / mss;
    int queued = kcp.waitSnd();
    if (queued + segments > config.sendQueueCap()) {
      return new KcpSendQueueFullException(segments, queued, config.sendQueueCap());
    }
    // Stream mode may exceed maxMessageSize(): the engine takes at most maxFragments new
    // segments per send (a larger send throws, or after topping up the last segment returns a
    // short count), so the bytes go in pieces of at most that size, each taken whole.
    if (delivery != Delivery.ORDERED && (kcp.isStreamMode() || !kcp.deliveryExtension())) {
      return new IllegalStateException(
          delivery
              + " delivery needs message mode and the delivery extension"
              + " (KcpChannelOption.DELIVERY_EXTENSION, on both ends)");
    }
    int at = buf.readerIndex();
    int end = at + len;
    do {
      int n = Math.min(kcp.maxMessageSize(), end - at);
      int taken = engineSend(buf, at, n, delivery);
      if (taken != n) {
        throw new IllegalStateException("the engine took " + taken + " of " + n + " bytes");
      }
      at += n;
    } while (at < end);
    return null;
  }

  /** Queues {@code n} bytes of {@code buf} from index {@code at}; returns what the engine took. */
  private int engineSend(ByteBuf buf, int at, int n, Delivery delivery) {
    if (buf.hasArray()) {
      return kcp.send(buf.array(), buf.arrayOffset() + at, n, delivery);
    }
    if (buf.nioBufferCount() == 1) {
      return kcp.send(buf.internalNioBuffer(at, n), delivery);
    }
    return kcp.send(ByteBufUtil.getBytes(buf, at, n), 0, n, delivery);
  }

  private void updateWritability() {
    ChannelOutboundBuffer out = unsafe().outboundBuffer();
    if (out == null) {
      return;
    }
    int queued = kcp.waitSnd();
    WriteBufferWaterMark marks = config.sendQueueWaterMark();
    if (engineWritable && queued > marks.high()) {
      engineWritable = false;
      out.setUserDefinedWritability(ENGINE_WRITABILITY, false);
    } else if (!engineWritable && queued < marks.low()) {
      engineWritable = true;
      out.setUserDefinedWritability(ENGINE_WRITABILITY, true);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Engine clock, driven by the codec
  // ---------------------------------------------------------------------------------------------

  /** End of a batch: flush the engine now (ACKs, new data); {@link #settle} follows. */
  void flushEngine(long nowMillis) {
    if (!open) {
      return;
    }
    if (StageTrace.ON) {
      StageTrace.mark(StageTrace.ENGINE_FLUSH);
    }
    kcp.update(nowMillis);
    kcp.flush();
  }

  /**
   * After the batch's datagrams left: the engine's timed work due now, then dead link, graceful
   * close, writability and the timers.
   */
  void settle(long nowMillis) {
    if (!open) {
      return;
    }
    afterEngineActivity(nowMillis, kcp.advance(nowMillis));
  }

  /** The codec's timer reached this session's deadline. */
  void onTimer(long nowMillis) {
    if (!open) {
      return;
    }
    if (closing && nowMillis >= closeDeadline) {
      forceClose(KcpCloseReason.CLOSE_TIMEOUT);
      return;
    }
    long idle = idleTimeoutMillis();
    if (idle > 0 && nowMillis - lastInputMillis >= idle) {
      forceClose(codec.admission().idleCloseReason(account, config.idleTimeoutMillis()));
      return;
    }
    if (layers != null) {
      layers.onTimer(nowMillis); // closes an FEC group whose deadline has come
    }
    // The engine's own driving policy: update, flush if something is due between its interval
    // grid points (a retransmission deadline), and the next deadline.
    afterEngineActivity(nowMillis, kcp.advance(nowMillis));
  }

  /** Closes on a dead link or a finished graceful close; else re-arms at {@code engineNext}. */
  private void afterEngineActivity(long nowMillis, long engineNext) {
    if (!open) {
      return;
    }
    if (kcp.isDeadLink()) {
      pipeline()
          .fireExceptionCaught(
              new KcpDeadLinkException(
                  key.conv(), key.address(), config.engineConfig().deadLink()));
      forceClose(KcpCloseReason.DEAD_LINK);
      return;
    }
    if (outputShutdownPending() && outputDelivered()) {
      endOutput(); // everything acknowledged: the layer sends its end of output
      if (!open) {
        return;
      }
    }
    if (closing && kcp.waitSnd() == 0) {
      forceClose(KcpCloseReason.LOCAL_CLOSE);
      return;
    }
    long noProgressAt = codec.afterSessionActivity(this, nowMillis);
    if (nowMillis >= noProgressAt) {
      forceClose(KcpCloseReason.NO_PROGRESS);
      return;
    }
    updateWritability();
    if (layers != null) {
      engineNext = Math.min(engineNext, layers.nextDeadline()); // an FEC group's deadline
    }
    // Kcp.advance's deadline: retransmissions, window probes, admission of queued data — not
    // every interval (a session waiting only for an ACK sleeps until its earliest
    // retransmission), at least 1 ms ahead, NO_EVENT (MAX_VALUE: out of the heap) when idle.
    long deadline = closing ? Math.min(engineNext, closeDeadline) : engineNext;
    deadline = Math.min(deadline, noProgressAt);
    codec.timer().setEngine(engineTimer, deadline);
    armIdleTimer();
  }

  /**
   * Keeps the idle entry at or before {@code lastInput + idleTimeout}. Lazy: input does not move it
   * later (that would cost a heap move per datagram); when it fires early, {@link #onTimer} finds
   * the session not idle and this re-arms it from the latest input.
   */
  void armIdleTimer() {
    long idle = idleTimeoutMillis();
    if (idle <= 0) {
      if (idleTimer.isScheduled()) {
        codec.timer().setIdle(idleTimer, Long.MAX_VALUE);
      }
      return;
    }
    long at = lastInputMillis + idle;
    if (!idleTimer.isScheduled() || idleTimer.deadline > at) {
      codec.timer().setIdle(idleTimer, at);
    }
  }

  /** The peer was validated: the idle entry moves from the unvalidated timeout to the idle one. */
  void validated() {
    long idle = idleTimeoutMillis();
    codec.timer().setIdle(idleTimer, idle > 0 ? lastInputMillis + idle : Long.MAX_VALUE);
  }

  /** The idle timeout in force: the configured one, or the shorter one while unvalidated. */
  private long idleTimeoutMillis() {
    return codec.admission().idleTimeout(account, config.idleTimeoutMillis());
  }

  /** An option changed (on the event loop): re-arm with the new settings. */
  void configChanged() {
    if (open && isRegistered()) {
      applyMtu();
      long now = codec.nowMillis();
      afterEngineActivity(now, kcp.advance(now));
      codec.afterConfigChange(now);
    }
  }

  /** Closes now, without waiting for the engine's queue, recording {@code reason}. */
  /**
   * The session layer ended this session with {@code reason}: any close from now on (a handler
   * closing on the layer's event included) is forced and carries that reason.
   */
  void closingForLayer(KcpCloseReason reason) {
    if (open && layerCloseReason == null) {
      layerCloseReason = reason;
      forced = true;
    }
  }

  void forceClose(KcpCloseReason reason) {
    if (!open) {
      return;
    }
    forced = true;
    if (closeReason == null) {
      closeReason = reason;
    }
    ChannelPromise promise = lingeringClose != null ? lingeringClose : voidPromise();
    lingeringClose = null;
    unsafe().close(promise);
  }

  private final class KcpUnsafe extends AbstractUnsafe {
    @Override
    public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
      promise.setFailure(
          new UnsupportedOperationException(
              "a KcpChannel is connected when it is created (KcpChannel.newBootstrap)"));
    }

    @Override
    public void close(ChannelPromise promise) {
      if (forced || !open) {
        super.close(promise);
        return;
      }
      if (closing) {
        if (!promise.isVoid()) {
          closeFuture().addListener((ChannelFutureListener) f -> promise.trySuccess());
        }
        return;
      }
      long timeout = config.closeTimeoutMillis();
      if (kcp.waitSnd() == 0 || timeout <= 0 || !codec.isParentActive()) {
        forced = true;
        super.close(promise);
        return;
      }
      // Graceful close: keep the session until its queue is acknowledged or the timeout passes.
      closing = true;
      lingeringClose = promise.isVoid() ? newPromise() : promise;
      closeDeadline = codec.nowMillis() + timeout;
      codec.markDirty(KcpChildChannel.this);
    }
  }
}
