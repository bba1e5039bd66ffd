package io.kcpj.examples;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpClientCodec;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The echo server and client with kcpj's secure sessions, set up by the codec builders alone: a
 * Noise handshake with a 32-byte pre-shared key, then every datagram encrypted and authenticated.
 * The codecs add their secure layer to the pipeline and lower the KCP MTU by the record's 26 bytes
 * themselves.
 */
public final class SecureEcho {
  private SecureEcho() {}

  /** A server codec whose sessions echo, for clients holding {@code psk}. */
  public static KcpServerCodec serverCodec(byte[] psk) {
    ChannelHandler init =
        new ChannelInitializer<KcpChannel>() {
          @Override
          protected void initChannel(KcpChannel ch) {
            ch.pipeline().addLast(new EchoServer.Echo());
          }
        };
    // tag::server[]
    return new KcpServerCodecBuilder()
        .config(KcpConfig.fast())
        .secure(SecureServerConfig.builder().psk(psk).build())
        .secureMaxHalfOpen(1_000) // above it, clients must echo an address token first (default)
        .handler(init)
        .build();
    // end::server[]
  }

  /** A client codec for servers holding {@code psk}. */
  public static KcpClientCodec clientCodec(byte[] psk) {
    // tag::client[]
    return new KcpClientCodecBuilder()
        .config(KcpConfig.fast())
        .secure(SecureClientConfig.builder().psk(psk).build())
        .build(); // connect() completes when the handshake has
    // end::client[]
  }

  /** Binds a secure echo server to {@code port} (0: any free port). */
  public static Channel start(EventLoopGroup group, int port, byte[] psk)
      throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(serverCodec(psk))
        .bind(port)
        .sync()
        .channel();
  }

  /** Sends {@code text} over a secure session; returns the echo, or null if none within 5 s. */
  public static String echo(EventLoopGroup group, InetSocketAddress server, byte[] psk, String text)
      throws InterruptedException {
    Channel udp =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(clientCodec(psk))
            .bind(0)
            .sync()
            .channel();
    try {
      BlockingQueue<String> echoes = new ArrayBlockingQueue<>(16);
      KcpChannel ch =
          KcpChannel.newBootstrap(udp)
              .remoteAddress(server)
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
              .sync() // the handshake's round trip; fails with KcpConnectException on a wrong key
              .getNow();
      ch.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)).sync();
      String echo = echoes.poll(5, TimeUnit.SECONDS);
      ch.close().sync();
      return echo;
    } finally {
      udp.close().sync();
    }
  }
}
