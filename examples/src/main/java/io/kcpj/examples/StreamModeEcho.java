package io.kcpj.examples;

import io.kcpj.core.KcpConfig;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stream mode with Netty's framing codecs: a KCP session as a byte stream, like TCP, framed by a
 * 4-byte length on both ends. The server echoes each frame; {@link #echoFrames} sends frames larger
 * than one KCP message and reads them back whole.
 */
public final class StreamModeEcho {
  public static void main(String[] args) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel server = start(group, 0);
      InetSocketAddress address =
          new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
      byte[] frame = new byte[500_000]; // larger than one KCP message (174,752 bytes)
      List<byte[]> echoed = echoFrames(group, address, List.of(frame));
      System.out.println("echoed a frame of " + echoed.get(0).length + " bytes");
      server.close().sync();
    } finally {
      group.shutdownGracefully();
    }
  }

  /** The server codec: stream-mode sessions whose frames are echoed. */
  public static KcpServerCodec serverCodec() {
    // tag::server[]
    return new KcpServerCodecBuilder()
        .config(KcpConfig.fast())
        .option(KcpChannelOption.STREAM_MODE, true) // the client sets it too
        .handler(
            new ChannelInitializer<KcpChannel>() {
              @Override
              protected void initChannel(KcpChannel ch) {
                ch.pipeline()
                    .addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4))
                    .addLast(new LengthFieldPrepender(4)) // 4-byte length per frame
                    .addLast(new EchoServer.Echo()); // whole frames in and out
              }
            })
        .build();
    // end::server[]
  }

  /** Binds the stream-mode echo server to {@code port} (0: any free port). */
  public static Channel start(EventLoopGroup group, int port) throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(serverCodec())
        .bind(port)
        .sync()
        .channel();
  }

  /**
   * Sends {@code frames} over one stream-mode session and returns the echoed frames, in the order
   * they arrived (at most 10 s in all).
   */
  public static List<byte[]> echoFrames(
      EventLoopGroup group, InetSocketAddress server, List<byte[]> frames)
      throws InterruptedException {
    Channel udp =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(new KcpClientCodecBuilder().config(KcpConfig.fast()).build())
            .bind(0)
            .sync()
            .channel();
    try {
      BlockingQueue<byte[]> echoes = new LinkedBlockingQueue<>();
      KcpChannel ch =
          KcpChannel.newBootstrap(udp)
              .remoteAddress(server)
              .option(KcpChannelOption.STREAM_MODE, true)
              .handler(
                  new ChannelInitializer<KcpChannel>() {
                    @Override
                    protected void initChannel(KcpChannel ch) {
                      framing(ch.pipeline())
                          .addLast(
                              new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                  ByteBuf frame = (ByteBuf) msg; // one whole frame: ours
                                  echoes.add(ByteBufUtil.getBytes(frame));
                                  frame.release();
                                }
                              });
                    }
                  })
              .connect()
              .sync()
              .getNow();
      for (byte[] frame : frames) {
        ch.write(Unpooled.wrappedBuffer(frame));
      }
      ch.flush();
      List<byte[]> received = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (received.size() < frames.size()) {
        byte[] echo = echoes.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (echo == null) {
          break;
        }
        received.add(echo);
      }
      ch.close().sync();
      return received;
    } finally {
      udp.close().sync();
    }
  }

  private static ChannelPipeline framing(ChannelPipeline pipeline) {
    return pipeline
        .addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4))
        .addLast(new LengthFieldPrepender(4));
  }
}
