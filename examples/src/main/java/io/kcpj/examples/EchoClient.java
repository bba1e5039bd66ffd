package io.kcpj.examples;

import io.kcpj.core.KcpConfig;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpClientCodec;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A KCP echo client: sends one message and prints the echo. Usage: {@code [host [port [text]]]}.
 */
public final class EchoClient {
  public static void main(String[] args) throws InterruptedException {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
    String text = args.length > 2 ? args[2] : "hello";
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      System.out.println("echo: " + echo(group, new InetSocketAddress(host, port), text));
    } finally {
      group.shutdownGracefully();
    }
  }

  /** Sends {@code text} as one message; returns the echo, or null if none came within 5 s. */
  public static String echo(EventLoopGroup group, InetSocketAddress server, String text)
      throws InterruptedException {
    KcpClientCodec codec = new KcpClientCodecBuilder().config(KcpConfig.fast()).build();
    Channel udp =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(codec)
            .bind(0)
            .sync()
            .channel();
    try {
      BlockingQueue<String> echoes = new ArrayBlockingQueue<>(16);
      KcpChannel ch =
          KcpChannel.newBootstrap(udp)
              .remoteAddress(server) // conv: random unless .conv(n)
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      ByteBuf echo = (ByteBuf) msg; // ours: release it
                      echoes.offer(echo.toString(StandardCharsets.UTF_8));
                      echo.release();
                    }
                  })
              .connect()
              .sync()
              .getNow(); // active at once (KCP has no handshake)
      ch.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)).sync();
      String echo = echoes.poll(5, TimeUnit.SECONDS);
      ch.close().sync(); // waits until the server has acknowledged everything (or a timeout)
      return echo;
    } finally {
      udp.close().sync();
    }
  }
}
