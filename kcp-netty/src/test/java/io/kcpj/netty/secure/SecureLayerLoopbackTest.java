package io.kcpj.netty.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.secure.SecureDrop;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secure sessions under unchanged KCP codecs, over real UDP sockets on loopback: handshake, echo
 * exactly once and in order, nothing in clear on the wire; a wrong pre-shared key and plain KCP
 * never reach the server's codec.
 */
class SecureLayerLoopbackTest {
  static final byte[] PSK = fill(32, 7);
  static final KcpConfig KCP =
      KcpConfig.parse("fast,wnd=128,mtu=" + (1400 - SecureWire.TRANSPORT_OVERHEAD));
  static final int SESSIONS = 3;
  static final int MESSAGES = 200;

  MultiThreadIoEventLoopGroup group;
  Channel server;
  SecureServerLayer serverLayer;
  KcpServerCodec serverCodec;
  final ConcurrentLinkedQueue<byte[]> wire = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void startServer() throws Exception {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    serverLayer =
        new SecureServerLayer(SecureServerConfig.builder().psk(PSK).build(), false, 1_000, 100);
    serverCodec =
        new KcpServerCodecBuilder()
            .config(KCP)
            .handler(
                new ChannelInitializer<KcpChannel>() {
                  @Override
                  protected void initChannel(KcpChannel ch) {
                    ch.pipeline().addLast(new Echo());
                  }
                })
            .build();
    server = bind(new Sniffer(wire), serverLayer, serverCodec);
  }

  @AfterEach
  void stop() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void handshakeThenEchoExactlyOnceInOrderWithNothingInClear() throws Exception {
    SecureClientLayer clientLayer =
        new SecureClientLayer(SecureClientConfig.builder().psk(PSK).build());
    Channel client = bind(null, clientLayer, new KcpClientCodecBuilder().config(KCP).build());
    CountDownLatch done = new CountDownLatch(SESSIONS);
    List<Collector> collectors = new ArrayList<>();
    for (int s = 0; s < SESSIONS; s++) {
      Collector c = new Collector(MESSAGES, done);
      collectors.add(c);
      KcpChannel ch = connect(client, c);
      for (int m = 0; m < MESSAGES; m++) {
        ch.write(Unpooled.copiedBuffer(message(s, m), StandardCharsets.UTF_8));
      }
      ch.flush();
    }
    if (!done.await(30, TimeUnit.SECONDS)) {
      StringBuilder why = new StringBuilder("echoes not all back:");
      for (Collector c : collectors) {
        why.append(' ').append(c.received.size());
      }
      why.append("\nserver layer ").append(onLoop(server, () -> serverLayer.counters()));
      why.append("\nserver codec ").append(onLoop(server, () -> serverCodec.metrics()));
      why.append("\nclient layer ").append(onLoop(client, () -> clientLayer.counters()));
      why.append(" established ").append(onLoop(client, () -> clientLayer.establishedCount()));
      throw new AssertionError(why.toString());
    }
    for (int s = 0; s < SESSIONS; s++) {
      List<String> expected = new ArrayList<>();
      for (int m = 0; m < MESSAGES; m++) {
        expected.add(message(s, m));
      }
      assertEquals(expected, new ArrayList<>(collectors.get(s).received), "session " + s);
    }
    assertEquals(SESSIONS, onLoop(server, () -> serverLayer.sessionCount()));
    assertEquals(SESSIONS, onLoop(client, () -> clientLayer.establishedCount()));
    assertEquals(SESSIONS, onLoop(server, () -> (int) serverCodec.metrics().sessionsOpened()));
    SecureCounters sc = onLoop(server, () -> serverLayer.counters());
    assertEquals(0, sc.totalDrops(), () -> "server drops: " + sc);
    // Nothing in clear: only INITIATIONs and records arrived, and no message text in any of them.
    assertFalse(wire.isEmpty());
    byte[] needle = "secure message".getBytes(StandardCharsets.UTF_8);
    for (byte[] d : wire) {
      int type = d[0] & 0xff;
      assertTrue(type == SecureWire.TYPE_INITIATION || type == SecureWire.TYPE_TRANSPORT);
      assertEquals(-1, indexOf(d, needle), "plaintext on the wire");
    }
  }

