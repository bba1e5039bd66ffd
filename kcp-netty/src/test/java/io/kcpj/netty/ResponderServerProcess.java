package io.kcpj.netty;

import io.kcpj.core.KcpConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A KCP server run in a child JVM by {@link MemoryBudgetProcessTest}: the server a hurried
 * application would write, with kcp-netty's defaults (the memory budget is a quarter of this JVM's
 * heap) and a handler that answers every request with {@value #FACTOR} times its bytes, writing
 * without looking at writability. Arguments: {@code default} or a memory budget in bytes.
 *
 * <p>It prints {@code listening PORT BUDGET} once bound; then for each line {@code metrics} on its
 * standard input one line {@code metrics KEY=VALUE ...}; it exits when its input ends.
 */
public final class ResponderServerProcess {
  static final int FACTOR = 100;

  private ResponderServerProcess() {}

  /**
   * Answers each request with FACTOR times its size; the answer starts with the request's first 8
   * bytes.
   */
  @Sharable
  static final class Responder extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf request = (ByteBuf) msg;
      int n = request.readableBytes() * FACTOR;
      ByteBuf answer = ctx.alloc().buffer(n);
      answer.writeBytes(request, request.readerIndex(), Math.min(8, request.readableBytes()));
      answer.writeZero(n - answer.readableBytes());
      request.release();
      ctx.write(answer); // no writability check: the memory budget is what protects this server
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }

  /** This JVM's CPU time (all threads), in nanoseconds. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static long gcMillis() {
    long t = 0;
    for (java.lang.management.GarbageCollectorMXBean b :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, b.getCollectionTime());
    }
    return t;
  }

  static long gcCount() {
    long n = 0;
    for (java.lang.management.GarbageCollectorMXBean b :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, b.getCollectionCount());
    }
    return n;
  }

  /** The longest collection (G1: a pause; its concurrent cycles excluded) since the last take. */
  static final class Pauses {
    private long max;

    Pauses() {
      for (java.lang.management.GarbageCollectorMXBean b :
          java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
        if (b.getName().contains("Concurrent")) {
          continue; // G1's concurrent cycle runs beside the application
        }
        ((javax.management.NotificationEmitter) b)
            .addNotificationListener(
                (n, h) -> {
                  var info =
                      com.sun.management.GarbageCollectionNotificationInfo.from(
                          (javax.management.openmbean.CompositeData) n.getUserData());
                  record(info.getGcInfo().getDuration());
                },
                null,
                null);
      }
    }

    synchronized void record(long millis) {
      max = Math.max(max, millis);
    }

    synchronized long takeMax() {
      long m = max;
      max = 0;
      return m;
    }
  }

  static final Pauses pauses = new Pauses();

  public static void main(String[] args) throws Exception {
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    KcpServerCodecBuilder builder =
        new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(new Responder());
    if (args.length > 0 && !args[0].equals("default")) {
      builder.option(KcpChannelOption.MEMORY_BUDGET, Long.parseLong(args[0]));
    }
    KcpServerCodec codec = builder.build();
    Channel channel =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, 4 << 20)
            .option(ChannelOption.SO_SNDBUF, 4 << 20)
            .handler(codec)
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    System.out.println(
        "listening "
            + ((InetSocketAddress) channel.localAddress()).getPort()
            + " "
            + codec.metrics().memoryBudget());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("metrics")) {
        KcpCodecMetrics m = codec.metrics();
        System.out.println(
            "metrics open="
                + m.sessionsOpen()
                + " opened="
                + m.sessionsOpened()
                + " bytesHeld="
                + m.bytesHeld()
                + " budgetClosed="
                + m.sessionsClosed(KcpCloseReason.MEMORY_BUDGET)
                + " noProgressClosed="
                + m.sessionsClosed(KcpCloseReason.NO_PROGRESS)
                + " heapUsed="
                + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                + " cpuNanos="
                + cpuNanos()
                + " gcMillis="
                + gcMillis()
                + " gcCount="
                + gcCount()
                + " gcMaxPauseMillis="
                + pauses.takeMax());
        System.out.flush();
      }
    }
    channel.close().sync();
    group.shutdownGracefully().sync();
  }
}
