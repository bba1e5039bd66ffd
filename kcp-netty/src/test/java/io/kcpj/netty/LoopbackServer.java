package io.kcpj.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A KCP server codec on a real NIO datagram channel bound to 127.0.0.1 on a free port. */
final class LoopbackServer implements AutoCloseable {
  final MultiThreadIoEventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  /** The server's session events (null when built with another listener). */
  final RecordingListener events;

  final KcpServerCodec codec;
  final Channel channel;

  /** Released once per datagram the server's channel reads (ahead of the codec). */
  final Semaphore reads = new Semaphore(0);

  /** Binds {@code builder}'s codec (its listener replaced by {@link #events}). */
  LoopbackServer(KcpServerCodecBuilder builder) throws InterruptedException {
    this(builder, new RecordingListener());
  }

  /** Binds {@code builder}'s codec with {@code listener}. */
  LoopbackServer(KcpServerCodecBuilder builder, KcpSessionListener listener)
      throws InterruptedException {
    int socketBuffer = 4 << 20;
    events = listener instanceof RecordingListener ? (RecordingListener) listener : null;
    codec = builder.sessionListener(listener).build();
    channel =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, socketBuffer)
            .option(ChannelOption.SO_SNDBUF, socketBuffer)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                reads.release();
                                ctx.fireChannelRead(msg);
                              }
                            },
                            codec);
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
