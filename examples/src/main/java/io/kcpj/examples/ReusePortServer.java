package io.kcpj.examples;

import io.kcpj.core.KcpConfig;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-core KCP echo server (Linux, epoll): one datagram channel per event loop, all bound to
 * one port with {@code SO_REUSEPORT}, each with its own codec. Usage: {@code [port [threads]]}.
 */
public final class ReusePortServer {
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
    try {
      Server server = start(group, port);
      System.out.println(server.codecs().size() + " codecs on port " + server.port());
      group.terminationFuture().sync();
    } finally {
      group.shutdownGracefully();
    }
  }

  /** The port every channel is bound to, and one codec per channel. */
  public record Server(int port, List<KcpServerCodec> codecs) {}

  /**
   * Binds one epoll datagram channel and codec per event loop of {@code group} to {@code port} (0:
   * the first channel's free port, which the others then join).
   */
  public static Server start(EventLoopGroup group, int port) throws InterruptedException {
    ChannelHandler init =
        new ChannelInitializer<KcpChannel>() {
          @Override
          protected void initChannel(KcpChannel ch) {
            ch.pipeline().addLast(new EchoServer.Echo());
          }
        };
    // tag::reuseport[]
    KcpServerCodecBuilder builder =
        new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(init);
    List<KcpServerCodec> codecs = new ArrayList<>();
    for (EventExecutor loop : group) { // one channel and one codec per event loop
      KcpServerCodec codec = builder.build();
      Channel channel =
          new Bootstrap()
              .group((EventLoop) loop)
              .channel(EpollDatagramChannel.class) // or IoUringDatagramChannel
              .option(UnixChannelOption.SO_REUSEPORT, true)
              .handler(codec)
              .bind(port)
              .sync()
              .channel();
      port = ((InetSocketAddress) channel.localAddress()).getPort(); // the rest join this port
      codecs.add(codec);
    }
    // end::reuseport[]
    return new Server(port, codecs);
  }

  /** Sessions open on all codecs together: each session lives on exactly one of them. */
  public static long sessionsOpen(List<KcpServerCodec> codecs) {
    // tag::metrics[]
    long open = codecs.stream().mapToLong(c -> c.metrics().sessionsOpen()).sum();
    // end::metrics[]
    return open;
  }
}
