package io.kcpj.bench.compare.bridge;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;

/**
 * The floor row's echo server: plain UDP (Netty NIO); every datagram is answered at once with one
 * datagram of the response size starting with the request's 4-byte id. No state, no retransmission.
 * Runs on the event loop it is given until {@link #close()}.
 */
final class FloorEchoServer implements AutoCloseable {
  private final Channel channel;

  FloorEchoServer(EventLoopGroup group, InetSocketAddress bind, int responseSize)
      throws InterruptedException {
    channel =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new SimpleChannelInboundHandler<DatagramPacket>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                    ByteBuf in = p.content(); // released by SimpleChannelInboundHandler
                    ByteBuf out = ctx.alloc().buffer(responseSize);
                    out.writeBytes(in, in.readerIndex(), Math.min(4, in.readableBytes()));
                    out.writeZero(responseSize - out.readableBytes());
                    ctx.writeAndFlush(new DatagramPacket(out, p.sender())); // ownership passes
                  }
                })
            .bind(bind)
            .sync()
            .channel();
  }

  @Override
  public String toString() {
    return String.valueOf(channel.localAddress());
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
