package io.kcpj.netty;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.concurrent.TimeUnit;

/**
 * Read coalescing for a codec's datagram channel ({@link KcpCodecBuilder#readCoalescing}): after a
 * read burst of several datagrams that drained the socket, the channel stops reading for a fixed
 * pause, so that the next wake-up of the event loop takes every datagram that arrived meanwhile in
 * one batch (a few {@code recvmmsg} calls on epoll) and answers them with one flush ({@code
 * sendmmsg}).
 *
 * <p>The mechanism is Netty's own {@code AUTO_READ}: at the end of such a burst the coalescer
 * switches it off (the transport stops watching the socket) and switches it back on after the
 * pause, which resumes reading. A burst is known to have drained the socket when it read fewer
 * datagrams than the channel's {@code maxMessagesPerRead} (Netty's read loop stops early only when
 * the socket has nothing more); a burst that reached the limit is left to Netty, which reads on at
 * once, so a backlog never waits. With a limit of one nothing can be told, so reading is never
 * paused (a warning is logged once). A burst of a single datagram does not pause either: the socket
 * is quiet, and a pause would only add a wake-up. When reading resumes on a quiet socket, the next
 * datagram is read as soon as it arrives.
 *
 * <p>If the application has switched {@code AUTO_READ} off itself (its own flow control), the
 * coalescer leaves reading alone. Event-loop confined, owned by its {@link KcpCodec}.
 */
final class ReadCoalescer {
  private static final InternalLogger logger =
      InternalLoggerFactory.getInstance(ReadCoalescer.class);

  /**
   * The smallest burst after which reading pauses. A burst of one datagram means the socket is
   * quiet (one session's message, or its ACK): pausing then would only add a wake-up to resume, so
   * coalescing engages only under load, when bursts bring several datagrams.
   */
  static final int MIN_BURST_TO_PAUSE = 2;

  /** Netty's default for datagram channels, assumed for allocators that do not say. */
  private static final int DEFAULT_MAX_MESSAGES_PER_READ = 16;

  private final long pauseNanos;
  private final Runnable resumeTask = this::resume;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> pendingResume;
  private boolean warnedLimitOfOne;

  ReadCoalescer(long pauseNanos) {
    if (pauseNanos <= 0) {
      throw new IllegalArgumentException("pause must be positive, got " + pauseNanos + " ns");
    }
    this.pauseNanos = pauseNanos;
  }

  void attach(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * A read burst of {@code datagrams} ended. If it brought at least {@value #MIN_BURST_TO_PAUSE}
   * datagrams (load), drained the socket (fewer datagrams than the channel's per-read limit), and
   * the channel reads automatically, pause reading and return true.
   */
  boolean readBurstComplete(int datagrams) {
    ChannelConfig config = ctx.channel().config();
    if (pendingResume != null || !config.isAutoRead() || !ctx.channel().isActive()) {
      return false;
    }
    int limit = maxMessagesPerRead(config);
    if (limit <= 1) {
      if (!warnedLimitOfOne) {
        warnedLimitOfOne = true;
        logger.warn(
            "{}: read coalescing is on, but the channel reads at most one datagram (or one"
                + " recvmmsg) per burst (maxMessagesPerRead 1), so a drained socket cannot be told"
                + " from a full read and reading is never paused. Give the channel's"
                + " RecvByteBufAllocator a larger maxMessagesPerRead.",
            ctx.channel());
      }
      return false;
    }
    if (datagrams < MIN_BURST_TO_PAUSE || datagrams >= limit) {
      return false; // a quiet socket (a pause would only add a wake-up), or maybe more to read
    }
    config.setAutoRead(false);
    pendingResume = ctx.executor().schedule(resumeTask, pauseNanos, TimeUnit.NANOSECONDS);
    return true;
  }

  /**
   * Another wake-up of the event loop (the session timer) came during the pause: resume now, since
   * the loop is awake anyway, instead of waking it again later.
   */
  void resumeEarly() {
    if (pendingResume != null) {
      pendingResume.cancel(false);
      resume();
    }
  }

  /**
   * The codec is leaving the pipeline or the channel closed: cancel a pending resume and, if
   * reading is paused on an open channel, switch {@code AUTO_READ} back on.
   */
  void stop() {
    if (pendingResume != null) {
      pendingResume.cancel(false);
      resume();
    }
  }

  private void resume() {
    pendingResume = null;
    if (ctx.channel().isOpen()) {
      ctx.channel().config().setAutoRead(true); // Netty issues the read
    }
  }

  private static int maxMessagesPerRead(ChannelConfig config) {
    RecvByteBufAllocator allocator = config.getRecvByteBufAllocator();
    return allocator instanceof MaxMessagesRecvByteBufAllocator
        ? ((MaxMessagesRecvByteBufAllocator) allocator).maxMessagesPerRead()
        : DEFAULT_MAX_MESSAGES_PER_READ;
  }
}
