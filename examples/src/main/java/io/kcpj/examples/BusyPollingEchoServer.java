package io.kcpj.examples;

import io.kcpj.core.KcpConfig;
import io.kcpj.netty.BusyPolling;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * The KCP echo server of {@link EchoServer} on an event loop that never sleeps ({@link
 * BusyPolling}): epoll where Netty's native epoll is available, NIO elsewhere. The loop keeps one
 * CPU core at 100 % for the lowest latency on a thin stream. Usage: {@code [port]}.
 */
public final class BusyPollingEchoServer {
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    EventLoopGroup group = group();
    try {
      Channel udp = start(group, port);
      System.out.println("KCP echo server (busy polling) on " + udp.localAddress());
      udp.closeFuture().sync();
    } finally {
      group.shutdownGracefully();
    }
  }

  /** One busy-polling event loop: epoll where available, else NIO. */
  public static EventLoopGroup group() {
    // tag::group[]
    IoHandlerFactory io =
        Epoll.isAvailable()
            ? EpollIoHandler.newFactory(0, BusyPolling.selectStrategyFactory()) // 0: events grow
            : BusyPolling.nioHandlerFactory();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io); // one core at 100 %
    // end::group[]
    return group;
  }

  /**
   * Binds the echo server's datagram channel to {@code port} (0: any free port) on {@code group}.
   */
  public static Channel start(EventLoopGroup group, int port) throws InterruptedException {
    Class<? extends DatagramChannel> channel =
        Epoll.isAvailable() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    return new Bootstrap()
        .group(group)
        .channel(channel)
        .handler(
            new KcpServerCodecBuilder()
                .config(KcpConfig.fast())
                .handler(
                    new ChannelInitializer<KcpChannel>() {
                      @Override
                      protected void initChannel(KcpChannel ch) {
                        ch.pipeline().addLast(new EchoServer.Echo());
                      }
                    })
                .build())
        .bind(port)
        .sync()
        .channel();
  }
}
