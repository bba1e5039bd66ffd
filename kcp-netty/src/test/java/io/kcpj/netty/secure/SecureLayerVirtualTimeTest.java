package io.kcpj.netty.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureTimers;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpClientCodec;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The secure layers under the KCP codecs on virtual time (two {@code EmbeddedChannel}s sharing one
 * {@link MockTicker}, a lossless link without delay): an echo costs no tick and no retransmission,
 * the layers keep no periodic timer, and their session timers (keepalive) fire at their deadlines
 * on the event loop's clock.
 */
class SecureLayerVirtualTimeTest {
  static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 4000);
  static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 5000);
  static final byte[] PSK = new byte[32];
  static final long KEEPALIVE = 2_000;
  static final SecureTimers TIMERS =
      SecureTimers.builder().keepaliveInterval(KEEPALIVE).idleTimeout(60_000).build();

  final MockTicker ticker = Ticker.newMockTicker();
  final List<Long> rtts = new ArrayList<>();
  final SecureServerLayer serverLayer =
      new SecureServerLayer(
          SecureServerConfig.builder().psk(PSK).timers(TIMERS).build(), false, 100, 100);
  final SecureClientLayer clientLayer =
      new SecureClientLayer(SecureClientConfig.builder().psk(PSK).timers(TIMERS).build());
  final KcpConfig kcp =
      KcpConfig.fast().toBuilder()
          .mtu(KcpConfig.fast().mtu() - SecureWire.TRANSPORT_OVERHEAD)
          .build();
  final KcpServerCodec serverCodec =
      new KcpServerCodecBuilder()
          .config(kcp)
          .handler(
              new ChannelInitializer<KcpChannel>() {
                @Override
                protected void initChannel(KcpChannel ch) {
                  ch.pipeline().addLast(new Echo());
                }
              })
          .build();
  final KcpClientCodec clientCodec = new KcpClientCodecBuilder().config(kcp).build();
  final EmbeddedChannel server =
      EmbeddedChannel.builder().ticker(ticker).handlers(serverLayer, serverCodec).build();
  final EmbeddedChannel client =
      EmbeddedChannel.builder().ticker(ticker).handlers(clientLayer, clientCodec).build();

  @AfterEach
  void tearDown() {
    client.finishAndReleaseAll();
    server.finishAndReleaseAll();
  }

  @Test
  void echoesCostNoTickNoRetransmissionAndNoPeriodicTimer() {
    KcpChannel session = connect();
    for (int i = 0; i < 20; i++) {
      send(session);
      step(50);
    }
    assertEquals(20, rtts.size());
    for (long rtt : rtts) {
      assertEquals(0, rtt, "every echo is back in the millisecond it was sent: " + rtts);
    }
    assertEquals(0, clientCodec.metrics().engineCounters().retransmittedSegments);
    assertEquals(0, serverCodec.metrics().engineCounters().retransmittedSegments);
    assertEquals(0, clientLayer.counters().totalDrops());
    assertEquals(0, serverLayer.counters().totalDrops());
    // Quiet now: nothing is due on either loop for a while (the codec's own 1 s housekeeping is
    // the nearest task on the server), no periodic tick of the layers.
    long clientNext = client.runScheduledPendingTasks();
    long serverNext = server.runScheduledPendingTasks();
    assertTrue(
        clientNext == -1 || clientNext >= TimeUnit.MILLISECONDS.toNanos(500),
        () -> "client's next scheduled task in " + clientNext + " ns");
    assertTrue(
        serverNext == -1 || serverNext >= TimeUnit.MILLISECONDS.toNanos(500),
        () -> "server's next scheduled task in " + serverNext + " ns");
  }

  @Test
  void keepaliveLeavesAtItsDeadlineOnTheLoopsClock() {
    KcpChannel session = connect();
    send(session);
    step(1);
    long keepalives = clientLayer.counters().keepalivesSent;
    step(KEEPALIVE - 2);
    assertEquals(keepalives, clientLayer.counters().keepalivesSent, "no PING before the deadline");
    step(2);
    assertTrue(
        clientLayer.counters().keepalivesSent > keepalives,
        "a PING once nothing was sent for the keepalive interval");
  }

  private KcpChannel connect() {
    Future<KcpChannel> connecting =
        KcpChannel.newBootstrap(client)
            .remoteAddress(SERVER)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    rtts.add(now() - b.getLong(b.readerIndex()));
                    ReferenceCountUtil.release(msg);
                  }
                })
            .connect();
    exchange(); // the handshake: the channel exists once it completed
    assertTrue(connecting.isSuccess(), () -> "connected: " + connecting.cause());
    return connecting.getNow();
  }

  private void send(KcpChannel ch) {
    ByteBuf b = Unpooled.buffer(100);
    b.writeLong(now());
    b.writeZero(92);
    ch.writeAndFlush(b);
    exchange();
  }

  private long now() {
    return ticker.nanoTime() / 1_000_000L;
  }

  /** Advances the clock by {@code millis} in 1 ms steps, running timers and moving datagrams. */
  private void step(long millis) {
    for (long i = 0; i < millis; i++) {
      ticker.advance(1, TimeUnit.MILLISECONDS);
      exchange();
    }
  }

  /** Runs due tasks on both loops and moves datagrams both ways until nothing moves. */
  private void exchange() {
    for (int round = 0; round < 100; round++) {
      client.runScheduledPendingTasks();
      server.runScheduledPendingTasks();
      client.runPendingTasks();
      server.runPendingTasks();
      boolean moved = move(client, server, CLIENT, SERVER);
      moved |= move(server, client, SERVER, CLIENT);
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("the exchange did not settle");
  }

  private static boolean move(
      EmbeddedChannel from, EmbeddedChannel to, InetSocketAddress src, InetSocketAddress dst) {
    boolean moved = false;
    for (Object o; (o = from.readOutbound()) != null; ) {
      DatagramPacket p = (DatagramPacket) o;
      to.writeInbound(new DatagramPacket(p.content(), dst, src));
      moved = true;
    }
    return moved;
  }

  /** Writes every message back. */
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }
  }
}
