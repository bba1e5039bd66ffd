package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.Kcp;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.crypt.CryptConfig;
import io.kcpj.core.crypt.CryptMethod;
import io.kcpj.core.fec.FecHeader;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.core.stack.DatagramStack;
import io.kcpj.core.stack.DatagramStackCounters;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FEC and packet encryption in the codec (EmbeddedChannel, virtual time), against a far end made of
 * kcp-core parts: an engine behind its own {@link DatagramStack}, as a kcp-go peer is built.
 */
class DatagramLayersTest {
  static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 4000);
  static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5001);
  static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 5002);
  static final CryptConfig AES = CryptConfig.fromPassphrase(CryptMethod.AES_256, "kcpj test");

  final MockTicker ticker = Ticker.newMockTicker();
  final Recorder echo = new Recorder(true);
  final RecordingListener listener = new RecordingListener();
  EmbeddedChannel channel;
  KcpServerCodec codec;
  final List<byte[]> fromCodec = new ArrayList<>();

  /** Decides, by their running number, which datagrams each direction loses. */
  IntPredicate lostToCodec = i -> false;

  IntPredicate lostToPeer = i -> false;
  int toCodec;
  int toPeer;

  void start(KcpServerCodecBuilder builder) {
    codec = builder.config(KcpConfig.fast()).handler(echo).sessionListener(listener).build();
    channel = EmbeddedChannel.builder().ticker(ticker).handlers(codec).build();
  }

  @AfterEach
  void tearDown() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
    LeakCheck.assertNoLeaks();
  }

  long now() {
    return ticker.nanoTime() / 1_000_000L;
  }

  /** An engine behind its own datagram stack: the far end. */
  final class Peer {
    final InetSocketAddress address;
    final Kcp kcp;
    final DatagramStack stack;
    final Deque<byte[]> outbox = new ArrayDeque<>();
    final List<String> received = new ArrayList<>();

    Peer(InetSocketAddress address, int conv, FecSpec fec, CryptConfig crypt) {
      this.address = address;
      this.kcp = new Kcp(conv, KcpConfig.fast(), d -> stack().send(d, now()));
      this.stack =
          DatagramStack.builder()
              .fec(fec)
              .protection(crypt == null ? null : crypt.newBlockCrypt())
              .toWire((b, off, len) -> outbox.add(java.util.Arrays.copyOfRange(b, off, off + len)))
              .toKcp((b, off, len) -> kcp.input(b, off, len))
              .build();
      if (stack.overhead() > 0) {
        kcp.setMtu(1400 - stack.overhead()); // as kcp-go reserves the layers' bytes
      }
    }

    DatagramStack stack() {
      return stack;
    }

    void send(String text) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      kcp.send(b, 0, b.length);
    }

    void input(byte[] datagram) {
      kcp.update(now());
      stack.receive(datagram, 0, datagram.length, now());
      for (int size; (size = kcp.peekSize()) >= 0; ) {
        byte[] m = new byte[size];
        kcp.recv(m, 0, size);
        received.add(new String(m, StandardCharsets.UTF_8));
      }
    }
  }

  /** One millisecond: timers, then datagrams both ways until quiet. */
  void step(Peer peer, long millis) {
    for (long t = 0; t < millis; t++) {
      ticker.advance(1, TimeUnit.MILLISECONDS);
      channel.runScheduledPendingTasks();
      for (int round = 0; round < 100; round++) {
        channel.runPendingTasks();
        boolean moved = false;
        for (Object o; (o = channel.readOutbound()) != null; ) {
          moved = true;
          DatagramPacket p = (DatagramPacket) o;
          byte[] bytes = ByteBufUtil.getBytes(p.content());
          p.release();
          fromCodec.add(bytes);
          if (!lostToPeer.test(toPeer++) && p.recipient().equals(peer.address)) {
            peer.input(bytes);
          }
        }
        peer.kcp.update(now());
        peer.kcp.flush();
        peer.stack.onTimer(now());
        List<DatagramPacket> batch = new ArrayList<>();
        while (!peer.outbox.isEmpty()) {
          byte[] d = peer.outbox.poll();
          if (!lostToCodec.test(toCodec++)) {
            batch.add(new DatagramPacket(Unpooled.wrappedBuffer(d), LOCAL, peer.address));
          }
          moved = true;
        }
        if (!batch.isEmpty()) {
          channel.writeInbound(batch.toArray());
        }
        if (!moved) {
          break;
        }
      }
    }
  }

  static String message(int i) {
    int len = i % 25 == 0 ? 3000 + i : 20 + (i * 37) % 1300;
    StringBuilder sb = new StringBuilder(len).append(i).append(':');
    while (sb.length() < len) {
      sb.append((char) ('a' + (sb.length() * 7 + i) % 26));
    }
    return sb.toString();
  }

  @Test
  void fecAndAesCarryEveryMessageAcrossLossAndRecover() {
    start(
        new KcpServerCodecBuilder()
            .option(KcpChannelOption.FEC, FecSpec.parse("10/3"))
            .option(KcpChannelOption.CRYPT, AES));
    Peer peer = new Peer(A, 42, FecSpec.parse("10/3"), AES);
    lostToCodec = i -> i % 7 == 3;
    lostToPeer = i -> i % 9 == 4;
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(message(i));
      peer.send(message(i));
    }
    step(peer, 5_000);
    assertEquals(sent, echo.messagesSnapshot(), "the server got every message, in order");
    assertEquals(sent, peer.received, "every echo came back byte-exact, in order");
    KcpCodecMetrics m = codec.metrics();
    DatagramStackCounters c = m.layerCounters();
    assertTrue(c.fecRecovered > 0, "the codec recovered lost datagrams: " + c);
    assertTrue(peer.stack.counters().fecRecovered > 0, "so did the peer");
    assertTrue(c.fecParityShardsSent > 0 && c.fecDataShardsSent > 0);
    assertEquals(c.sealed, m.datagramsOut(), "every datagram out is sealed");
    assertEquals(c.opened, m.datagramsIn(), "and every one in was opened");
    assertEquals(0, m.datagramsDropped());
    int largest = fromCodec.stream().mapToInt(b -> b.length).max().orElse(0);
    assertEquals(1400, largest, "full segments fill the wire MTU exactly: 1400 = 1372 + 8 + 20");
  }

  @Test
  void aBadChecksumIsDroppedAndCountedAndTheSessionGoesOn() {
    start(new KcpServerCodecBuilder().option(KcpChannelOption.CRYPT, AES));
    Peer peer = new Peer(A, 42, FecSpec.OFF, AES);
    peer.send("one");
    step(peer, 50);
    byte[] garbage = new byte[100];
    new java.util.SplittableRandom(1).nextBytes(garbage);
    channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(garbage), LOCAL, A));
    channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[10]), LOCAL, A));
    Peer wrongKey =
        new Peer(B, 43, FecSpec.OFF, CryptConfig.fromPassphrase(CryptMethod.AES_256, "other"));
    wrongKey.send("intruder");
    wrongKey.kcp.update(now());
    wrongKey.kcp.flush();
    for (byte[] d : wrongKey.outbox) {
      channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(d), LOCAL, B));
    }
    peer.send("two");
    step(peer, 50);
    assertEquals(List.of("one", "two"), echo.messagesSnapshot());
    assertEquals(List.of("one", "two"), peer.received);
    assertEquals(3, codec.metrics().datagramsDropped(KcpDropReason.BAD_CHECKSUM));
    assertEquals(3, codec.metrics().layerCounters().openFailures);
    assertEquals(1, codec.metrics().sessionsOpened(), "the wrong key opened nothing");
  }

  /** Sends each message in its own datagram: one per millisecond. */
  void sendSpaced(Peer peer, List<String> messages) {
    for (String m : messages) {
      peer.send(m);
      step(peer, 1);
    }
  }

  static List<String> numbered(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("m" + i);
    }
    return out;
  }

  @Test
  void aDataShardOpensASessionAndParityIsRoutedByAddress() {
    start(new KcpServerCodecBuilder().option(KcpChannelOption.FEC, FecSpec.parse("2/1")));
    Peer peer = new Peer(A, 42, FecSpec.parse("2/1"), null);
    List<String> sent = numbered(4);
    // Datagrams to the codec: data m0, data m1, parity, data m2 (lost), data m3 + ACKs, parity...
    lostToCodec = i -> i == 3;
    sendSpaced(peer, sent);
    step(peer, 5);
    assertEquals(1, listener.opened.size(), "a data shard's opening segment opened the session");
    assertEquals(sent, echo.messagesSnapshot());
    assertEquals(1, codec.metrics().layerCounters().fecRecovered, "m2 came from parity");
    assertEquals(0, codec.metrics().engineCounters().retransmittedSegments);
    // Parity from an address with no session has nowhere to go.
    byte[] parity = new byte[40];
    FecHeader.putHeader(parity, 0, 2, FecHeader.TYPE_PARITY);
    channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(parity), LOCAL, B));
    assertEquals(1, codec.metrics().datagramsDropped(KcpDropReason.UNKNOWN_SESSION));
  }

  @Test
  void fecShardsToAPlainSessionAreDecodedAsKcpGoDoes() {
    start(new KcpServerCodecBuilder());
    Peer peer = new Peer(A, 42, FecSpec.parse("3/1"), null);
    List<String> sent = numbered(40);
    lostToCodec = i -> i == 40; // late enough for the 1/1 decoder to have re-tuned to 3/1
    sendSpaced(peer, sent);
    step(peer, 5);
    assertEquals(sent, echo.messagesSnapshot());
    assertEquals(sent, peer.received);
    assertTrue(codec.metrics().layerCounters().fecRecovered >= 1, "a 1/1 decoder re-tuned to 3/1");
  }

  @Test
  void orDroppedWhenTheSessionSaysSo() {
    start(new KcpServerCodecBuilder().option(KcpChannelOption.FEC_DECODE_UNREQUESTED, false));
    Peer plain = new Peer(A, 42, FecSpec.OFF, null);
    plain.send("hello");
    step(plain, 20);
    byte[] shard = new byte[40];
    FecHeader.putHeader(shard, 0, 0, FecHeader.TYPE_DATA);
    System.arraycopy(TestSegments.push(42, 1, new byte[4]), 0, shard, 8, 28);
    channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(shard), LOCAL, A));
    assertEquals(1, codec.metrics().datagramsDropped(KcpDropReason.UNEXPECTED_FEC));
    assertEquals(1, codec.metrics().layerCounters().fecUnexpected);
  }

  @Test
  void aGroupDeadlineSendsParityForALoneDatagramFromTheTimer() {
    start(new KcpServerCodecBuilder().option(KcpChannelOption.FEC, FecSpec.parse("10/2@20ms")));
    Peer peer = new Peer(A, 42, FecSpec.parse("10/2@20ms"), null);
    peer.send("ping");
    step(peer, 5);
    assertEquals(List.of("ping"), peer.received);
    int before = fromCodec.size();
    lostToPeer = i -> true; // the echo's shards are lost from now on ... except the parity
    lostToPeer = i -> FecHeader.type(fromCodec.get(i), 0) == FecHeader.TYPE_DATA;
    peer.send("pong?");
    step(peer, 40);
    long shortParity =
        fromCodec.subList(before, fromCodec.size()).stream()
            .filter(b -> FecHeader.isShortParity(b, 0, b.length))
            .count();
    assertTrue(shortParity >= 2, "a deadline-closed group's parity went out: " + shortParity);
    assertEquals(List.of("ping", "pong?"), peer.received, "recovered from short-group parity");
    assertTrue(peer.stack.counters().fecRecovered >= 1);
    assertTrue(codec.metrics().layerCounters().fecShortGroupsSent >= 1);
  }

  @Test
  void optionsAreCheckedAndFixedOnceASessionStarts() {
    start(new KcpServerCodecBuilder().option(KcpChannelOption.FEC_DATA_SHARDS, 10));
    Peer peer = new Peer(A, 42, FecSpec.OFF, null);
    peer.send("x");
    step(peer, 10);
    KcpChannel ch = listener.opened.get(0);
    assertEquals(FecSpec.OFF, ch.config().getOption(KcpChannelOption.FEC), "parity still 0");
    assertEquals(10, ch.config().getOption(KcpChannelOption.FEC_DATA_SHARDS));
    assertThrows(
        IllegalStateException.class,
        () -> ch.config().setOption(KcpChannelOption.FEC, FecSpec.parse("3/1")));
    KcpChannelConfig config = ch.config();
    assertThrows(
        IllegalArgumentException.class,
        () -> new KcpServerCodecBuilder().option(KcpChannelOption.FEC_PARITY_SHARDS, 256));
    channel.finishAndReleaseAll();
    start(
        new KcpServerCodecBuilder()
            .option(KcpChannelOption.FEC_DATA_SHARDS, 10)
            .option(KcpChannelOption.FEC_PARITY_SHARDS, 3));
    Peer second = new Peer(B, 43, FecSpec.parse("10/3"), null);
    second.send("y");
    step(second, 10);
    assertEquals(FecSpec.parse("10/3"), listener.opened.get(1).config().fec());
    assertEquals(List.of("y"), second.received);
    assertEquals(FecSpec.OFF, config.fec());
    assertThrows(
        IllegalArgumentException.class,
        () -> KcpChannel.newBootstrap(channel).option(KcpChannelOption.CRYPT, AES));
  }

  /** A KCP PUSH segment. */
  static final class TestSegments {
    static byte[] push(int conv, int sn, byte[] payload) {
      return KcpServerCodecTest.segment(
          conv, io.kcpj.core.wire.SegmentHeader.CMD_PUSH, sn, payload);
    }
  }
}
