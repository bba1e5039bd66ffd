package io.kcpj.bench.perf;

import io.kcpj.core.KcpConfig;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.kcpj.netty.internal.StageTrace;
import io.kcpj.netty.secure.SecureServerLayer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The kcpj side of {@code kcpj perf server}: {@link KcpServerCodec}s whose sessions answer the
 * {@link PerfProtocol}. With one thread, one datagram channel on one event loop. With {@code
 * threads} &gt; 1 (epoll or io_uring), that many datagram channels bound to the same port with
 * {@code SO_REUSEPORT}, each on its own event loop with its own codec: the kernel hashes each
 * remote address (its 4-tuple) to one socket, so each KCP session lives on exactly one codec. STATS
 * replies sum the counts of all codecs. Every message that is not a SINK or a STATS_REQUEST is
 * echoed (so any KCP echo client can use the server, not only {@code kcpj perf client}). Echoed
 * messages are the received {@code ByteBuf}s written back (no copy); SINK and STATS_REQUEST buffers
 * are released here. The codecs carry the {@link PerfLayers} given (FEC, packet encryption). {@link
 * #close()} releases the sockets and the event loops.
 *
 * <p><b>Quiet under load and attack.</b> An echo for a session that is not writable (its engine's
 * send queue above the high water mark of {@link KcpChannelOption#SEND_QUEUE_WATER_MARK}) is
 * dropped rather than queued; writes a session refuses, session failures (dead links) and
 * exceptions in the handlers or on the sockets are caught. Each is counted in {@link #drops()} by
 * cause, never logged one by one; {@link #reportDrops} prints at most one summary line per cause
 * per interval. Dropping one session's echo, rather than pausing reads, keeps every other session
 * on the same socket served.
 *
 * <p><b>The raw floor.</b> In front of each codec a {@link PerfRawUdp.ServerEcho} answers the perf
 * protocol's raw datagrams (no KCP), so that a client can measure on the same server, event loop
 * and socket what plain UDP costs ({@code kcpj perf client --protocol udp} or {@code --floor}). Raw
 * and KCP echoes are counted together.
 */
public final class PerfServer implements AutoCloseable {
  private final MultiThreadIoEventLoopGroup group;
  private final List<Channel> channels = new ArrayList<>();
  private final List<KcpServerCodec> codecs = new ArrayList<>();
  private final PerfDrops drops = new PerfDrops();
  private final Handler handler = new Handler();
  private final SocketErrors socketErrors = new SocketErrors();

  /** Binds {@code listen} with sessions configured by {@code config}, on NIO, one thread. */
  public PerfServer(InetSocketAddress listen, KcpConfig config, int maxSessions)
      throws InterruptedException {
    this(listen, config, maxSessions, PerfTransport.nio(), 1, Duration.ZERO);
  }

  /**
   * Binds {@code listen} on {@code transport} with {@code threads} datagram channels (each on its
   * own event loop, with its own codec of at most {@code maxSessions} sessions), each codec with
   * {@code readCoalescing} ({@link KcpServerCodecBuilder#readCoalescing}; zero: off).
   *
   * @throws IllegalArgumentException if {@code threads} &lt; 1, or &gt; 1 on a transport without
   *     {@code SO_REUSEPORT}
   */
  public PerfServer(
      InetSocketAddress listen,
      KcpConfig config,
      int maxSessions,
      PerfTransport transport,
      int threads,
      Duration readCoalescing)
      throws InterruptedException {
    this(listen, config, maxSessions, transport, threads, readCoalescing, PerfLayers.NONE);
  }

  /**
   * As {@link #PerfServer(InetSocketAddress, KcpConfig, int, PerfTransport, int, Duration)}, with
   * the sessions' datagram layers ({@code --fec}, {@code --crypt}).
   */
  public PerfServer(
      InetSocketAddress listen,
      KcpConfig config,
      int maxSessions,
      PerfTransport transport,
      int threads,
      Duration readCoalescing,
      PerfLayers layers)
      throws InterruptedException {
    this(listen, config, maxSessions, transport, threads, readCoalescing, layers, b -> b);
  }

  /**
   * As the constructor above, with {@code codecOptions} applied to the codec builder last (tests
   * set options the command line does not offer, e.g. a short idle timeout).
   */
  PerfServer(
      InetSocketAddress listen,
      KcpConfig config,
      int maxSessions,
      PerfTransport transport,
      int threads,
      Duration readCoalescing,
      PerfLayers layers,
      UnaryOperator<KcpServerCodecBuilder> codecOptions)
      throws InterruptedException {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    }
    if (threads > 1 && !transport.supportsReusePort()) {
      throw new IllegalArgumentException(
          "--threads "
              + threads
              + " binds "
              + threads
              + " sockets to one port with SO_REUSEPORT, which the "
              + transport.name
              + " transport does not have: use --transport epoll or --transport io_uring");
    }
    group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory);
    KcpServerCodecBuilder builder =
        layers
            .apply(new KcpServerCodecBuilder())
            .config(layers.kcpConfig(config))
            .maxSessions(maxSessions)
            .readCoalescing(readCoalescing)
            .option(KcpChannelOption.SEND_QUEUE_CAP, 65_536)
            .handler(
                new ChannelInitializer<KcpChannel>() {
                  @Override
                  protected void initChannel(KcpChannel ch) {
                    ch.pipeline().addLast(handler);
                  }
                });
    builder = codecOptions.apply(builder);
    try {
      InetSocketAddress bindTo = listen;
      int readBurst = readCoalescing.isZero() ? 1 : PerfTransport.COALESCING_READ_BURST;
      for (EventExecutor loop : group) { // one datagram channel per event loop
        KcpServerCodec codec = builder.build();
        Bootstrap b = new Bootstrap().group((EventLoop) loop);
        b =
            threads > 1
                ? transport.configureReusePort(b, 4 << 20, readBurst)
                : transport.configure(b, 4 << 20, readBurst);
        Channel channel =
            b.handler(
                    new ChannelInitializer<Channel>() {
                      @Override
                      protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new PerfRawUdp.ServerEcho(handler.echoed, drops));
                        SecureServerLayer secure = layers.newServerLayer(); // --psk
                        if (secure != null) {
                          ch.pipeline().addLast(secure);
                        }
                        ch.pipeline().addLast(codec, socketErrors);
                      }
                    })
                .bind(bindTo)
                .sync()
                .channel();
        channels.add(channel);
        codecs.add(codec);
        // The rest bind the port the first one got (it matters when listen's port is 0).
        bindTo =
            new InetSocketAddress(
                listen.getAddress(), ((InetSocketAddress) channel.localAddress()).getPort());
      }
    } catch (Throwable e) { // a bind failure is a checked exception thrown through sync()
      close();
      throw e;
    }
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channels.get(0).localAddress();
  }

  /**
   * With {@code --psk}: the secure layers' counters ({@link SecureServerLayer#counters()}, read on
   * each layer's event loop) as {@code sessions N handshakes N records N drops N}, one string per
   * datagram channel; empty without secure sessions.
   */
  public List<String> secureCounters() throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < channels.size(); i++) {
      Channel c = channels.get(i);
      SecureServerLayer layer = c.pipeline().get(SecureServerLayer.class);
      if (layer != null) {
        out.add(
            c.eventLoop()
                .submit(
                    () -> {
                      io.kcpj.core.secure.SecureCounters k = layer.counters();
                      return "sessions "
                          + layer.sessionCount()
                          + " handshakes "
                          + k.handshakesCompleted
                          + " records "
                          + k.recordsAccepted
                          + " drops "
                          + k.totalDrops();
                    })
                .sync()
                .getNow());
      }
    }
    return out;
  }

  /** ECHO messages answered since the server started (every session, every thread). */
  public long echoed() {
    return handler.echoed.sum();
  }

  /** The perf protocol's handler shared by every session (tests put it in their own pipeline). */
  Handler handlerForTests() {
    return handler;
  }

  /** What was dropped or failed, by cause. */
  public PerfDrops drops() {
    return drops;
  }

  /**
   * Prints, every {@code interval}, one line per cause of what was dropped or failed in it (nothing
   * when nothing was), through {@code out} (called on an event loop) until {@link #close()}.
   */
  public void reportDrops(Duration interval, Consumer<String> out) {
    long nanos = interval.toNanos();
    channels
        .get(0)
        .eventLoop()
        .scheduleAtFixedRate(
            () -> {
              for (String line : drops.summary(interval)) {
                out.accept(line);
              }
            },
            nanos,
            nanos,
            TimeUnit.NANOSECONDS);
  }

  /** The first datagram channel's codec (the only one with one thread). */
  public KcpServerCodec codec() {
    return codecs.get(0);
  }

  /** Every datagram channel's codec, one per thread. */
  public List<KcpServerCodec> codecs() {
    return Collections.unmodifiableList(codecs);
  }

  /** The first datagram channel (the only one with one thread). */
  public Channel channel() {
    return channels.get(0);
  }

  /** Every datagram channel, one per thread, all bound to {@link #localAddress()}. */
  public List<Channel> channels() {
    return Collections.unmodifiableList(channels);
  }

  @Override
  public void close() {
    // Uninterruptibly: an interrupted caller still gets its sockets released (the interrupt is
    // kept for it), and close() stays free of InterruptedException as AutoCloseable advises.
    for (Channel c : channels) {
      c.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * The retransmitted segments of every codec, summed: each codec's metrics are read on its own
   * event loop (never blocking one loop on another), and the sum completes on {@code replyOn}.
   */
  Future<Long> retransmits(EventExecutor replyOn) {
    Promise<Long> total = replyOn.newPromise();
    AtomicLong sum = new AtomicLong();
    AtomicInteger left = new AtomicInteger(codecs.size());
    for (int i = 0; i < codecs.size(); i++) {
      KcpServerCodec codec = codecs.get(i);
      Runnable read =
          () -> {
            try {
              sum.addAndGet(codec.metrics().engineCounters().retransmittedSegments);
            } catch (RuntimeException e) {
              total.tryFailure(e);
              return;
            }
            if (left.decrementAndGet() == 0) {
              total.trySuccess(sum.get());
            }
          };
      EventLoop loop = channels.get(i).eventLoop();
      if (loop.inEventLoop()) {
        read.run();
      } else {
        loop.execute(read);
      }
    }
    return total;
  }

  /** Answers the perf protocol on every session; one instance shared by all sessions and codecs. */
  @Sharable
  final class Handler extends ChannelInboundHandlerAdapter {
    final LongAdder echoed = new LongAdder();
    final LongAdder sinkBytes = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf m = (ByteBuf) msg;
      try {
        answer(ctx, m);
      } catch (RuntimeException e) {
        if (m.refCnt() > 0) {
          m.release();
        }
        drops.count(PerfDrops.Cause.HANDLER_ERROR, e);
      }
    }

    /** Answers one message; the buffer is released or handed on by the time it returns. */
    private void answer(ChannelHandlerContext ctx, ByteBuf m) {
      if (PerfProtocol.isStatsRequest(m)) {
        m.release();
        long cpu = PerfProtocol.processCpuNanos();
        long clock = System.nanoTime();
        long echoedNow = echoed.sum();
        long sinkNow = sinkBytes.sum();
        retransmits(ctx.executor())
            .addListener(
                f -> {
                  long retransmits = f.isSuccess() ? (Long) f.getNow() : -1;
                  ctx.writeAndFlush(
                      PerfProtocol.statsReply(
                          ctx.alloc(), cpu, echoedNow, sinkNow, retransmits, clock),
                      ctx.voidPromise());
                });
      } else if (PerfProtocol.isSink(m)) {
        sinkBytes.add(m.readableBytes());
        m.release();
      } else if (!ctx.channel().isWritable()) {
        m.release();
        drops.count(PerfDrops.Cause.UNWRITABLE, null);
      } else {
        // ECHO, and any other peer's message: returned unchanged. A refused write fails the void
        // promise, which fires exceptionCaught (counted below).
        if (StageTrace.ON) {
          StageTrace.mark(PerfClient.TRACE_SERVER_KCP_DELIVERED);
        }
        echoed.increment();
        ctx.write(m, ctx.voidPromise());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    /** Refused writes, dead links and handler errors: counted, not passed on (nor logged). */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      drops.count(PerfDrops.causeOf(cause), cause);
    }
  }

  /** The last handler of each datagram channel: counts what reaches it instead of logging it. */
  @Sharable
  final class SocketErrors extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      drops.count(PerfDrops.Cause.SOCKET_ERROR, cause);
    }
  }
}
