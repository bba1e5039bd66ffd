package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KcpCodecBuilder#readCoalescing}: when the codec switches the datagram channel's {@code
 * AUTO_READ} off and on, on virtual time. (An {@code EmbeddedChannel} delivers what a test writes
 * whatever {@code AUTO_READ} says, so these tests check the codec's decisions; the real-socket runs
 * in {@link LoopbackIntegrationTest} check delivery with coalescing on.)
 */
class ReadCoalescingTest {
  static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5001);

  /** The per-read datagram limit the tests give the channel. */
  static final int READ_LIMIT = 16;

  final Recorder echo = new Recorder(true);
  final RecordingListener listener = new RecordingListener();
  EmbeddedKcp net;
  KcpServerCodec codec;

  void start(Duration pause) {
    codec =
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .readCoalescing(pause)
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 0L)
            .handler(echo)
            .sessionListener(listener)
            .build();
    net = new EmbeddedKcp(codec);
    net.channel
        .config()
        .setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(READ_LIMIT));
  }

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.finish();
    }
    LeakCheck.assertNoLeaks();
  }

  /** {@code count} datagrams of a fresh peer's messages (the first opens its session). */
  List<Object> datagrams(TestPeer p, int count) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      p.send("m" + i);
      p.kcp.update(net.now());
      p.kcp.flush();
      while (!p.outbox.isEmpty()) {
        out.add(
            new DatagramPacket(
                Unpooled.wrappedBuffer(p.outbox.poll()), EmbeddedKcp.LOCAL, p.address));
      }
    }
    return out;
  }

  void advance(long micros) {
    net.ticker.advance(micros, TimeUnit.MICROSECONDS);
    net.channel.runScheduledPendingTasks();
  }

  boolean reading() {
    return net.channel.config().isAutoRead();
  }

  @Test
  void aDrainedBurstPausesReadingForThePauseThenReadingResumes() {
    start(Duration.ofMillis(2));
    TestPeer p = new TestPeer(A, 1, KcpConfig.fast());
    net.channel.writeInbound(datagrams(p, 3).toArray());
    assertEquals(List.of("m0", "m1", "m2"), echo.messagesSnapshot(), "the burst was handled");
    assertFalse(reading(), "3 datagrams < the read limit: the socket was drained, so pause");
    advance(1_999);
    assertFalse(reading(), "still paused 1.999 ms later");
    advance(1);
    assertTrue(reading(), "reading resumes after the 2 ms pause");
    KcpCodecMetrics m = codec.metrics();
    assertEquals(1, m.readBursts());
    assertEquals(1, m.readPauses());
    assertEquals(3, m.datagramsIn());

    // The next burst pauses again.
    net.channel.writeInbound(datagrams(p, 2).toArray());
    assertFalse(reading());
    assertEquals(2, codec.metrics().readPauses());
    net.channel.releaseOutbound();
  }

  @Test
  void aLoneDatagramDoesNotPause() {
    start(Duration.ofMillis(2));
    TestPeer p = new TestPeer(A, 1, KcpConfig.fast());
    for (int i = 0; i < 3; i++) {
      net.channel.writeInbound(datagrams(p, 1).toArray());
      assertTrue(reading(), "a quiet socket: a pause would only add a wake-up");
      advance(10_000);
    }
    assertEquals(0, codec.metrics().readPauses());
    assertEquals(3, codec.metrics().readBursts());
    net.channel.releaseOutbound();
  }

  @Test
  void aReadLimitOfOneNeverPauses() {
    start(Duration.ofMillis(2));
    net.channel
        .config()
        .setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(1));
    TestPeer p = new TestPeer(A, 1, KcpConfig.fast());
    net.channel.writeInbound(datagrams(p, 4).toArray()); // as one recvmmsg would bring them
    assertTrue(reading(), "with a limit of one, a drained socket cannot be told: never pause");
    assertEquals(0, codec.metrics().readPauses());
    net.channel.releaseOutbound();
  }

  @Test
  void aBurstThatReachedTheReadLimitKeepsReading() {
    start(Duration.ofMillis(2));
    TestPeer p = new TestPeer(A, 1, KcpConfig.fast());
    List<Object> burst = datagrams(p, READ_LIMIT);
    assertEquals(READ_LIMIT, burst.size());
    net.channel.writeInbound(burst.toArray());
    assertTrue(reading(), "a burst at the read limit may have left datagrams behind: no pause");
    assertEquals(0, codec.metrics().readPauses());
    assertEquals(1, codec.metrics().readBursts());
    assertEquals(READ_LIMIT, echo.messagesSnapshot().size());
    net.channel.releaseOutbound();
  }

  @Test
  void timerWorkDuringAPauseResumesReadingAtOnce() {
    start(Duration.ofSeconds(1));
    TestPeer p = new TestPeer(A, 1, KcpConfig.fast());
    net.channel.writeInbound(datagrams(p, 2).toArray());
    net.channel.releaseOutbound(); // the echoes are lost: they stay unacknowledged
    assertFalse(reading());
    KcpChildChannel ch = (KcpChildChannel) listener.opened.get(0);
    long retransmitAt = ch.engineTimer.deadline;
    assertTrue(retransmitAt - net.now() < 1_000, "the retransmission is due within the pause");
    advance((retransmitAt - net.now()) * 1_000 - 1);
    assertFalse(reading(), "paused until the timer fires");
    advance(1);
    assertTrue(ch.engine().counters().lostSegments > 0, "the timer retransmitted the echoes");
    assertTrue(reading(), "the loop was awake for the timer, so reading resumed with it");
    net.channel.releaseOutbound();
  }

  @Test
  void anApplicationThatSwitchedAutoReadOffIsLeftAlone() {
    start(Duration.ofMillis(1));
    net.channel.config().setAutoRead(false);
    TestPeer p = new TestPeer(A, 1, KcpConfig.fast());
    net.channel.writeInbound(datagrams(p, 2).toArray());
    advance(5_000);
    assertFalse(reading(), "the codec never switches on what the application switched off");
    assertEquals(0, codec.metrics().readPauses());
    net.channel.releaseOutbound();
  }

  @Test
  void removingTheCodecDuringAPauseSwitchesReadingBackOn() {
    start(Duration.ofMillis(5));
    TestPeer p = new TestPeer(A, 1, KcpConfig.fast());
    net.channel.writeInbound(datagrams(p, 2).toArray());
    assertFalse(reading());
    net.channel.pipeline().remove(codec);
    assertTrue(reading(), "the channel is left reading as it was configured");
    net.channel.releaseOutbound();
  }

  @Test
  void withoutCoalescingReadingIsNeverPausedButBurstsAreCounted() {
    start(Duration.ZERO);
    TestPeer p = new TestPeer(A, 1, KcpConfig.fast());
    for (int i = 0; i < 3; i++) {
      net.channel.writeInbound(datagrams(p, 1).toArray());
      assertTrue(reading());
    }
    KcpCodecMetrics m = codec.metrics();
    assertEquals(3, m.readBursts());
    assertEquals(0, m.readPauses());
    assertTrue(m.toString().contains("readBursts=3"), m.toString());
    net.channel.releaseOutbound();
  }

  @Test
  void pausesOutsideZeroToOneSecondAreRefused() {
    KcpServerCodecBuilder b = new KcpServerCodecBuilder();
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> b.readCoalescing(Duration.ofNanos(-1)));
    assertTrue(negative.getMessage().contains("between 0 and"), negative.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.readCoalescing(Duration.ofMillis(1_001)));
    assertThrows(NullPointerException.class, () -> b.readCoalescing(null));
    b.readCoalescing(KcpCodecBuilder.MAX_READ_COALESCING).readCoalescing(Duration.ZERO);
    new KcpClientCodecBuilder().readCoalescing(Duration.ofMillis(1)).build();
  }
}
