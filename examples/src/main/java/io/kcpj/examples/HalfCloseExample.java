package io.kcpj.examples;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpCloseReason;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Half-close over kcpj's secure sessions, the way TCP programs use it: the client sends its
 * requests and shuts its output (its end of input for the server); the server reads them all, sees
 * the end, answers, and shuts its own output; the client reads the answers until its own end. Both
 * channels then close with {@link KcpCloseReason#SHUTDOWN}. Plain KCP has no end-of-output signal:
 * there {@code shutdownOutput()} fails.
 */
public final class HalfCloseExample {
  private HalfCloseExample() {}

  /**
   * Reads requests until the client's end of output, then answers with one line per request (its
   * length) and ends its own output.
   */
  public static final class CountingServer extends ChannelInboundHandlerAdapter {
    private final List<String> requests = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf request = (ByteBuf) msg; // ours: release it
      requests.add(request.toString(StandardCharsets.UTF_8));
      request.release();
    }

    // tag::server[]
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) { // the client sent everything it will
        KcpChannel ch = (KcpChannel) ctx.channel();
        for (String request : requests) {
          ch.write(Unpooled.copiedBuffer(request.length() + " bytes", StandardCharsets.UTF_8));
        }
        ch.flush();
        ch.shutdownOutput(); // the channel closes (SHUTDOWN) once the client holds every answer
      }
      ctx.fireUserEventTriggered(evt);
    }
    // end::server[]
  }

  /** Binds a secure server whose sessions allow half-closure to {@code port} (0: any free). */
  public static Channel start(EventLoopGroup group, int port, byte[] psk)
      throws InterruptedException {
    // tag::option[]
    KcpServerCodecBuilder builder =
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .secure(SecureServerConfig.builder().psk(psk).build()) // half-close needs it
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true); // else the client's end closes
    // end::option[]
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(
            builder
                .handler(
                    new ChannelInitializer<KcpChannel>() {
                      @Override
                      protected void initChannel(KcpChannel ch) {
                        ch.pipeline().addLast(new CountingServer());
                      }
                    })
                .build())
        .bind(port)
        .sync()
        .channel();
  }

  /**
   * Sends {@code requests}, shuts the client's output, and returns the server's answers read until
   * the server's end of output, followed by the channel's close reason ({@code TimeoutException}
   * after 5 s without the end).
   */
  public static List<String> ask(
      EventLoopGroup group, InetSocketAddress server, byte[] psk, List<String> requests)
      throws Exception {
    Channel udp =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new KcpClientCodecBuilder()
                    .config(KcpConfig.fast())
                    .secure(SecureClientConfig.builder().psk(psk).build())
                    .build())
            .bind(0)
            .sync()
            .channel();
    try {
      List<String> answers = new ArrayList<>();
      CompletableFuture<List<String>> done = new CompletableFuture<>();
      KcpChannel ch =
          KcpChannel.newBootstrap(udp)
              .remoteAddress(server)
              .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      ByteBuf answer = (ByteBuf) msg;
                      answers.add(answer.toString(StandardCharsets.UTF_8));
                      answer.release();
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                      if (evt instanceof ChannelInputShutdownEvent) {
                        done.complete(answers); // every answer was read before this event
                      }
                    }
                  })
              .connect()
              .sync()
              .getNow();
      // tag::client[]
      for (String request : requests) {
        ch.write(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));
      }
      ch.flush();
      ch.shutdownOutput() // completes once the server's engine acknowledged every request
          .addListener(f -> System.out.println("requests delivered: " + f.isSuccess()));
      // Writing now fails with ChannelOutputShutdownException; reading goes on until the
      // server's ChannelInputShutdownEvent, then the channel closes with SHUTDOWN.
      // end::client[]
      List<String> result = done.get(5, TimeUnit.SECONDS);
      ch.closeFuture().await(5, TimeUnit.SECONDS);
      List<String> out = new ArrayList<>(result);
      out.add(String.valueOf(ch.closeReason()));
      return out;
    } finally {
      udp.close().sync();
    }
  }
}
