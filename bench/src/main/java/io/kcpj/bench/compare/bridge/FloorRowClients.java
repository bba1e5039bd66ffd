package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.VirtualFloorRun;
import io.kcpj.bench.compare.Workload;
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
 * The floor row's clients: per session, a plain UDP socket (Netty NIO, on the same event loop as
 * the KCP clients) sending each message as one datagram to the floor echo server; the first echo of
 * a message counts, duplicates are ignored, nothing is retransmitted.
 */
final class FloorRowClients extends RowClients {
  private final InetSocketAddress server;
  private final EventLoopGroup group;
  private final Channel[] channels;

  FloorRowClients(
      InetSocketAddress server,
      Workload workload,
      long[] phaseNanos,
      EventLoopGroup group,
      long drainMillis,
      WarmupGate gate,
      FlowRegistry flows) {
    super(VirtualFloorRun.LABEL, workload, phaseNanos, true, drainMillis, gate, flows);
    this.server = server;
    this.group = group;
    this.channels = new Channel[sessions];
  }

  @Override
  int protocol() {
    return 17;
  }

  @Override
  int serverPort() {
    return server.getPort();
  }

  @Override
  int bind(int k) throws Exception {
    channels[k] =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new SimpleChannelInboundHandler<DatagramPacket>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                    ByteBuf b = p.content(); // released by SimpleChannelInboundHandler
                    if (b.readableBytes() >= 4) {
                      echo(b.getIntLE(b.readerIndex()), System.nanoTime());
                    }
                  }
                })
            .bind(new InetSocketAddress(0))
            .sync()
            .channel();
    return ((InetSocketAddress) channels[k].localAddress()).getPort();
  }

  @Override
  void connect(int k) {
    // connectionless
  }

  @Override
  void send(int k, byte[] message, int size) {
    Channel ch = channels[k];
    int n = Math.min(size, VirtualFloorRun.MAX_DATAGRAM);
    ch.writeAndFlush(new DatagramPacket(ch.alloc().buffer(n).writeBytes(message, 0, n), server));
  }

  @Override
  void close() {
    for (Channel c : channels) {
      if (c != null) {
        c.close().awaitUninterruptibly(2_000);
      }
    }
  }
}
