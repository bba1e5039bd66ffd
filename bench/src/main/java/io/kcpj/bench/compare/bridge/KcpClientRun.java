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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
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
  volatile int localPort;
  long goodputBytes;
  long durationMillis;
  long retransmits;
  private volatile String failure;

  private final WarmupGate gate;
  private volatile int warmEchoed;
  /** Retransmissions counted before the measured run (warm-up). */
  private long retransmitsAtStart;

  KcpClientRun(InetSocketAddress server, KcpTransport transport, Workload workload,
      EventLoopGroup group, long drainMillis, WarmupGate gate) {
    this.server = server;
    this.transport = transport;
    this.workload = workload;
    this.group = group;
    this.drainNanos = drainMillis * 1_000_000L;
    this.gate = gate;
  }

  void run() throws Exception {
    int total = workload.messageCount();
    boolean[] received = new boolean[total];
    long[] start = new long[1];
    boolean bulk = workload.kind() == Workload.Kind.BULK;
    AtomicLongArray sentAt = new AtomicLongArray(bulk ? total : 0);
    Semaphore window = new Semaphore(Workload.BULK_OUTSTANDING);
    long[] lastEcho = new long[1];
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
                if (seq < 0) {
                  warmEchoed++; // a warm-up echo: not measured
                  return;
                }
                if (seq >= total || received[seq]) {
                  failure = "unexpected echo of message " + seq;
                  return;
                }
                received[seq] = true;
                long reference = bulk ? sentAt.get(seq) : start[0] + workload.scheduledNanos(seq);
                synchronized (rtt) {
                  rtt.recordValue(Math.max(0, (now - reference) / 1000));
                }
                lastEcho[0] = now;
                echoed++;
                if (bulk) {
                  window.release();
                }
              } finally {
                b.release();
              }
            }
          }).connect().sync().getNow();
      byte[] msg = new byte[workload.size()];
      int warmups = bulk ? WarmupGate.BULK_CHUNKS : WarmupGate.MESSAGES;
      for (int k = 0; k < warmups; k++) {
        EchoMessage.write(msg, msg.length, -1 - k);
        ch.writeAndFlush(ch.alloc().buffer(msg.length).writeBytes(msg));
        LockSupport.parkNanos(20_000_000L);
      }
      long warmDeadline = System.nanoTime() + WarmupGate.ECHO_TIMEOUT_NANOS;
      while (warmEchoed < warmups && failure == null && System.nanoTime() < warmDeadline) {
        LockSupport.parkNanos(2_000_000L);
      }
      retransmitsAtStart = ch.eventLoop().submit(() -> ch.counters().retransmittedSegments).get();
      gate.warmedUpAwaitStart();
      start[0] = System.nanoTime() + (bulk ? 0 : 50_000_000L);
      for (int i = 0; i < total; i++) {
        int size = workload.messageSize(i);
        if (bulk) {
          window.acquire();
          sentAt.set(i, System.nanoTime());
        } else {
          long due = start[0] + workload.scheduledNanos(i);
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        EchoMessage.write(msg, size, i);
        ByteBuf buf = ch.alloc().buffer(size).writeBytes(msg, 0, size);
        ch.writeAndFlush(buf); // ownership passes to the channel
        sent++;
      }
      long deadline = System.nanoTime() + drainNanos;
      while (echoed < total && failure == null && System.nanoTime() < deadline) {
        LockSupport.parkNanos(5_000_000L);
      }
      long end = bulk && echoed == total ? lastEcho[0] : System.nanoTime();
      durationMillis = (end - start[0]) / 1_000_000;
      goodputBytes = (bulk ? Math.min(workload.bulkBytes(), (long) echoed * workload.size())
          : (long) sent * workload.size()) + (long) echoed * workload.responseSize();
      retransmits = ch.eventLoop().submit(() -> ch.counters().retransmittedSegments).get()
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
