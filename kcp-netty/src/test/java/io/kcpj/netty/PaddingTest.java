package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.Kcp;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.wire.SegmentHeader;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client session pads its datagrams until the server first sends data ({@link
 * KcpChannelOption#PAD_UNTIL_ANSWERED}): the padded datagrams are valid KCP that a plain engine
 * reads exactly as the unpadded ones, and a server's anti-amplification limit then lets a first
 * answer of up to three times the padding through.
 */
class PaddingTest {
  static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.9", 4000);

  EmbeddedChannel client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.finishAndReleaseAll();
    }
    LeakCheck.assertNoLeaks();
  }

  KcpChannel connect(KcpClientCodecBuilder builder) {
    client = new EmbeddedChannel(builder.build());
    client.connect(new InetSocketAddress("10.0.0.1", 5000));
    KcpChannel ch =
        KcpChannel.newBootstrap(client)
            .remoteAddress(SERVER)
            .conv(7)
            .handler(new Recorder(false))
            .connect()
            .syncUninterruptibly()
            .getNow();
    return ch;
  }

  List<byte[]> sent() {
    client.runPendingTasks();
    List<byte[]> out = new ArrayList<>();
    for (Object o; (o = client.readOutbound()) != null; ) {
      DatagramPacket p = (DatagramPacket) o;
      out.add(ByteBufUtil.getBytes(p.content()));
      p.release();
    }
    return out;
  }

  static int segments(byte[] d) {
    int n = 0;
    int at = 0;
    while (at + SegmentHeader.HEADER_SIZE <= d.length) {
      at += SegmentHeader.HEADER_SIZE + (int) SegmentHeader.len(d, at);
      n++;
    }
    assertEquals(d.length, at, "whole segments");
    return n;
  }

  @Test
  void aClientPadsUntilTheServerSendsDataAndThePaddingChangesNothingAtAPlainEngine() {
    KcpChannel ch = connect(new KcpClientCodecBuilder().config(KcpConfig.fast()));
    ch.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
    List<byte[]> first = sent();
    assertEquals(1, first.size());
    byte[] d = first.get(0);
    assertEquals(1200, d.length);
    assertEquals(2, segments(d)); // the PUSH and the padding
    int pad = SegmentHeader.HEADER_SIZE + 5;
    assertEquals(SegmentHeader.CMD_WINS, SegmentHeader.cmd(d, pad));
    assertEquals(SegmentHeader.wnd(d, 0), SegmentHeader.wnd(d, pad));
    assertEquals(SegmentHeader.una(d, 0), SegmentHeader.una(d, pad));
    assertEquals(7, SegmentHeader.conv(d, pad));

    // A plain engine (the server) reads it as the unpadded datagram: one message, state as usual.
    List<byte[]> answers = new ArrayList<>();
    Kcp server =
        new Kcp(
            7,
            KcpConfig.fast(),
            out -> {
              byte[] b = new byte[out.remaining()];
              out.get(b);
              answers.add(b);
            });
    server.update(0);
    assertEquals(Kcp.INPUT_OK, server.input(d, 0, d.length));
    byte[] m = new byte[64];
    assertEquals(5, server.recv(m, 0, m.length));
    assertEquals(0, server.counters().inputErrors());
    assertEquals(128, server.remoteWindow());

    // Until the server answers with data, the client keeps padding (its ACK-only reply too).
    server.flush(); // an ACK, no data
    for (byte[] a : answers) {
      client.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(a), null, SERVER));
    }
    answers.clear();
    ch.writeAndFlush(Unpooled.copiedBuffer("again", StandardCharsets.UTF_8));
    assertEquals(List.of(1200), sent().stream().map(b -> b.length).toList());

    // Data from the server: no more padding.
    server.send("hi".getBytes(StandardCharsets.UTF_8), 0, 2);
    server.flush();
    for (byte[] a : answers) {
      client.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(a), null, SERVER));
    }
    ch.writeAndFlush(Unpooled.copiedBuffer("third", StandardCharsets.UTF_8));
    for (byte[] b : sent()) {
      assertTrue(b.length < 100, "unpadded: " + b.length);
    }
  }

  @Test
  void atMostTenDatagramsArePaddedAndZeroSwitchesItOff() {
    KcpChannel ch = connect(new KcpClientCodecBuilder().config(KcpConfig.fast()));
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      ch.writeAndFlush(Unpooled.copiedBuffer("m" + i, StandardCharsets.UTF_8));
      for (byte[] b : sent()) {
        sizes.add(b.length);
      }
    }
    assertEquals(15, sizes.size());
    assertEquals(KcpChannelOption.PADDED_DATAGRAMS, sizes.stream().filter(s -> s == 1200).count());
    client.finishAndReleaseAll();

    KcpChannel off =
        connect(
            new KcpClientCodecBuilder()
                .config(KcpConfig.fast())
                .option(KcpChannelOption.PAD_UNTIL_ANSWERED, 0));
    off.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
    assertEquals(List.of(29), sent().stream().map(b -> b.length).toList());
  }

  @Test
  void thePaddingIsCappedAtTheMtu() {
    KcpChannel ch =
        connect(
            new KcpClientCodecBuilder().config(KcpConfig.fast()).option(KcpChannelOption.MTU, 576));
    ch.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
    assertEquals(List.of(576), sent().stream().map(b -> b.length).toList());
  }

  @Test
  void aPaddedFirstRequestGetsAThreeTimesLargerFirstAnswerThroughTheServersLimit() {
    // The server answers 10 bytes with 3,000: more than 3x the unpadded 34-byte request, less
    // than 3x the padded 1,200.
    KcpServerCodec serverCodec =
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .handler(new KcpServerAdmissionTest.Amplifier(300))
            .build();
    EmbeddedKcp net = new EmbeddedKcp(serverCodec);
    try {
      KcpChannel ch = connect(new KcpClientCodecBuilder().config(KcpConfig.fast()));
      Recorder answers = (Recorder) ch.pipeline().last();
      ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[10]));
      for (int round = 0; round < 5; round++) {
        for (byte[] b : sent()) {
          net.inject(new InetSocketAddress("10.0.0.1", 5000), b);
        }
        net.channel.runPendingTasks();
        for (Object o; (o = net.channel.readOutbound()) != null; ) {
          DatagramPacket p = (DatagramPacket) o;
          client.writeInbound(new DatagramPacket(p.content(), null, SERVER));
        }
      }
      assertEquals(List.of(3_000), answers.messages.stream().map(String::length).toList());
      assertEquals(0, serverCodec.metrics().datagramsWithheld());
      assertEquals(1, serverCodec.metrics().validations());
    } finally {
      net.finish();
    }
  }
}