  @Test
  void wrongPreSharedKeyNeverReachesTheCodec() throws Exception {
    SecureClientLayer clientLayer =
        new SecureClientLayer(SecureClientConfig.builder().psk(fill(32, 8)).build());
    Channel client = bind(null, clientLayer, new KcpClientCodecBuilder().config(KCP).build());
    Collector c = new Collector(1, new CountDownLatch(1));
    Future<KcpChannel> connecting =
        KcpChannel.newBootstrap(client)
            .remoteAddress((InetSocketAddress) server.localAddress())
            .handler(c)
            .connect();
    await(
        server,
        () -> serverLayer.counters().drops(SecureDrop.AUTHENTICATION_FAILED) >= 2,
        "INITIATIONs with the wrong key refused (and retransmitted)");
    assertFalse(connecting.isDone(), "no channel before the handshake completes");
    assertEquals(0, onLoop(server, () -> serverLayer.sessionCount()));
    assertEquals(0L, onLoop(server, () -> serverCodec.metrics().sessionsOpened()));
    assertEquals(0, onLoop(client, () -> clientLayer.establishedCount()));
    assertTrue(c.received.isEmpty());
    connecting.cancel(false);
  }

  @Test
  void plainKcpToASecureServerIsDroppedAndCounted() throws Exception {
    Channel client = bind(null, null, new KcpClientCodecBuilder().config(KCP).build());
    Collector c = new Collector(1, new CountDownLatch(1));
    KcpChannel ch = connect(client, c);
    ch.writeAndFlush(Unpooled.copiedBuffer(message(0, 0), StandardCharsets.UTF_8));
    await(server, () -> serverLayer.counters().totalDrops() >= 2, "plain datagrams dropped");
    assertEquals(0, onLoop(server, () -> serverLayer.sessionCount()));
    assertEquals(0L, onLoop(server, () -> serverCodec.metrics().sessionsOpened()));
    assertTrue(c.received.isEmpty());
  }

  // ------------------------------------------------------------------------------------ helpers

  static String message(int session, int m) {
    return "secure message " + session + "/" + m + " " + "x".repeat(m % 97);
  }

  static byte[] fill(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  Channel bind(ChannelHandler first, ChannelHandler layer, ChannelHandler codec) throws Exception {
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                for (ChannelHandler h : new ChannelHandler[] {first, layer, codec}) {
                  if (h != null) {
                    ch.pipeline().addLast(h);
                  }
                }
              }
            })
        .bind(new InetSocketAddress("127.0.0.1", 0))
        .sync()
        .channel();
  }

  KcpChannel connect(Channel client, Collector c) throws Exception {
    return KcpChannel.newBootstrap(client)
        .remoteAddress((InetSocketAddress) server.localAddress())
        .handler(c)
        .connect()
        .sync()
        .getNow();
  }

  static <T> T onLoop(Channel ch, Callable<T> task) throws Exception {
    return ch.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
  }

  /** Waits (at most 20 s) until {@code condition}, checked on the channel's loop every 10 ms. */
  static void await(Channel ch, Callable<Boolean> condition, String what) throws Exception {
    CompletableFuture<Void> met = new CompletableFuture<>();
    Runnable[] check = new Runnable[1];
    check[0] =
        () -> {
          try {
            if (condition.call()) {
              met.complete(null);
            } else if (!met.isDone()) {
              ch.eventLoop().schedule(check[0], 10, TimeUnit.MILLISECONDS);
            }
          } catch (Exception e) {
            met.completeExceptionally(e);
          }
        };
    ch.eventLoop().execute(check[0]);
    try {
      met.get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      met.cancel(false);
      throw new AssertionError("not within 20 s: " + what);
    }
  }

  /** Echoes every message back on the same session. */
  @ChannelHandler.Sharable
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

  /** Collects a session's echoes as text. */
  static final class Collector extends ChannelInboundHandlerAdapter {
    final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    final int expected;
    final CountDownLatch done;

    Collector(int expected, CountDownLatch done) {
      this.expected = expected;
      this.done = done;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        received.add(b.toString(StandardCharsets.UTF_8));
        if (received.size() == expected) {
          done.countDown();
        }
      } finally {
        b.release();
      }
    }
  }

  /** Records a copy of every datagram the server's socket receives. */
  static final class Sniffer extends ChannelInboundHandlerAdapter {
    final ConcurrentLinkedQueue<byte[]> wire;

    Sniffer(ConcurrentLinkedQueue<byte[]> wire) {
      this.wire = wire;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof DatagramPacket) {
        wire.add(ByteBufUtil.getBytes(((DatagramPacket) msg).content()));
      }
      ctx.fireChannelRead(msg);
    }
  }
}
