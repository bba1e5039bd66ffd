package io.kcpj.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A KCP server codec on a real NIO datagram channel bound to 127.0.0.1 on a free port. */
final class LoopbackServer implements AutoCloseable {
  final MultiThreadIoEventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  final RecordingListener events = new RecordingListener();
  final KcpServerCodec codec;
  final Channel channel;

  /** Binds {@code builder}'s codec (its listener replaced by {@link #events}). */
  LoopbackServer(KcpServerCodecBuilder builder) throws InterruptedException {
    this(builder, 4 << 20);
  }

  LoopbackServer(KcpServerCodecBuilder builder, int socketBuffer) throws InterruptedException {
    codec = builder.sessionListener(events).build();
    channel =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, socketBuffer)
            .option(ChannelOption.SO_SNDBUF, socketBuffer)
            .handler(codec)
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
