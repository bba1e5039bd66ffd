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
import org.HdrHistogram.Histogram;

/**
 * One kcp-netty client of the comparison: a UDP channel (created on the calling thread, which
 * must be in the client's network namespace) with a client codec, one KCP session to the server,
 * the workload's messages sent on schedule from the calling thread, each echo's RTT recorded from
 * the message's scheduled send time on the event loop. Not reusable.
 */
final class KcpClientRun {
  private final InetSocketAddress server;
  private final KcpTransport transport;
  private final Workload workload;
  private final EventLoopGroup group;
  private final long drainNanos;
  final Histogram rtt = new Histogram(3_600_000_000L, 3);
  volatile int echoed;
  int sent;
  int localPort;
  long goodputBytes;
  long durationMillis;
  long retransmits;
  private volatile String failure;

  KcpClientRun(InetSocketAddress server, KcpTransport transport, Workload workload,
      EventLoopGroup group, long drainMillis) {
    this.server = server;
    this.transport = transport;
    this.workload = workload;
    this.group = group;
    this.drainNanos = drainMillis * 1_000_000L;
  }

  void run() throws Exception {
    int total = workload.messageCount();
    boolean[] received = new boolean[total];
    long[] start = new long[1];
    Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new KcpClientCodecBuilder().config(transport.config()).build())
        .bind(new InetSocketAddress(0)).sync().channel();
    try {
      localPort = ((InetSocketAddress) udp.localAddress()).getPort();
      KcpChannel ch = KcpChannel.newBootstrap(udp).remoteAddress(server)
          .option(KcpChannelOption.KCP_CONFIG, transport.config())
          .handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              ByteBuf b = (ByteBuf) msg; // owned here, released below
              try {
                long now = System.nanoTime();
                int seq = b.getIntLE(b.readerIndex());
                if (seq < 0 || seq >= total || received[seq]) {
                  failure = "unexpected echo of message " + seq;
                  return;
                }
                received[seq] = true;
                synchronized (rtt) {
                  rtt.recordValue(Math.max(0, (now - start[0] - workload.scheduledNanos(seq)) / 1000));
                }
                echoed++;
              } finally {
                b.release();
              }
            }
          }).connect().sync().getNow();
      start[0] = System.nanoTime() + 50_000_000L;
      byte[] msg = new byte[workload.size()];
      for (int i = 0; i < total; i++) {
        long due = start[0] + workload.scheduledNanos(i);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        EchoMessage.write(msg, msg.length, i);
        ByteBuf buf = ch.alloc().buffer(msg.length).writeBytes(msg);
        ch.writeAndFlush(buf); // ownership passes to the channel
        sent++;
      }
      long deadline = System.nanoTime() + drainNanos;
      while (echoed < total && failure == null && System.nanoTime() < deadline) {
        LockSupport.parkNanos(5_000_000L);
      }
      durationMillis = (System.nanoTime() - start[0]) / 1_000_000;
      goodputBytes = (long) sent * workload.size() + (long) echoed * workload.responseSize();
      retransmits = ch.eventLoop().submit(() -> ch.counters().retransmittedSegments).get();
      ch.close().sync();
    } finally {
      udp.close().sync();
    }
    if (failure != null) {
      throw new IOException("KCP client " + transport.name() + ": " + failure);
    }
  }
}
