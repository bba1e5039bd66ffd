package io.kcpj.netty;

import io.kcpj.core.KcpConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A kcpj server codec and a kcpj client codec, each on its own EmbeddedChannel, on one virtual
 * clock, joined by a link with seeded random loss and a fixed delay each way: the soak of issue 12
 * in virtual time. Clients send one numbered message a second per session and check that each echo
 * comes back once and in order.
 */
final class LossyEchoHarness {
  static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 4000);
  static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 5000);
  static final int MESSAGE_BYTES = 64;

  final MockTicker ticker = Ticker.newMockTicker();
  final RecordingListener serverEvents = new RecordingListener();
  final KcpServerCodec server;
  final KcpClientCodec client;
  final EmbeddedChannel serverChannel;
  final EmbeddedChannel clientChannel;
  final List<Checker> sessions = new ArrayList<>();
  final SplittableRandom random;
  final double loss;
  final long delayMillis;
  private final PriorityQueue<InFlight> link = new PriorityQueue<>();
  private long order;

  /** Optional: every datagram's fate, for a timeline of a failing case. */
  Consumer<String> fateLog;

  record InFlight(long at, long order, boolean toServer, byte[] bytes)
      implements Comparable<InFlight> {
    @Override
    public int compareTo(InFlight o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
    }
  }

  /** How often each session sends a message. */
  long periodMillis = 1000;

  LossyEchoHarness(long seed, double loss, long delayMillis, KcpServerCodecBuilder serverBuilder) {
    this(seed, loss, delayMillis, serverBuilder, new KcpClientCodecBuilder());
  }

  LossyEchoHarness(
      long seed,
      double loss,
      long delayMillis,
      KcpServerCodecBuilder serverBuilder,
      KcpClientCodecBuilder clientBuilder) {
    this.random = new SplittableRandom(seed);
    this.loss = loss;
    this.delayMillis = delayMillis;
    this.server = serverBuilder.handler(new Echo()).sessionListener(serverEvents).build();
    this.client = clientBuilder.config(KcpConfig.fast()).build();
    this.serverChannel = EmbeddedChannel.builder().ticker(ticker).handlers(server).build();
    this.clientChannel = EmbeddedChannel.builder().ticker(ticker).handlers(client).build();
  }

  long now() {
    return ticker.nanoTime() / 1_000_000L;
  }

  Checker connect(int conv) {
    Checker c = new Checker(conv);
    c.session =
        KcpChannel.newBootstrap(clientChannel)
            .remoteAddress(SERVER)
            .conv(conv)
            .handler(c)
            .connect()
            .getNow();
    sessions.add(c);
    return c;
  }

  /**
   * Runs {@code millis} of virtual time in 1 ms steps; session i sends at {@code (i % 100) * 10} ms
   * past each whole second while {@code sending}.
   */
  void run(long millis, boolean sending) {
    for (long i = 0; i < millis; i++) {
      ticker.advance(1, TimeUnit.MILLISECONDS);
      long now = now();
      if (sending && now % 10 == 0) {
        long slots = periodMillis / 10;
        int t = (int) ((now / 10) % slots);
        for (int s = t; s < sessions.size(); s += slots) {
          sessions.get(s).send();
        }
      }
      serverChannel.runScheduledPendingTasks();
      clientChannel.runScheduledPendingTasks();
      exchange(now);
    }
  }

  private void exchange(long now) {
    for (int round = 0; round < 100; round++) {
      serverChannel.runPendingTasks();
      clientChannel.runPendingTasks();
      boolean moved = take(serverChannel, false, now) | take(clientChannel, true, now);
      List<Object> toServer = new ArrayList<>();
      List<Object> toClient = new ArrayList<>();
      while (!link.isEmpty() && link.peek().at <= now) {
        InFlight d = link.poll();
        moved = true;
        if (d.toServer) {
          toServer.add(new DatagramPacket(Unpooled.wrappedBuffer(d.bytes), SERVER, CLIENT));
        } else {
          toClient.add(new DatagramPacket(Unpooled.wrappedBuffer(d.bytes), CLIENT, SERVER));
        }
      }
      if (!toServer.isEmpty()) {
        serverChannel.writeInbound(toServer.toArray());
      }
      if (!toClient.isEmpty()) {
        clientChannel.writeInbound(toClient.toArray());
      }
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("exchange did not settle");
  }

  /** Moves what a channel wrote onto the link, losing some. */
  private boolean take(EmbeddedChannel ch, boolean toServer, long now) {
    boolean moved = false;
    for (Object o; (o = ch.readOutbound()) != null; ) {
      moved = true;
      DatagramPacket p = (DatagramPacket) o;
      byte[] bytes = ByteBufUtil.getBytes(p.content());
      p.release();
      boolean lost = random.nextDouble() < loss;
      if (fateLog != null) {
        fateLog.accept(
            now
                + " "
                + (toServer ? "c>s " : "s>c ")
                + (lost ? "LOST " : "sent ")
                + Segments.describe(bytes));
      }
      if (!lost) {
        link.add(new InFlight(now + delayMillis, order++, toServer, bytes));
      }
    }
    return moved;
  }

  void finish() {
    clientChannel.finishAndReleaseAll();
    serverChannel.finishAndReleaseAll();
  }

  /** Echoes every message. */
  @Sharable
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }

  /** One client session: numbered messages out, their echoes checked. */
  static final class Checker extends ChannelInboundHandlerAdapter {
    final int conv;
    KcpChannel session;
    long sent;
    long expected;
    long duplicated;
    long outOfOrder;

    Checker(int conv) {
      this.conv = conv;
    }

    void send() {
      ByteBuf m = session.alloc().buffer(MESSAGE_BYTES);
      m.writeLong(sent).writeZero(MESSAGE_BYTES - 8);
      sent++;
      session.writeAndFlush(m);
    }

    boolean healthy() {
      return sent == expected && duplicated == 0 && outOfOrder == 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf m = (ByteBuf) msg;
      long n = m.getLong(m.readerIndex());
      m.release();
      if (n == expected) {
        expected++;
      } else if (n < expected) {
        duplicated++;
      } else {
        outOfOrder++;
        expected = n + 1;
      }
    }

    @Override
    public String toString() {
      return "conv "
          + conv
          + ": sent "
          + sent
          + ", echoed in order "
          + expected
          + ", duplicated "
          + duplicated
          + ", out of order "
          + outOfOrder;
    }
  }
}
