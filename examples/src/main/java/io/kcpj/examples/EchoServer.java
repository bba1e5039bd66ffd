package io.kcpj.examples;

import io.kcpj.core.KcpConfig;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpCloseReason;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.kcpj.netty.KcpSessionListener;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;

/** A KCP echo server on Netty: each message comes back to its sender. Usage: {@code [port]}. */
public final class EchoServer {
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel udp = start(group, port);
      System.out.println("KCP echo server on " + udp.localAddress());
      udp.closeFuture().sync();
    } finally {
      group.shutdownGracefully();
    }
  }

  /** Binds the server's datagram channel to {@code port} (0: any free port). */
  public static Channel start(EventLoopGroup group, int port) throws InterruptedException {
    KcpServerCodec codec =
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast()) // engine preset
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 30_000L) // session policy
            .sessionListener(
                new KcpSessionListener() {
                  @Override
                  public void sessionClosed(KcpChannel ch, KcpCloseReason why) {
                    System.out.println(ch.remoteAddress() + " closed: " + why);
                  }
                })
            .handler(
                new ChannelInitializer<KcpChannel>() { // one pipeline per session
                  @Override
                  protected void initChannel(KcpChannel ch) {
                    ch.pipeline().addLast(new Echo());
                  }
                })
            .build();
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(codec)
        .bind(port)
        .sync()
        .channel();
  }

  /** Writes each message back as it is and flushes once per batch of reads. */
  public static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg); // the ByteBuf goes back as is: the channel releases it once sent
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }
}
