package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.EchoMessage;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.locks.LockSupport;

/**
 * One kcp-netty client of the comparison: a UDP channel (created on the calling thread, which must
 * be in the client's network namespace) with a client codec, one KCP session to the server, the
 * workload's messages sent on schedule from the calling thread, each echo's RTT recorded from the
 * message's scheduled send time on the event loop. Not reusable.
 */
final class KcpClientRun {
  private final InetSocketAddress server;
  private final KcpTransport transport;
  private final Workload workload;
  private final EventLoopGroup group;
  private final long drainNanos;
  private final WarmupGate gate;
  final EchoTally tally;
  int sent;
  volatile int localPort;
  long retransmits;
  private volatile String failure;

  /** Retransmissions counted before the measured run (warm-up). */
  private long retransmitsAtStart;

  KcpClientRun(
      InetSocketAddress server,
      KcpTransport transport,
      Workload workload,
      EventLoopGroup group,
      long drainMillis,
      WarmupGate gate) {
    this.server = server;
    this.transport = transport;
    this.workload = workload;
    this.group = group;
    this.drainNanos = drainMillis * 1_000_000L;
    this.gate = gate;
    this.tally = new EchoTally(workload);
  }

  void run() throws Exception {
    int total = workload.messageCount();
    Channel udp =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(new KcpClientCodecBuilder().config(transport.config()).build())
            .bind(new InetSocketAddress(0))
            .sync()
            .channel();
    try {
      localPort = ((InetSocketAddress) udp.localAddress()).getPort();
      KcpChannel ch =
          KcpChannel.newBootstrap(udp)
              .remoteAddress(server)
              .option(KcpChannelOption.KCP_CONFIG, transport.config())
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      ByteBuf b = (ByteBuf) msg; // owned here, released below
                      try {
                        String problem =
                            tally.onEcho(b.getIntLE(b.readerIndex()), System.nanoTime());
                        if (problem != null) {
                          failure = problem;
                        }
                      } finally {
                        b.release();
                      }
                    }
                  })
              .connect()
              .sync()
              .getNow();
      byte[] msg = new byte[workload.size()];
      for (int k = 0; k < tally.warmups(); k++) {
        EchoMessage.write(msg, msg.length, -1 - k);
        ch.writeAndFlush(ch.alloc().buffer(msg.length).writeBytes(msg));
        LockSupport.parkNanos(20_000_000L);
      }
      long warmDeadline = System.nanoTime() + WarmupGate.ECHO_TIMEOUT_NANOS;
      while (tally.warmEchoed() < tally.warmups()
          && failure == null
          && System.nanoTime() < warmDeadline) {
        LockSupport.parkNanos(2_000_000L);
      }
      retransmitsAtStart = ch.eventLoop().submit(() -> ch.counters().retransmittedSegments).get();
      gate.warmedUpAwaitStart();
      tally.start();
      for (int i = 0; i < total; i++) {
        int size = workload.messageSize(i);
        tally.awaitTurn(i);
        EchoMessage.write(msg, size, i);
        ByteBuf buf = ch.alloc().buffer(size).writeBytes(msg, 0, size);
        ch.writeAndFlush(buf); // ownership passes to the channel
        sent++;
      }
      long deadline = System.nanoTime() + drainNanos;
      while (!tally.complete() && failure == null && System.nanoTime() < deadline) {
        LockSupport.parkNanos(5_000_000L);
      }
      tally.finish();
      retransmits =
          ch.eventLoop().submit(() -> ch.counters().retransmittedSegments).get()
              - retransmitsAtStart;
      ch.close().sync();
    } finally {
      udp.close().sync();
    }
    if (failure != null) {
      throw new IOException("KCP client " + transport.name() + ": " + failure);
    }
  }
}
