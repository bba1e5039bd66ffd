package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison's KCP echo servers (kcp-netty over NIO UDP), one per transport under test, each on
 * its own port, with the transport's engine settings and FEC, echoing in the workload's delivery
 * mode. Every message is answered with {@code responseSize} bytes starting with the message's
 * 4-byte sequence number. One event loop thread; {@link #close()} stops everything.
 */
final class KcpEchoServers implements AutoCloseable {
  private final MultiThreadIoEventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<Channel> channels = new ArrayList<>();
  private final List<KcpServerCodec> codecs = new ArrayList<>();

  /** Binds one server per transport on {@code address}, ports {@code basePort + i}. */
  KcpEchoServers(
      String address,
      int basePort,
      List<KcpTransport> transports,
      int responseSize,
      io.kcpj.core.Delivery delivery)
      throws InterruptedException {
    for (int i = 0; i < transports.size(); i++) {
      KcpServerCodec codec =
          new KcpServerCodecBuilder()
              .config(transports.get(i).config())
              .option(KcpChannelOption.FEC, transports.get(i).fec())
              .option(KcpChannelOption.DEFAULT_DELIVERY, delivery) // echoes as the messages came
              .handler(
                  new ChannelInitializer<KcpChannel>() {
                    @Override
                    protected void initChannel(KcpChannel ch) {
                      ch.pipeline().addLast(new Echo(responseSize));
                    }
                  })
              .build();
      codecs.add(codec);
      channels.add(
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(codec)
              .bind(new InetSocketAddress(address, basePort + i))
              .sync()
              .channel());
    }
  }

  /** Retransmitted segments of server {@code i}'s sessions so far. */
  long retransmits(int i) {
    return codecs.get(i).metrics().engineCounters().retransmittedSegments;
  }

  /** The event loop the servers run on (the floor echo server shares it). */
  MultiThreadIoEventLoopGroup group() {
    return group;
  }

  int size() {
    return codecs.size();
  }

  @Override
  public void close() {
    // Uninterruptibly (the interrupt is kept): close() must release the sockets either way.
    for (Channel c : channels) {
      c.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Answers a message with a response of the configured size carrying its sequence number. */
  @ChannelHandler.Sharable
  static final class Echo extends ChannelInboundHandlerAdapter {
    private final int responseSize;

    Echo(int responseSize) {
      this.responseSize = responseSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg; // owned here: released below
      try {
        ByteBuf out = ctx.alloc().buffer(responseSize);
        out.writeBytes(in, in.readerIndex(), Math.min(4, in.readableBytes()));
        out.writeZero(responseSize - out.readableBytes());
        ctx.writeAndFlush(out); // ownership passes to the channel
      } finally {
        in.release();
      }
    }
  }
}
