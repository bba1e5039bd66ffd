package io.kcpj.netty.secure;

import io.kcpj.core.secure.CryptoContext;
import io.kcpj.core.secure.SecureCloseReason;
import io.kcpj.core.secure.SecureDatagramSink;
import io.kcpj.core.secure.SecureSession;
import io.kcpj.core.secure.SecureSessionState;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.KcpCloseReason;
import io.kcpj.netty.KcpSessionLayer;
import io.kcpj.netty.KcpSessionLayerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the server and client secure layers share: the thread's {@link CryptoContext}, the sink that
 * writes the core's own datagrams, protection of the KCP codec's outbound datagrams, inner
 * datagrams and {@link KcpSessionLayerEvent}s passed up (in the order they happened) after the core
 * returns, the mapping of secure close reasons to the codec's, and one timer that drives the
 * sessions' timers.
 *
 * <p><b>Timer.</b> One scheduled task per layer, at the earliest {@code nextDeadline()} of its
 * sessions (handshake retransmission, keepalive, idle timeout...), never a periodic tick: with
 * traffic flowing the deadlines move later and the task fires about once per keepalive interval.
 * Traffic moves deadlines later without touching the timer; a call that may move one earlier (a new
 * session, a datagram handled by a session) compares it with the armed time ({@link #armFor}), one
 * comparison per datagram. Time is the event loop's ticker (virtual under {@code EmbeddedChannel},
 * as the codec's).
 *
 * <p>Thread-confined to the datagram channel's event loop.
 */
abstract class SecureLayerBase extends ChannelDuplexHandler implements KcpSessionLayer {

  /** True: this layer runs kcpj's secure sessions ({@link #secureCounters()} is not null). */
  @Override
  public final boolean isSecure() {
    return true;
  }

  /**
   * True: a secure session's sending direction ends alone with a CLOSE ({@link #shutdownOutput}).
   */
  @Override
  public final boolean supportsHalfClose() {
    return true;
  }

  /**
   * Sends the CLOSE of the secure session at the codec's ({@code remote}, {@code conv}) and repeats
   * it until the peer acknowledges it ({@code SecureSession.closeSend}); the session keeps carrying
   * what the peer sends (and the engine's acknowledgements). Passes up the events this raises.
   *
   * @return whether the CLOSE was sent now or before; {@code false} for no such session, or one not
   *     established or draining
   */
  @Override
  public final boolean shutdownOutput(InetSocketAddress remote, int conv) {
    SecureSession session = routedSession(remote, conv);
    if (session == null) {
      return false;
    }
    boolean sent = session.closeSend(now());
    armFor(session);
    fireOpened();
    flushIfNeeded();
    return sent;
  }

  /** The secure session that holds the codec's ({@code remote}, {@code conv}), or null. */
  abstract SecureSession routedSession(InetSocketAddress remote, int conv);

  final CryptoContext crypto = new CryptoContext();
  ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;

  /** When the armed timer fires (ms on {@link #now()}), or {@link Long#MAX_VALUE}: none armed. */
  private long timerAt = Long.MAX_VALUE;

  /**
   * Inner datagrams opened and events raised during one core call, passed up in that order once it
   * returned (the core's scratch and its session must not be re-entered from the codec).
   */
  private List<Object> opened = new ArrayList<>();

  /**
   * An empty list {@link #fireOpened} swaps with {@link #opened} instead of copying it for every
   * datagram; null while a batch is being passed up (a nested call then takes a new list).
   */
  private List<Object> spare = new ArrayList<>();

  /** The core's own datagrams: copied (the core lends its scratch) and written. */
  final SecureDatagramSink sink =
      (datagram, recipient) -> {
        ByteBuf buf = ctx.alloc().directBuffer(datagram.remaining());
        buf.writeBytes(datagram);
        ctx.write(new DatagramPacket(buf, recipient), ctx.voidPromise());
        needsFlush = true;
      };

  boolean needsFlush;

  /** Milliseconds on the event loop's clock (its ticker: virtual under EmbeddedChannel). */
  final long now() {
    EventExecutor executor = ctx.executor();
    long nanos =
        executor instanceof AbstractScheduledEventExecutor
            ? ((AbstractScheduledEventExecutor) executor).ticker().nanoTime()
            : System.nanoTime();
    return nanos / 1_000_000L;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    timerAt = Long.MAX_VALUE;
    displaced.clear();
    releaseOpened();
  }

  /** The sessions whose timers the layer drives (a copy is taken before calling them). */
  abstract Collection<? extends SecureSession> sessions();

  /**
   * Makes sure the timer fires no later than {@code session}'s next deadline. Call it after
   * anything that may have moved that deadline earlier; a later deadline leaves the timer alone.
   */
  final void armFor(SecureSession session) {
    long deadline = session.nextDeadline();
    if (deadline < timerAt) {
      arm(deadline);
    }
  }

  private void arm(long deadline) {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    timerAt = deadline;
    if (deadline == Long.MAX_VALUE) {
      return;
    }
    timer =
        ctx.executor()
            .schedule(this::onTimer, Math.max(0, deadline - now()), TimeUnit.MILLISECONDS);
  }

  /** Runs the sessions that are due, then re-arms at the earliest deadline left. */
  private void onTimer() {
    timer = null;
    timerAt = Long.MAX_VALUE;
    long now = now();
    for (SecureSession s : new ArrayList<>(sessions())) {
      if (s.nextDeadline() <= now) {
        s.onTimer(now);
      }
    }
    fireOpened(); // events of the timers (handshake or idle timeout)
    long next = Long.MAX_VALUE;
    for (SecureSession s : sessions()) {
      next = Math.min(next, s.nextDeadline());
    }
    if (next != Long.MAX_VALUE && next < timerAt) {
      arm(Math.max(next, now + 1)); // a deadline already past runs next millisecond, never spins
    }
    flushIfNeeded();
  }

  final void flushIfNeeded() {
    if (needsFlush) {
      needsFlush = false;
      ctx.flush();
    }
  }

  /**
   * Keeps a copy of an opened inner datagram from {@code sender} (the listener's view is valid
   * during the call only) to pass up after the core returned.
   */
  final void keepOpened(ByteBuffer inner, InetSocketAddress sender, InetSocketAddress recipient) {
    int n = inner.remaining();
    ByteBuf buf = ctx.alloc().buffer(n);
    if (inner.hasArray()) { // the core's scratch: no view of it to allocate
      buf.writeBytes(inner.array(), inner.arrayOffset() + inner.position(), n);
    } else {
      buf.writeBytes(inner.duplicate());
    }
    opened.add(new DatagramPacket(buf, recipient, sender));
  }

  /** Keeps an event for the codec, to pass up after the core returned, after what came before. */
  final void keepEvent(KcpSessionLayerEvent event) {
    opened.add(event);
  }

  /**
   * Sessions whose route another session took (the codec knows only the newer one): aborted once
   * the core call that displaced them returned ({@link #fireOpened}).
   */
  private final List<SecureSession> displaced = new ArrayList<>();

  /**
   * {@code session} lost its route to a newer session: it is aborted after the current core call
   * (never from inside it), and until then passes nothing up (its listener checks the route).
   */
  final void displace(SecureSession session) {
    displaced.add(session);
  }

  /**
   * Aborts the displaced sessions, then passes up the inner datagrams and events kept during the
   * last core call, in order.
   */
  final void fireOpened() {
    while (!displaced.isEmpty()) {
      // Its route belongs to another session: its close raises no event for the codec.
      displaced.remove(displaced.size() - 1).abort(ABORT_CODE, now());
    }
    if (opened.isEmpty()) {
      return;
    }
    List<Object> batch = opened;
    opened = spare != null ? spare : new ArrayList<>();
    spare = null;
    for (int i = 0; i < batch.size(); i++) {
      Object o = batch.get(i);
      if (o instanceof KcpSessionLayerEvent) {
        ctx.fireUserEventTriggered(o);
      } else {
        ctx.fireChannelRead(o);
      }
    }
    batch.clear();
    if (spare == null) {
      spare = batch;
    }
  }

  private void releaseOpened() {
    for (Object o : opened) {
      ReferenceCountUtil.release(o);
    }
    opened.clear();
  }

  /**
   * Ends {@code session} because the codec's channel for it closed with {@code reason}: gracefully
   * (CLOSE, unless sent already) when the channel closed normally ({@link
   * KcpCloseReason#LOCAL_CLOSE}, {@link KcpCloseReason#IDLE_TIMEOUT}, {@link
   * KcpCloseReason#SHUTDOWN}), else at once (ABORT, with {@code abortCode} for the application's
   * {@link KcpCloseReason#LOCAL_ABORT}, else code 0); a session not established yet is aborted, a
   * draining one (both directions closed) is left to drain. Nothing to do for a reason a secure
   * layer causes (the session is ending already; the codec does not report those closes, this is a
   * safeguard). Passes up the events this raises. The codec never reports a clean reason for a
   * channel that still had segments unacknowledged: it asks for {@link KcpCloseReason#LOCAL_ABORT}
   * with {@code KcpChannel.ABORT_UNDELIVERED} then, so a CLOSE always means nothing was lost.
   */
  final void endSession(SecureSession session, KcpCloseReason reason, int abortCode) {
    if (causedByLayer(reason)) {
      return;
    }
    long now = now();
    boolean graceful =
        reason == KcpCloseReason.LOCAL_CLOSE
            || reason == KcpCloseReason.IDLE_TIMEOUT
            || reason == KcpCloseReason.SHUTDOWN;
    if (!graceful || !(session.closeSend(now) || session.state() == SecureSessionState.DRAINING)) {
      session.abort(reason == KcpCloseReason.LOCAL_ABORT ? abortCode : ABORT_CODE, now);
    }
    armFor(session);
    fireOpened();
    flushIfNeeded();
  }

  /** Whether a channel closed with {@code r} because a secure layer's session ended. */
  static boolean causedByLayer(KcpCloseReason r) {
    switch (r) {
      case PEER_CLOSED:
      case PEER_ABORT:
      case STATELESS_RESET:
      case SECURE_IDLE_TIMEOUT:
      case HANDSHAKE_FAILED:
      case SECURE_LIMIT:
        return true;
      default:
        return false;
    }
  }

  /**
   * The code of the ABORT records the layers send on their own (a forced close, a displaced
   * session); an application's {@code KcpChannel.abort(code)} sends its own code.
   */
  static final int ABORT_CODE = 0;

  /**
   * The codec's close event for a secure session that ended with {@code reason}: its {@link
   * KcpCloseReason} and a one-line description naming the peer.
   */
  static KcpSessionLayerEvent.Closed closedEvent(
      InetSocketAddress peer,
      int conv,
      SecureCloseReason reason,
      int abortCode,
      SecureSession session,
      long handshakeTimeoutMillis) {
    String who = peer.getHostString() + ":" + peer.getPort();
    KcpCloseReason r;
    String why;
    switch (reason) {
      case GRACEFUL:
        r = KcpCloseReason.PEER_CLOSED;
        why = who + " closed the secure session";
        break;
      case ABORTED_LOCALLY:
        r = KcpCloseReason.LOCAL_CLOSE;
        why = "the secure session with " + who + " was aborted by this side";
        break;
      case ABORTED_BY_PEER:
        r = KcpCloseReason.PEER_ABORT;
        why = who + " aborted the secure session (code " + abortCode + ")";
        break;
      case IDLE_TIMEOUT:
        r = KcpCloseReason.SECURE_IDLE_TIMEOUT;
        why =
            "nothing authenticated from "
                + who
                + " for "
                + seconds(session.idleTimeout())
                + " (not even a keepalive): the peer is gone or unreachable";
        break;
      case HANDSHAKE_TIMEOUT:
        r = KcpCloseReason.HANDSHAKE_FAILED;
        why =
            "no authenticated answer from "
                + who
                + " within "
                + seconds(handshakeTimeoutMillis)
                + ": wrong pre-shared key or server key, server not in secure mode, or unreachable";
        break;
      case STATELESS_RESET:
        r = KcpCloseReason.STATELESS_RESET;
        why = who + " no longer holds this session (stateless reset: the server restarted?)";
        break;
      default: // PACKET_NUMBER_EXHAUSTED, INTEGRITY_LIMIT
        r = KcpCloseReason.SECURE_LIMIT;
        why = "the secure session with " + who + " reached a key limit (" + reason + ")";
        break;
    }
    return new KcpSessionLayerEvent.Closed(
        peer, conv, r, why, r == KcpCloseReason.PEER_ABORT ? abortCode : 0);
  }

  /**
   * The codec's event for a peer that closed its sending direction: the codec shuts the channel's
   * input, or closes it with {@link KcpCloseReason#PEER_CLOSED} and this description, and in that
   * case sends this side's CLOSE ({@link #shutdownOutput}) so that both ends drain.
   */
  static KcpSessionLayerEvent.PeerHalfClosed peerHalfClosedEvent(InetSocketAddress peer, int conv) {
    return new KcpSessionLayerEvent.PeerHalfClosed(
        peer, conv, peer.getHostString() + ":" + peer.getPort() + " closed the secure session");
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /**
   * Protects the inner datagram {@code packet} (released here) for {@code session} and writes the
   * record to the session's current address. A datagram the core refuses is released and counted by
   * the core; the promise then succeeds as for a datagram lost on the way (KCP retransmits).
   */
  final void protectAndWrite(SecureSession session, DatagramPacket packet, ChannelPromise promise) {
    ByteBuf inner = packet.content();
    int len = inner.readableBytes();
    ByteBuf out = ctx.alloc().directBuffer(len + SecureWire.TRANSPORT_OVERHEAD);
    int n;
    try {
      n =
          session.protect(
              inner.nioBuffer(inner.readerIndex(), len),
              out.internalNioBuffer(0, len + SecureWire.TRANSPORT_OVERHEAD),
              now());
    } finally {
      packet.release();
    }
    if (n <= 0) {
      out.release();
      refused(n);
      promise.trySuccess();
      fireOpenedLater(); // a refusal may have ended the session (packet numbers used up)
      return;
    }
    out.writerIndex(n);
    ctx.write(new DatagramPacket(out, session.remoteAddress()), promise);
    fireOpenedLater();
  }

  private boolean fireOpenedScheduled;

  /**
   * After a protect: if it ended the session (packet numbers used up), its Closed event is queued.
   * It is passed up in a task of its own, not from inside the codec's write (no re-entry).
   */
  private void fireOpenedLater() {
    if (opened.isEmpty() && displaced.isEmpty() || fireOpenedScheduled) {
      return;
    }
    fireOpenedScheduled = true;
    ctx.executor()
        .execute(
            () -> {
              fireOpenedScheduled = false;
              fireOpened();
              flushIfNeeded();
            });
  }

  /** A datagram the core refused to protect ({@code SecureSession.REFUSED_*}). */
  void refused(int code) {}

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushIfNeeded();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    needsFlush = false;
    ctx.flush();
  }
}
