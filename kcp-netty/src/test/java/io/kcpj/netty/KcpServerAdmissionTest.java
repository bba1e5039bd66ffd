package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.wire.SegmentHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's admission policy on an EmbeddedChannel in virtual time: validation, the unvalidated
 * timeout, the per-source cap, eviction when the table is full, and the anti-amplification limit.
 */
class KcpServerAdmissionTest {
  final Recorder echo = new Recorder(true);
  final RecordingListener listener = new RecordingListener();
  EmbeddedKcp net;
  KcpServerCodec codec;

  void start(KcpServerCodecBuilder builder) {
    codec = builder.sessionListener(listener).build();
    net = new EmbeddedKcp(codec);
  }

  KcpServerCodecBuilder echoServer() {
    return new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(echo);
  }

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.finish();
    }
    LeakCheck.assertNoLeaks();
  }

  static InetSocketAddress addr(String ip, int port) {
    return new InetSocketAddress(ip, port);
  }

  /** A forged opening: PUSH sn 0 with {@code payload} bytes, window 128, una 0. */
  static byte[] opening(int conv, int payload) {
    byte[] b = new byte[SegmentHeader.HEADER_SIZE + payload];
    SegmentHeader.write(b, 0, conv, SegmentHeader.CMD_PUSH, 0, 128, 0, 0, 0, payload);
    return b;
  }

  KcpChannel session(InetSocketAddress remote, int conv) {
    for (KcpChannel ch : listener.opened) {
      if (ch.remoteAddress().equals(remote) && ch.conv() == conv) {
        return ch;
      }
    }
    throw new AssertionError("no session " + remote + "#" + conv);
  }

  @Test
  void aSessionIsValidatedWhenItsPeerAcknowledgesWhatTheServerSent() {
    start(echoServer());
    TestPeer honest = net.peer(new TestPeer(addr("10.0.0.1", 5000), 1, KcpConfig.fast()));
    honest.send("hello");
    InetSocketAddress forged = addr("10.0.0.2", 5000);
    net.inject(forged, opening(2, 5)); // answered, but nobody acknowledges the answer
    net.step(20);
    assertEquals(List.of("hello"), honest.receivedText());
    assertTrue(session(honest.address, 1).isValidated());
    assertFalse(session(forged, 2).isValidated());
    KcpCodecMetrics m = codec.metrics();
    assertEquals(2, m.sessionsOpen());
    assertEquals(1, m.sessionsUnvalidated());
    assertEquals(1, m.sessionsValidated());
    assertEquals(1, m.validations());
  }

  @Test
  void anUnvalidatedSessionClosesAfterTheUnvalidatedTimeoutAValidatedOneLivesOn() {
    start(echoServer()); // defaults: unvalidated 5 s, idle 60 s
    TestPeer honest = net.peer(new TestPeer(addr("10.0.0.1", 5000), 1, KcpConfig.fast()));
    honest.send("hello");
    InetSocketAddress forged = addr("10.0.0.2", 5000);
    net.inject(forged, opening(2, 5));
    long opened = net.now();
    net.step(4_990);
    assertTrue(session(forged, 2).isOpen(), "open until 5 s without input");
    net.step(20);
    assertEquals(KcpCloseReason.UNVALIDATED_TIMEOUT, session(forged, 2).closeReason());
    assertTrue(session(honest.address, 1).isOpen());
    // A forged sender that keeps sending keeps its session (it pays a datagram per 5 s for it).
    net.inject(addr("10.0.0.3", 5000), opening(3, 5));
    for (int i = 0; i < 4; i++) {
      net.step(4_000);
      byte[] more = opening(3, 1);
      SegmentHeader.write(more, 0, 3, SegmentHeader.CMD_WINS, 0, 128, 0, 0, 0, 1);
      net.inject(addr("10.0.0.3", 5000), more);
    }
    assertTrue(session(addr("10.0.0.3", 5000), 3).isOpen());
    assertEquals(1, codec.metrics().sessionsClosed(KcpCloseReason.UNVALIDATED_TIMEOUT));
    assertTrue(net.now() - opened > 16_000);
  }

  @Test
  void aFullTableEvictsTheOldestUnvalidatedSessionButNeverAValidatedOne() {
    start(echoServer().maxSessions(4));
    TestPeer v1 = net.peer(new TestPeer(addr("10.0.0.1", 5000), 1, KcpConfig.fast()));
    v1.send("v1");
    net.step(10);
    for (int i = 0; i < 3; i++) {
      net.inject(addr("10.1.0." + i, 6000), opening(100 + i, 4));
      net.step(1);
    }
    assertEquals(4, codec.sessionCount());
    // A new honest client gets in: the oldest forged session (10.1.0.0) makes room.
    TestPeer v2 = net.peer(new TestPeer(addr("10.0.0.2", 5000), 2, KcpConfig.fast()));
    v2.send("v2");
    net.step(10);
    assertEquals(List.of("v2"), v2.receivedText());
    assertEquals(KcpCloseReason.EVICTED, session(addr("10.1.0.0", 6000), 100).closeReason());
    assertNull(session(addr("10.1.0.1", 6000), 101).closeReason());
    // A flood of forged openings churns through the unvalidated sessions only.
    for (int i = 0; i < 50; i++) {
      net.inject(addr("10.2." + (i / 200) + "." + (i % 200), 7000), opening(1000 + i, 4));
    }
    net.step(5);
    assertTrue(session(v1.address, 1).isOpen());
    assertTrue(session(v2.address, 2).isOpen());
    v1.send("still here");
    net.step(10);
    assertEquals(List.of("v1", "still here"), v1.receivedText());
    KcpCodecMetrics m = codec.metrics();
    assertEquals(4, m.sessionsOpen());
    assertEquals(2, m.sessionsUnvalidated());
    assertEquals(51, m.sessionsEvicted());
    assertEquals(0, m.sessionsRejected());
    // With only validated sessions left, an opening is refused.
    TestPeer v3 = net.peer(new TestPeer(addr("10.0.0.3", 5000), 3, KcpConfig.fast()));
    TestPeer v4 = net.peer(new TestPeer(addr("10.0.0.4", 5000), 4, KcpConfig.fast()));
    v3.send("v3");
    v4.send("v4");
    net.step(10);
    assertEquals(0, codec.metrics().sessionsUnvalidated());
    net.inject(addr("10.3.0.1", 7000), opening(5000, 4));
    assertEquals(1, codec.metrics().datagramsDropped(KcpDropReason.SESSION_LIMIT));
    assertEquals(4, codec.sessionCount());
  }

  @Test
  void oneSourceHoldsAtMostItsShareOfUnvalidatedSessions() {
    start(echoServer().option(KcpChannelOption.MAX_UNVALIDATED_PER_SOURCE, 3));
    for (int port = 0; port < 5; port++) {
      net.inject(addr("10.0.0.1", 6000 + port), opening(1, 4));
    }
    assertEquals(3, codec.sessionCount());
    assertEquals(2, codec.metrics().datagramsDropped(KcpDropReason.SOURCE_LIMIT));
    // IPv6: one /64 is one source; another /64 is another.
    for (int i = 1; i <= 4; i++) {
      net.inject(addr("2001:db8:0:1::" + i, 6000), opening(1, 4));
    }
    net.inject(addr("2001:db8:0:2::1", 6000), opening(1, 4));
    assertEquals(7, codec.sessionCount());
    assertEquals(3, codec.metrics().datagramsDropped(KcpDropReason.SOURCE_LIMIT));
    // A source whose sessions validate may open more: the cap counts unvalidated sessions only.
    for (int port = 0; port < 5; port++) {
      TestPeer p = net.peer(new TestPeer(addr("10.0.0.9", 7000 + port), 1, KcpConfig.fast()));
      p.send("hi");
      net.step(10);
    }
    assertEquals(12, codec.sessionCount());
    assertEquals(3, codec.metrics().datagramsDropped(KcpDropReason.SOURCE_LIMIT));
  }

  @Test
  void theDefaultPerSourceCapIsAQuarterOfTheSessionLimit() {
    start(echoServer().maxSessions(8));
    for (int port = 0; port < 5; port++) {
      net.inject(addr("10.0.0.1", 6000 + port), opening(1, 4));
    }
    assertEquals(2, codec.sessionCount());
    assertEquals(3, codec.metrics().datagramsDropped(KcpDropReason.SOURCE_LIMIT));
  }

  /** Answers every message with {@code factor} times its bytes. */
  @Sharable
  static final class Amplifier extends ChannelInboundHandlerAdapter {
    final int factor;

    Amplifier(int factor) {
      this.factor = factor;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      int n = in.readableBytes() * factor;
      in.release();
      ctx.writeAndFlush(ctx.alloc().buffer(n).writeZero(n));
    }
  }

  @Test
  void anUnvalidatedSessionSendsAtMostThreeTimesWhatItReceivedRetransmissionsIncluded() {
    start(new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(new Amplifier(10)));
    InetSocketAddress victim = addr("10.0.0.7", 5000);
    byte[] open = opening(7, 200); // 224 bytes in; the answer is 2,000 bytes (two segments)
    net.inject(victim, open);
    net.step(3_000); // retransmissions keep trying for three seconds
    long sent = net.bytesTo.getOrDefault(victim, 0L);
    assertTrue(sent > 0, "the ACK and what fits do go out");
    assertTrue(sent <= 3 * open.length, sent + " bytes sent for " + open.length + " received");
    KcpCodecMetrics m = codec.metrics();
    assertTrue(m.datagramsWithheld() > 0);
    assertTrue(m.bytesWithheld() >= 2_000);
    // Every datagram that left is whole segments: cut only at segment boundaries.
    for (EmbeddedKcp.DatagramRecord d : net.sent) {
      int at = 0;
      while (at < d.bytes().length) {
        at += SegmentHeader.HEADER_SIZE + (int) SegmentHeader.len(d.bytes(), at);
      }
      assertEquals(d.bytes().length, at, "a datagram ends at a segment boundary");
    }
    // The sender sends more: its allowance grows with it.
    byte[] more = opening(7, 400);
    SegmentHeader.write(more, 0, 7, SegmentHeader.CMD_PUSH, 0, 128, 0, 1, 0, 400);
    net.inject(victim, more);
    net.step(3_000);
    long total = net.bytesTo.get(victim);
    assertTrue(total > sent, "more was sent");
    assertTrue(total <= 3L * (open.length + more.length), total + " bytes sent");
    assertFalse(session(victim, 7).isValidated());
  }

  @Test
  void aValidatedPeerGetsTheWholeAnswer() {
    start(new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(new Amplifier(2)));
    TestPeer p = net.peer(new TestPeer(addr("10.0.0.1", 5000), 1, KcpConfig.fast()));
    p.send(new byte[400]); // 424 bytes in, 3x = 1,272 out allowed: the 800-byte answer fits
    net.step(20);
    assertEquals(List.of(800), p.received.stream().map(m -> m.length).toList());
    assertTrue(session(p.address, 1).isValidated());
    p.send(new byte[5_000]); // 10,000 bytes back, unlimited now
    net.step(50);
    assertEquals(List.of(800, 10_000), p.received.stream().map(m -> m.length).toList());
    assertEquals(0, codec.metrics().datagramsWithheld());
  }

  @Test
  void anAnswerLargerThanThreeTimesTheFirstRequestWaitsUnlessTheLimitIsOff() {
    // The price of the rule: a peer that sends 124 bytes and is answered with 1,000 gets the
    // server's ACK but not the answer, until it sends more (as QUIC, the client must help).
    start(new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(new Amplifier(10)));
    TestPeer p = net.peer(new TestPeer(addr("10.0.0.1", 5000), 1, KcpConfig.fast()));
    p.send(new byte[100]);
    net.step(1_000);
    assertEquals(0, p.received.size());
    assertEquals(0, p.kcp.waitSnd(), "the peer's request was acknowledged");
    assertFalse(session(p.address, 1).isValidated());
    p.send(new byte[300]); // 324 more bytes in: now the first answer fits
    net.step(1_000);
    assertEquals(List.of(1_000, 3_000), p.received.stream().map(m -> m.length).toList());
    assertTrue(session(p.address, 1).isValidated());
    net.finish();

    listener.opened.clear();
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.ANTI_AMPLIFICATION, false)
            .handler(new Amplifier(10)));
    TestPeer q = net.peer(new TestPeer(addr("10.0.0.1", 5000), 1, KcpConfig.fast()));
    q.send(new byte[100]);
    net.step(20);
    assertEquals(List.of(1_000), q.received.stream().map(m -> m.length).toList());
  }

  @Test
  void evictionsAndRefusalsAreSummarisedNotLoggedOneByOne() {
    List<String> lines;
    try (LogCapture log = new LogCapture(java.util.logging.Level.INFO)) {
      start(echoServer().maxSessions(10));
      TestPeer v = net.peer(new TestPeer(addr("10.0.0.1", 5000), 1, KcpConfig.fast()));
      v.send("hi");
      net.step(10);
      List<InetSocketAddress> sources = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        sources.add(addr("10.5." + (i / 250) + "." + (i % 250), 7000));
      }
      for (InetSocketAddress s : sources) {
        net.inject(s, opening(9, 4));
      }
      net.step(25_000); // two and a half summary intervals
      lines = log.messages(java.util.logging.Level.INFO);
    }
    assertEquals(1_000 - 9, codec.metrics().sessionsEvicted());
    // One line at once, one summary per 10 s interval after it.
    List<String> evictions = lines.stream().filter(l -> l.contains("(EVICTED)")).toList();
    assertEquals(2, evictions.size(), "lines: " + lines);
    assertTrue(evictions.get(0).contains(": 1 session(s) closed (EVICTED)"), evictions.get(0));
    assertTrue(evictions.get(1).contains("990 session(s) closed (EVICTED)"), evictions.get(1));
  }
}
