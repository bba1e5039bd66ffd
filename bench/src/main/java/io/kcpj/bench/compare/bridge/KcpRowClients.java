package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.Workload;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;

/**
 * A KCP row's clients: per session, a UDP channel with a kcp-netty client codec and one KCP session
 * to the row's server. Echoes are recorded on the event loop.
 */
final class KcpRowClients extends RowClients {
  private final InetSocketAddress server;
  private final KcpTransport transport;
  private final EventLoopGroup group;
  private final Channel[] udp;
  private final KcpChannel[] sessionsOf;

  KcpRowClients(
      InetSocketAddress server,
      KcpTransport transport,
      Workload workload,
      long[] phaseNanos,
      EventLoopGroup group,
      long drainMillis,
      WarmupGate gate,
      FlowRegistry flows) {
    super(transport.name(), workload, phaseNanos, false, drainMillis, gate, flows);
    this.server = server;
    this.transport = transport;
    this.group = group;
    this.udp = new Channel[sessions];
    this.sessionsOf = new KcpChannel[sessions];
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
    udp[k] =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new KcpClientCodecBuilder()
                    .config(transport.config())
                    .option(KcpChannelOption.FEC, transport.fec())
                    .build())
            .bind(new InetSocketAddress(0))
            .sync()
            .channel();
    return ((InetSocketAddress) udp[k].localAddress()).getPort();
  }

  @Override
  void connect(int k) throws Exception {
    sessionsOf[k] =
        KcpChannel.newBootstrap(udp[k])
            .remoteAddress(server)
            .option(KcpChannelOption.KCP_CONFIG, transport.config())
            .option(KcpChannelOption.DEFAULT_DELIVERY, workload.delivery().engineDelivery())
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg; // owned here, released below
                    try {
                      echo(b.getIntLE(b.readerIndex()), System.nanoTime());
                    } finally {
                      b.release();
                    }
                  }
                })
            .connect()
            .sync()
            .getNow();
  }

  @Override
  void send(int k, byte[] message, int size) {
    KcpChannel ch = sessionsOf[k];
    ch.writeAndFlush(ch.alloc().buffer(size).writeBytes(message, 0, size)); // ownership passes
  }

  @Override
  long clientRetransmits() throws Exception {
    long sum = 0;
    for (KcpChannel ch : sessionsOf) {
      if (ch != null) {
        sum += ch.eventLoop().submit(() -> ch.counters().retransmittedSegments).get();
      }
    }
    return sum;
  }

  @Override
  void close() {
    for (int k = 0; k < sessions; k++) {
      try {
        if (sessionsOf[k] != null) {
          sessionsOf[k].close().await(2_000);
        }
        if (udp[k] != null) {
          udp[k].close().await(2_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
