package io.kcpj.examples;

import io.kcpj.core.KcpConfig;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.time.Duration;

/**
 * A KCP echo server that coalesces reads under load: after a burst that drained the socket, it
 * pauses reading for at most 1 ms and answers what arrived meanwhile with one flush. Usage: {@code
 * [port]}.
 */
public final class ReadCoalescingServer {
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      start(group, port).closeFuture().sync();
    } finally {
      group.shutdownGracefully();
    }
  }

  /** The codec: echo sessions, read coalescing on. */
  public static KcpServerCodec codec() {
    ChannelHandler init =
        new ChannelInitializer<KcpChannel>() {
          @Override
          protected void initChannel(KcpChannel ch) {
            ch.pipeline().addLast(new EchoServer.Echo());
          }
        };
    // tag::codec[]
    return new KcpServerCodecBuilder()
        .config(KcpConfig.fast())
        .readCoalescing(Duration.ofMillis(1)) // off (Duration.ZERO) by default; at most 1 s
        .handler(init)
        .build();
    // end::codec[]
  }

  /** Binds the server to {@code port} (0: any free port). */
  public static Channel start(EventLoopGroup group, int port) throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(codec())
        .bind(port)
        .sync()
        .channel();
  }
}
