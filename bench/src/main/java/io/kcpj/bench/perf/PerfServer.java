package io.kcpj.bench.perf;

import io.kcpj.core.KcpConfig;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * The kcpj side of {@code kcpj perf server}: a {@link KcpServerCodec} on one datagram channel
 * (one event loop) whose sessions answer the {@link PerfProtocol}. Echoed messages are the
 * received {@code ByteBuf}s written back (no copy); SINK and STATS_REQUEST buffers are released
 * here. {@link #close()} releases the socket and the event loop.
 */
public final class PerfServer implements AutoCloseable {
  private final MultiThreadIoEventLoopGroup group;
  private final Channel channel;
  private final KcpServerCodec codec;
  private final Handler handler = new Handler();

  /** Binds {@code listen} with sessions configured by {@code config}. */
  public PerfServer(InetSocketAddress listen, KcpConfig config, int maxSessions)
      throws InterruptedException {
    this(listen, config, maxSessions, PerfTransport.nio());
  }

  /** As above, on {@code transport}. */
  PerfServer(InetSocketAddress listen, KcpConfig config, int maxSessions, PerfTransport transport)
      throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory);
    codec = new KcpServerCodecBuilder().config(config).maxSessions(maxSessions)
        .option(KcpChannelOption.SEND_QUEUE_CAP, 65_536)
        .handler(new ChannelInitializer<KcpChannel>() {
          @Override
          protected void initChannel(KcpChannel ch) {
            ch.pipeline().addLast(handler);
          }
        }).build();
    channel = transport.configure(new Bootstrap().group(group), 4 << 20)
        .handler(codec).bind(listen).sync().channel();
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  public KcpServerCodec codec() {
    return codec;
  }

  public Channel channel() {
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    channel.close().sync();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
  }

  /** Answers the perf protocol on every session; one instance shared by all sessions. */
  @Sharable
  final class Handler extends ChannelInboundHandlerAdapter {
    final LongAdder echoed = new LongAdder();
    final LongAdder sinkBytes = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf m = (ByteBuf) msg;
      switch (m.readableBytes() >= PerfProtocol.HEADER ? PerfProtocol.type(m) : 0) {
        case PerfProtocol.ECHO:
          echoed.increment();
          ctx.write(m);
          break;
        case PerfProtocol.SINK:
          sinkBytes.add(m.readableBytes());
          m.release();
          break;
        case PerfProtocol.STATS_REQUEST:
          m.release();
          long retransmits = codec.metrics().engineCounters().retransmittedSegments;
          ctx.write(PerfProtocol.statsReply(ctx.alloc(), PerfProtocol.processCpuNanos(),
              echoed.sum(), sinkBytes.sum(), retransmits));
          break;
        default:
          m.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }
}
