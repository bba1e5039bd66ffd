package io.kcpj.netty.secure;

import static io.kcpj.netty.secure.SecureLayerLoopbackTest.await;
import static io.kcpj.netty.secure.SecureLayerLoopbackTest.fill;
import static io.kcpj.netty.secure.SecureLayerLoopbackTest.onLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Attacks on a secure server over real UDP on loopback, from a separate socket, while a healthy
 * secure session runs: forged records (valid-looking headers, a KCP data or ACK/zero-window segment
 * as body, wrong tags), replays of captured datagrams, truncations, and a flood of INITIATIONs from
 * many source ports. Every attack datagram is dropped and counted, none is accepted, the healthy
 * session loses nothing, the flood opens no session and receives at most 3× its bytes.
 */
@Tag("slow")
class SecureLayerAttackTest {
  static final byte[] PSK = fill(32, 7);
  static final KcpConfig KCP =
      KcpConfig.parse("fast,wnd=128,mtu=" + (1400 - SecureWire.TRANSPORT_OVERHEAD));
  static final int MESSAGES = 300;

  MultiThreadIoEventLoopGroup group;
  Channel server;
  SecureServerLayer serverLayer;
  KcpServerCodec serverCodec;
  final ConcurrentLinkedQueue<byte[]> wire = new ConcurrentLinkedQueue<>();
  final Random random = new Random(16);

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
                    ch.pipeline().addLast(new SecureLayerLoopbackTest.Echo());
                  }
                })
            .build();
    server = bind(new SecureLayerLoopbackTest.Sniffer(wire), serverLayer, serverCodec);
  }

  @AfterEach
  void stop() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void forgedReplayedAndTruncatedDatagramsAreAllDroppedAndTheHealthySessionLosesNothing()
      throws Exception {
    Healthy h = startHealthySession();
    // 100 messages in 20 rounds, each awaited, so that the wire holds at least 20 data records
    // (sent at once, KCP packs 100 small messages into a handful of datagrams).
    for (int round = 1; round <= 20; round++) {
      h.sendNext(5);
      h.awaitEchoes(5 * round);
    }
    List<byte[]> captured = new ArrayList<>();
    for (byte[] d : wire) {
      if ((d[0] & 0xff) == SecureWire.TYPE_TRANSPORT) {
        captured.add(d);
      }
    }
    assertTrue(captured.size() >= 10, "captured " + captured.size());
    SecureCounters before = onLoop(server, () -> copy(serverLayer.counters()));
    int sent = 0;
    try (DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      InetSocketAddress to = (InetSocketAddress) server.localAddress();
      int conv = h.conv;
      long highest = 0;
      for (byte[] d : captured) {
        highest = Math.max(highest, packetNumber(d));
      }
      for (int i = 0; i < captured.size(); i++) {
        byte[] d = captured.get(i);
        // Replay, exactly as captured.
        send(attacker, to, d);
        // Forged data: the header as captured with packet numbers ahead, a KCP PUSH as body.
        send(attacker, to, forged(d, highest + 1 + i, kcpSegment(conv, 81, i)));
        // Forged ACK and zero window: the command ACK (82) and window 0, wrong tag.
        send(attacker, to, forged(d, highest + 1_000 + i, kcpSegment(conv, 82, i)));
        // Truncated: the header only, and the record less its last byte.
        send(attacker, to, java.util.Arrays.copyOf(d, SecureWire.TRANSPORT_HEADER_SIZE));
        send(attacker, to, java.util.Arrays.copyOf(d, d.length - 1));
        sent += 5;
        if (i % 4 == 0) { // interleaved with the healthy session's traffic
          h.sendNext(1);
        }
      }
    }
    h.sendNext(MESSAGES - h.next);
    h.awaitEchoes(MESSAGES);
    final int attacks = sent;
    await(
        server,
        () -> serverLayer.counters().totalDrops() - before.totalDrops() >= attacks,
        "all " + attacks + " attack datagrams counted as drops");
    SecureCounters after = onLoop(server, () -> copy(serverLayer.counters()));
    assertEquals(attacks, after.totalDrops() - before.totalDrops(), "drops: " + after);
    h.assertAllEchoedInOrder();
    assertEquals(1, onLoop(server, () -> serverLayer.sessionCount()));
    assertEquals(1L, onLoop(server, () -> serverCodec.metrics().sessionsOpened()));
  }

  @Test
  void aSpoofedInitiationFloodOpensNothingAndIsNotAmplified() throws Exception {
    Healthy h = startHealthySession();
    h.sendNext(10);
    h.awaitEchoes(10);
    byte[] initiation = null;
    for (byte[] d : wire) {
      if ((d[0] & 0xff) == SecureWire.TYPE_INITIATION) {
        initiation = d;
      }
    }
    assertTrue(initiation != null);
    InetSocketAddress to = (InetSocketAddress) server.localAddress();
    List<DatagramSocket> sources = new ArrayList<>();
    long bytesSent = 0;
    try {
      for (int p = 0; p < 200; p++) {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        s.setSoTimeout(1);
        sources.add(s);
        for (int k = 0; k < 5; k++) {
          byte[] d = initiation.clone();
          if (k > 0) { // random Noise message under the captured INITIATION's header
            for (int j = SecureWire.INITIATION_TOKEN_OFFSET; j < d.length; j++) {
              d[j] = (byte) random.nextInt();
            }
          } // k == 0: the captured INITIATION replayed from another port
          send(s, to, d);
          bytesSent += d.length;
        }
        if (p % 20 == 0) {
          h.sendNext(1);
        }
      }
      h.sendNext(MESSAGES - h.next);
      h.awaitEchoes(MESSAGES);
      h.assertAllEchoedInOrder();
      long bytesBack = 0;
      byte[] buf = new byte[2048];
      for (DatagramSocket s : sources) {
        s.setSoTimeout(20);
        while (true) {
          try {
            DatagramPacket pk = new DatagramPacket(buf, buf.length);
            s.receive(pk);
            bytesBack += pk.getLength();
          } catch (SocketTimeoutException e) {
            break;
          }
        }
      }
      assertTrue(
          bytesBack <= 3 * bytesSent, "sent to the flood " + bytesBack + " for " + bytesSent);
      assertEquals(1L, onLoop(server, () -> serverCodec.metrics().sessionsOpened()));
      int established =
          onLoop(server, () -> serverLayer.counters().handshakesCompleted > 0 ? 1 : 0);
      assertEquals(1, established);
      assertEquals(
          1L, onLoop(server, () -> serverLayer.counters().handshakesCompleted), "handshakes");
    } finally {
      for (DatagramSocket s : sources) {
        s.close();
      }
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  static SecureCounters copy(SecureCounters c) {
    SecureCounters k = new SecureCounters();
    c.addTo(k);
    return k;
  }

  static long packetNumber(byte[] d) {
    int o = SecureWire.TRANSPORT_PACKET_NUMBER_OFFSET;
    return (d[o] & 0xffL)
        | (d[o + 1] & 0xffL) << 8
        | (d[o + 2] & 0xffL) << 16
        | (d[o + 3] & 0xffL) << 24;
  }

  /** A record with {@code d}'s header, packet number {@code pn}, {@code body} and a random tag. */
  byte[] forged(byte[] d, long pn, byte[] body) {
    byte[] f = new byte[SecureWire.TRANSPORT_HEADER_SIZE + 1 + body.length + 16];
    System.arraycopy(d, 0, f, 0, SecureWire.TRANSPORT_HEADER_SIZE);
    int o = SecureWire.TRANSPORT_PACKET_NUMBER_OFFSET;
    for (int i = 0; i < 4; i++) {
      f[o + i] = (byte) (pn >>> (8 * i));
    }
    System.arraycopy(body, 0, f, SecureWire.TRANSPORT_HEADER_SIZE + 1, body.length);
    for (int i = f.length - 16; i < f.length; i++) {
      f[i] = (byte) random.nextInt();
    }
    return f;
  }

  /** A plain KCP segment: conv, command, window 0, sn {@code sn}, 8 bytes of data for PUSH. */
  static byte[] kcpSegment(int conv, int cmd, int sn) {
    int len = cmd == 81 ? 8 : 0;
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(24 + len).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(conv).put((byte) cmd).put((byte) 0).putShort((short) 0).putInt(0).putInt(sn);
    b.putInt(sn).putInt(len);
    return b.array();
  }

  static void send(DatagramSocket s, InetSocketAddress to, byte[] d) throws Exception {
    s.send(new DatagramPacket(d, d.length, to));
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

  Healthy startHealthySession() throws Exception {
    SecureClientLayer clientLayer =
        new SecureClientLayer(SecureClientConfig.builder().psk(PSK).build());
    Channel client = bind(null, clientLayer, new KcpClientCodecBuilder().config(KCP).build());
    SecureLayerLoopbackTest.Collector c =
        new SecureLayerLoopbackTest.Collector(MESSAGES, new CountDownLatch(1));
    KcpChannel ch =
        KcpChannel.newBootstrap(client)
            .remoteAddress((InetSocketAddress) server.localAddress())
            .handler(c)
            .connect()
            .sync()
            .getNow();
    return new Healthy(ch, c);
  }

  /** The healthy session: sends numbered messages, checks their echoes. */
  final class Healthy {
    final KcpChannel ch;
    final SecureLayerLoopbackTest.Collector c;
    final int conv;

    Healthy(KcpChannel ch, SecureLayerLoopbackTest.Collector c) {
      this.ch = ch;
      this.c = c;
      this.conv = ch.conv();
    }

    int next; // the next message's number (test thread only)

    void sendNext(int count) {
      int from = next;
      int to = next + count;
      next = to;
      ch.eventLoop()
          .execute(
              () -> {
                for (int m = from; m < to; m++) {
                  ch.write(Unpooled.copiedBuffer("healthy " + m, StandardCharsets.UTF_8));
                }
                ch.flush();
              });
    }

    void awaitEchoes(int n) throws Exception {
      await(server, () -> c.received.size() >= n, n + " echoes of the healthy session");
    }

    void assertAllEchoedInOrder() {
      List<String> expected = new ArrayList<>();
      for (int m = 0; m < MESSAGES; m++) {
        expected.add("healthy " + m);
      }
      assertEquals(expected, new ArrayList<>(c.received));
    }
  }
}
