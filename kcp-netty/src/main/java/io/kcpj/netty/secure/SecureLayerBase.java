package io.kcpj.netty.secure;

import io.kcpj.core.secure.CryptoContext;
import io.kcpj.core.secure.SecureDatagramSink;
import io.kcpj.core.secure.SecureSession;
import io.kcpj.core.secure.SecureWire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
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
 * datagrams passed up after the core returns, and one timer that drives the sessions' timers.
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
abstract class SecureLayerBase extends ChannelDuplexHandler {
  final CryptoContext crypto = new CryptoContext();
  ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;

  /** When the armed timer fires (ms on {@link #now()}), or {@link Long#MAX_VALUE}: none armed. */
  private long timerAt = Long.MAX_VALUE;

  /** Inner datagrams opened during one {@code onDatagram} call, passed up once it returned. */
  private final List<DatagramPacket> opened = new ArrayList<>();

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
    ByteBuf buf = ctx.alloc().buffer(inner.remaining());
    buf.writeBytes(inner.duplicate());
    opened.add(new DatagramPacket(buf, recipient, sender));
  }

  /** Passes up the inner datagrams kept during the last core call. */
  final void fireOpened() {
    if (opened.isEmpty()) {
      return;
    }
    List<DatagramPacket> batch = new ArrayList<>(opened);
    opened.clear();
    for (DatagramPacket p : batch) {
      ctx.fireChannelRead(p);
    }
  }

  private void releaseOpened() {
    for (DatagramPacket p : opened) {
      p.release();
    }
    opened.clear();
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
      return;
    }
    out.writerIndex(n);
    ctx.write(new DatagramPacket(out, session.remoteAddress()), promise);
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
