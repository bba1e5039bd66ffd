package io.kcpj.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EmbeddedChannel} carrying a KCP codec on virtual time, with {@link TestPeer}s as the
 * far ends: {@link #step(long)} advances the clock, runs due timers, and moves datagrams both ways.
 */
final class EmbeddedKcp {
  static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 4000);

  final MockTicker ticker = Ticker.newMockTicker();
  final EmbeddedChannel channel;
  final Map<InetSocketAddress, List<TestPeer>> peers = new HashMap<>();

  /** Datagrams from the codec to addresses with no peer. */
  final List<byte[]> unrouted = new ArrayList<>();

  /** Bytes the codec sent to each address (peer or not), and every datagram it sent. */
  final Map<InetSocketAddress, Long> bytesTo = new HashMap<>();

  final List<DatagramRecord> sent = new ArrayList<>();

  /** One datagram the codec wrote. */
  record DatagramRecord(InetSocketAddress recipient, byte[] bytes) {}

  int parentFlushes;

  EmbeddedKcp(ChannelHandler codec) {
    ChannelHandler flushCounter =
        new ChannelOutboundHandlerAdapter() {
          @Override
          public void flush(ChannelHandlerContext ctx) {
            parentFlushes++;
            ctx.flush();
          }
        };
    channel = EmbeddedChannel.builder().ticker(ticker).handlers(flushCounter, codec).build();
  }

  long now() {
    return ticker.nanoTime() / 1_000_000L;
  }

  TestPeer peer(TestPeer p) {
    peers.computeIfAbsent(p.address, a -> new ArrayList<>()).add(p);
    return p;
  }

  /** Sends raw bytes as one datagram from {@code from}, in its own read batch. */
  void inject(InetSocketAddress from, byte[] datagram) {
    channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), LOCAL, from));
  }

  /** Moves every queued datagram both ways until quiet (at the current time). */
  void exchange() {
    for (int round = 0; round < 100; round++) {
      channel.runPendingTasks();
      boolean moved = deliverOutbound();
      long now = now();
      List<DatagramPacket> batch = new ArrayList<>();
      for (List<TestPeer> list : peers.values()) {
        for (TestPeer p : list) {
          p.kcp.update(now);
          p.kcp.flush();
          while (!p.outbox.isEmpty()) {
            batch.add(
                new DatagramPacket(Unpooled.wrappedBuffer(p.outbox.poll()), LOCAL, p.address));
          }
        }
      }
      if (!batch.isEmpty()) {
        channel.writeInbound(batch.toArray());
        moved = true;
      }
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("exchange did not settle");
  }

  /** Advances the clock by {@code millis} in 1 ms steps, exchanging at each. */
  void step(long millis) {
    for (long i = 0; i < millis; i++) {
      ticker.advance(1, TimeUnit.MILLISECONDS);
      channel.runScheduledPendingTasks();
      exchange();
    }
  }

  private boolean deliverOutbound() {
    boolean moved = false;
    for (Object o; (o = channel.readOutbound()) != null; ) {
      moved = true;
      DatagramPacket p = (DatagramPacket) o;
      try {
        byte[] bytes = ByteBufUtil.getBytes(p.content());
        bytesTo.merge(p.recipient(), (long) bytes.length, Long::sum);
        sent.add(new DatagramRecord(p.recipient(), bytes));
        List<TestPeer> list = peers.get(p.recipient());
        if (list == null) {
          unrouted.add(bytes);
          continue;
        }
        int conv = p.content().getIntLE(p.content().readerIndex());
        for (TestPeer peer : list) {
          if (peer.kcp.conv() == conv && peer.listening) {
            peer.input(bytes, now());
          }
        }
      } finally {
        p.release();
      }
    }
    return moved;
  }

  /** Releases everything left in the channel and closes it. */
  void finish() {
    channel.finishAndReleaseAll();
  }

  static byte[] copy(ByteBuf buf) {
    return ByteBufUtil.getBytes(buf);
  }
}
