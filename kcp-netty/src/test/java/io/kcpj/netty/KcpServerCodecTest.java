package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.wire.SegmentHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server codec on an EmbeddedChannel in virtual time, against kcp-core peers. */
class KcpServerCodecTest {
  static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5001);
  static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 5002);

  final Recorder echo = new Recorder(true);
  final RecordingListener listener = new RecordingListener();
  EmbeddedKcp net;
  KcpServerCodec codec;

  void start(KcpServerCodecBuilder builder) {
    codec = builder.handler(echo).sessionListener(listener).build();
    net = new EmbeddedKcp(codec);
  }

  void start() {
    start(new KcpServerCodecBuilder().config(KcpConfig.fast()));
  }

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.finish();
    }
    LeakCheck.assertNoLeaks();
  }

  static byte[] segment(int conv, int cmd, int sn, byte[] payload) {
    byte[] b = new byte[SegmentHeader.HEADER_SIZE + payload.length];
    SegmentHeader.write(b, 0, conv, cmd, 0, 128, 0, sn, 0, payload.length);
    System.arraycopy(payload, 0, b, SegmentHeader.HEADER_SIZE, payload.length);
    return b;
  }

  @Test
  void firstPushOpensSessionAndMessagesEcho() {
    start();
    TestPeer p = net.peer(new TestPeer(A, 7, KcpConfig.fast()));
    p.send("hello");
    p.send("world");
    net.step(30);
    assertEquals(1, listener.opened.size());
    KcpChannel ch = listener.opened.get(0);
    assertEquals(7, ch.conv());
    assertEquals(A, ch.remoteAddress());
    assertTrue(ch.isActive());
    assertEquals(List.of("hello", "world"), echo.messagesSnapshot());
    assertEquals(List.of("hello", "world"), p.receivedText());
    assertEquals("active", echo.events.get(0));
    KcpCodecMetrics m = codec.metrics();
    assertEquals(1, m.sessionsOpened());
    assertEquals(1, m.sessionsOpen());
    assertEquals(0, m.datagramsDropped());
    assertTrue(m.engineCounters().segmentsIn >= 2);
    assertEquals(10, ch.counters().payloadBytesSent);
  }

  /**
   * A client whose first message is unordered or sequenced opens with the delivery extension's
   * command, not a PUSH: the server must take that as an opening too (it did not, and every such
   * session was dropped as a stray).
   */
  @Test
  void aFirstUnorderedOrSequencedMessageOpensASession() {
    start(new KcpServerCodecBuilder().config(KcpConfig.game()));
    TestPeer unordered = net.peer(new TestPeer(A, 11, KcpConfig.game()));
    TestPeer sequenced = net.peer(new TestPeer(B, 12, KcpConfig.game()));
    byte[] u = "unordered".getBytes(StandardCharsets.UTF_8);
    byte[] q = "sequenced".getBytes(StandardCharsets.UTF_8);
    unordered.kcp.send(u, 0, u.length, io.kcpj.core.Delivery.UNORDERED);
    sequenced.kcp.send(q, 0, q.length, io.kcpj.core.Delivery.SEQUENCED);
    net.step(30);
    assertEquals(2, codec.metrics().sessionsOpened());
    assertEquals(0, codec.metrics().datagramsDropped());
    assertEquals(List.of("unordered"), unordered.receivedText());
    assertEquals(List.of("sequenced"), sequenced.receivedText());
  }

  @Test
  void sessionsAreDemultiplexedByAddressAndConv() {
    start();
    TestPeer a1 = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    TestPeer a2 = net.peer(new TestPeer(A, 2, KcpConfig.fast()));
    TestPeer b1 = net.peer(new TestPeer(B, 1, KcpConfig.fast()));
    for (int i = 0; i < 20; i++) {
      a1.send("a1-" + i);
      a2.send("a2-" + i);
      b1.send("b1-" + i);
    }
    net.step(50);
    assertEquals(3, codec.sessionCount());
    for (TestPeer p : List.of(a1, a2, b1)) {
      List<String> expected = new ArrayList<>();
      String prefix = (p.address.equals(A) ? "a" : "b") + p.kcp.conv() + "-";
      for (int i = 0; i < 20; i++) {
        expected.add(prefix + i);
      }
      assertEquals(expected, p.receivedText(), "echoes of " + prefix);
    }
  }

  @Test
  void malformedAndStrayDatagramsAreDroppedAndCounted() {
    start();
    TestPeer healthy = net.peer(new TestPeer(A, 9, KcpConfig.fast()));
    healthy.send("first");
    net.step(20);
    assertEquals(1, codec.sessionCount());

    net.inject(B, new byte[10]); // shorter than a header
    byte[] badLength = segment(3, SegmentHeader.CMD_PUSH, 0, new byte[4]);
    badLength[SegmentHeader.LEN_OFFSET] = 100; // len runs past the end
    net.inject(B, badLength);
    net.inject(B, segment(3, SegmentHeader.CMD_ACK, 0, new byte[0])); // not an opening
    net.inject(B, segment(3, SegmentHeader.CMD_PUSH, 5, new byte[3])); // PUSH but sn 5
    net.inject(A, segment(4, SegmentHeader.CMD_WASK, 0, new byte[0])); // known address, new conv
    byte[] garbage = segment(9, 99, 0, new byte[0]); // the healthy session's conv, bad command
    net.inject(A, garbage);

    KcpCodecMetrics m = codec.metrics();
    assertEquals(2, m.datagramsDropped(KcpDropReason.MALFORMED));
    assertEquals(2, m.datagramsDropped(KcpDropReason.UNKNOWN_SESSION));
    assertEquals(1, m.datagramsDropped(KcpDropReason.UNKNOWN_CONV));
    assertEquals(1, m.datagramsDropped(KcpDropReason.ENGINE_REJECTED));
    assertEquals(6, listener.dropped.size());
    assertEquals(1, codec.sessionCount());

    healthy.send("second");
    net.step(20);
    assertEquals(List.of("first", "second"), healthy.receivedText());
    assertTrue(echo.errors.isEmpty());
  }

  @Test
  void floodOfNewAddressesBeyondTheLimitIsRejected() {
    start(new KcpServerCodecBuilder().config(KcpConfig.fast()).maxSessions(5));
    List<TestPeer> peers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      TestPeer p =
          net.peer(
              new TestPeer(new InetSocketAddress("10.1.0." + i, 6000), 100 + i, KcpConfig.fast()));
      p.send("hi " + i);
      peers.add(p);
      net.exchange();
    }
    assertEquals(5, codec.sessionCount());
    KcpCodecMetrics m = codec.metrics();
    assertEquals(45, m.sessionsRejected());
    assertEquals(5, m.sessionsOpened());
    for (int i = 0; i < 5; i++) {
      peers.get(i).send("again " + i);
    }
    net.step(20);
    for (int i = 0; i < 5; i++) {
      assertEquals(List.of("hi " + i, "again " + i), peers.get(i).receivedText());
    }
  }

  @Test
  void writabilityFollowsTheEngineSendQueue() {
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.SEND_QUEUE_WATER_MARK, new WriteBufferWaterMark(2, 4)));
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("open");
    net.step(20);
    KcpChannel ch = listener.opened.get(0);
    assertTrue(ch.isWritable());
    p.listening = false; // nothing gets acknowledged
    for (int i = 0; i < 5; i++) {
      ch.writeAndFlush(Unpooled.copiedBuffer("m" + i, StandardCharsets.UTF_8));
    }
    net.channel.runPendingTasks();
    assertEquals(5, ch.waitSnd());
    assertFalse(ch.isWritable());
    assertEquals(List.of(false), echo.writability);
    p.listening = true;
    net.step(200); // retransmissions reach the peer, its ACKs drain the queue
    assertEquals(0, ch.waitSnd());
    assertTrue(ch.isWritable());
    assertEquals(List.of(false, true), echo.writability);
  }

  @Test
  void writesBeyondTheHardCapFailAndTooLargeMessagesFail() {
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.SEND_QUEUE_CAP, 3));
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("open");
    net.step(20);
    KcpChannel ch = listener.opened.get(0);
    p.listening = false;
    List<ChannelFuture> writes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      writes.add(ch.writeAndFlush(Unpooled.copiedBuffer("m" + i, StandardCharsets.UTF_8)));
    }
    assertTrue(writes.get(2).isSuccess());
    assertInstanceOf(KcpSendQueueFullException.class, writes.get(3).cause());
    assertEquals(3, ch.waitSnd());

    int limit = 127 * (1400 - 24);
    ChannelFuture big = ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[limit + 1]));
    assertInstanceOf(KcpMessageTooLargeException.class, big.cause());
    assertTrue(ch.isActive());
  }

  @Test
  void closeWaitsForQueuedDataThenReportsLocalClose() {
    start();
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("open");
    net.step(20);
    KcpChannel ch = listener.opened.get(0);
    p.listening = false;
    ch.write(Unpooled.copiedBuffer("last-1", StandardCharsets.UTF_8));
    ch.writeAndFlush(Unpooled.copiedBuffer("last-2", StandardCharsets.UTF_8));
    ChannelFuture closed = ch.close();
    net.step(100);
    assertFalse(closed.isDone(), "close waits while data is unacknowledged");
    assertTrue(ch.isOpen());
    assertInstanceOf(
        java.nio.channels.ClosedChannelException.class,
        ch.writeAndFlush(Unpooled.copiedBuffer("late", StandardCharsets.UTF_8)).cause());
    p.listening = true;
    net.step(300);
    assertTrue(closed.isSuccess());
    assertFalse(ch.isOpen());
    assertEquals(KcpCloseReason.LOCAL_CLOSE, ch.closeReason());
    assertEquals(List.of("open", "last-1", "last-2"), p.receivedText());
    assertEquals(List.of("1:LOCAL_CLOSE"), listener.closed);
    assertEquals(1, codec.metrics().sessionsClosed(KcpCloseReason.LOCAL_CLOSE));
    assertEquals(0, codec.sessionCount());
  }

  /** Plain KCP: abort closes at once with LOCAL_ABORT, discarding what is queued. */
  @Test
  void abortClosesAtOnceWithItsCodeAndDiscardsTheQueue() {
    start();
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("open");
    net.step(20);
    KcpChannel ch = listener.opened.get(0);
    p.listening = false;
    ch.writeAndFlush(Unpooled.copiedBuffer("never sent again", StandardCharsets.UTF_8));
    ChannelFuture closed = ch.abort(17);
    assertTrue(closed.isSuccess(), "closed at once, without waiting for the queue");
    assertFalse(ch.isOpen());
    assertEquals(KcpCloseReason.LOCAL_ABORT, ch.closeReason());
    assertEquals(17, ch.abortCode());
    assertEquals(List.of("1:LOCAL_ABORT"), listener.closed);
    assertEquals(1, codec.metrics().sessionsClosed(KcpCloseReason.LOCAL_ABORT));
    assertEquals(0, codec.sessionCount());
    assertThrows(IllegalArgumentException.class, () -> ch.abort(-1));
  }

  @Test
  void closeGivesUpAfterTheCloseTimeout() {
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.CLOSE_TIMEOUT_MILLIS, 500L));
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("open");
    net.step(20);
    KcpChannel ch = listener.opened.get(0);
    p.listening = false;
    ch.writeAndFlush(Unpooled.copiedBuffer("never acked", StandardCharsets.UTF_8));
    ChannelFuture closed = ch.close();
    net.step(499);
    assertFalse(closed.isDone());
    net.step(2);
    assertTrue(closed.isDone());
    assertEquals(KcpCloseReason.CLOSE_TIMEOUT, ch.closeReason());
  }

  @Test
  void deadLinkFiresTheExceptionThenCloses() {
    start(
        new KcpServerCodecBuilder().config(KcpConfig.fast()).option(KcpChannelOption.DEAD_LINK, 4));
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("open");
    net.step(20);
    KcpChannel ch = listener.opened.get(0);
    p.listening = false;
    ch.writeAndFlush(Unpooled.copiedBuffer("into the void", StandardCharsets.UTF_8));
    net.step(5_000);
    assertFalse(ch.isOpen());
    assertEquals(KcpCloseReason.DEAD_LINK, ch.closeReason());
    assertEquals(1, echo.errors.size());
    assertInstanceOf(KcpDeadLinkException.class, echo.errors.get(0));
    int ex = echo.events.indexOf("exception:KcpDeadLinkException");
    int inactive = echo.events.indexOf("inactive:DEAD_LINK");
    assertTrue(ex >= 0 && inactive > ex, "exception before close: " + echo.events);
    assertEquals(List.of("1:DEAD_LINK"), listener.closed);
  }

  @Test
  void idleSessionsTimeOutButBusyOnesDoNot() {
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 1_000L));
    TestPeer idle = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    TestPeer busy = net.peer(new TestPeer(B, 2, KcpConfig.fast()));
    idle.send("x");
    busy.send("y");
    net.step(10);
    for (int i = 0; i < 15; i++) {
      busy.send("tick " + i);
      net.step(100);
    }
    assertEquals(1, codec.sessionCount());
    assertEquals(List.of("1:IDLE_TIMEOUT"), listener.closed);
    assertEquals(KcpCloseReason.IDLE_TIMEOUT, listener.opened.get(0).closeReason());
    assertNull(listener.opened.get(1).closeReason());
  }

  @Test
  void anAcknowledgedEchoLeavesNoStaleWakeUpBehind() {
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 60_000L));
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("ping");
    net.step(5); // echoed (a retransmission entry ~rto ahead), then acknowledged
    assertEquals(List.of("ping"), p.receivedText());
    KcpChildChannel ch = (KcpChildChannel) listener.opened.get(0);
    assertFalse(ch.engineTimer.isScheduled());
    long nextWakeNanos = net.channel.runScheduledPendingTasks();
    assertTrue(
        nextWakeNanos > 59_000_000_000L,
        "the next wake-up is the idle deadline, not the old retransmission time: "
            + nextWakeNanos / 1_000_000
            + " ms");
  }

  @Test
  void theIdleTimerIsLazyButClosesOnTime() {
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 300L));
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("open");
    net.step(5);
    KcpChildChannel ch = (KcpChildChannel) listener.opened.get(0);
    long firstIdleDeadline = ch.idleTimer.deadline;
    assertTrue(ch.idleTimer.isScheduled());
    long lastInput = 0;
    for (int i = 0; i < 5; i++) {
      p.send("m" + i);
      net.step(1);
      lastInput = net.now() - 1; // delivered at the start of that step
      assertEquals(firstIdleDeadline, ch.idleTimer.deadline, "input does not move the idle entry");
      net.step(49);
    }
    assertFalse(ch.engineTimer.isScheduled(), "acknowledged: no engine timer entry");
    // The entry fires at its first deadline, finds the session not idle, and re-arms from the
    // last input.
    net.step((int) (firstIdleDeadline - net.now()) + 1);
    assertTrue(ch.isOpen());
    assertEquals(lastInput + 300, ch.idleTimer.deadline, 1);
    net.step((int) (ch.idleTimer.deadline - net.now()) - 1);
    assertTrue(ch.isOpen(), "open until its idle deadline");
    net.step(2);
    assertEquals(List.of("1:IDLE_TIMEOUT"), listener.closed);
  }

  @Test
  void aShorterIdleTimeoutSetOnALiveSessionTakesEffect() {
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 1_000L));
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("open");
    net.step(5);
    KcpChildChannel ch = (KcpChildChannel) listener.opened.get(0);
    long opened = net.now();
    ch.config().setOption(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 100L);
    assertTrue(
        ch.idleTimer.deadline <= opened + 100, "re-armed: " + (ch.idleTimer.deadline - opened));
    net.step(100);
    assertEquals(List.of("1:IDLE_TIMEOUT"), listener.closed);
    // And switching it off removes the entry.
    TestPeer q = net.peer(new TestPeer(B, 2, KcpConfig.fast()));
    q.send("open");
    net.step(5);
    KcpChildChannel ch2 = (KcpChildChannel) listener.opened.get(1);
    ch2.config().setOption(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 0L);
    assertFalse(ch2.idleTimer.isScheduled());
    net.step(1_500);
    assertTrue(ch2.isOpen());
  }

  @Test
  void closingTheDatagramChannelClosesEverySession() {
    start();
    for (int i = 0; i < 3; i++) {
      net.peer(new TestPeer(A, 10 + i, KcpConfig.fast())).send("s" + i);
    }
    net.step(20);
    assertEquals(3, codec.sessionCount());
    net.channel.close();
    net.channel.runPendingTasks();
    assertEquals(0, codec.sessionCount());
    assertEquals(3, codec.metrics().sessionsClosed(KcpCloseReason.PARENT_CLOSED));
    for (KcpChannel ch : listener.opened) {
      assertFalse(ch.isOpen());
      assertEquals(KcpCloseReason.PARENT_CLOSED, ch.closeReason());
    }
    assertEquals(3, echo.inactive.size());
  }

  @Test
  void aBatchOfDatagramsIsFlushedOnceAtReadComplete() {
    start(new KcpServerCodecBuilder().config(KcpConfig.fast()));
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("open");
    net.step(20);
    Recorder ignored = echo; // the echo handler flushes once per readComplete
    int flushesBefore = net.parentFlushes;
    // Three datagrams, one read batch: three messages, all echoed, one parent flush.
    List<Object> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      p.send("b" + i);
      p.kcp.update(net.now());
      p.kcp.flush();
      while (!p.outbox.isEmpty()) {
        batch.add(
            new io.netty.channel.socket.DatagramPacket(
                Unpooled.wrappedBuffer(p.outbox.poll()), EmbeddedKcp.LOCAL, A));
      }
    }
    assertEquals(3, batch.size());
    net.channel.writeInbound(batch.toArray());
    assertEquals(flushesBefore + 1, net.parentFlushes);
    List<Object> out = new ArrayList<>();
    for (Object o; (o = net.channel.readOutbound()) != null; ) {
      out.add(o);
    }
    assertEquals(1, out.size(), "ACKs and echoes of the batch leave in one datagram");
    ((io.netty.channel.socket.DatagramPacket) out.get(0)).release();
    assertTrue(ignored.messages.contains("b2"));
  }

  @Test
  void idleSessionsAreNotPolled() {
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 0L));
    for (int i = 0; i < 20; i++) {
      net.peer(new TestPeer(A, 10 + i, KcpConfig.fast())).send("s" + i);
    }
    net.step(50);
    assertEquals(20, codec.sessionCount());
    assertEquals(0, codec.timer().size(), "acknowledged, idle sessions hold no timer entry");
    long delay = net.channel.runScheduledPendingTasks();
    assertTrue(delay == -1, "no timer task left scheduled, next delay was " + delay);
  }

  @Test
  void inFlightSessionsSleepUntilTheirRetransmissionNotEveryInterval() {
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 0L));
    TestPeer p = net.peer(new TestPeer(A, 7, KcpConfig.fast()));
    p.send("hello");
    net.step(5);
    assertEquals(List.of("hello"), p.receivedText(), "echoed");
    KcpChildChannel ch = (KcpChildChannel) listener.opened.get(0);
    // The peer goes silent: the echo stays unacknowledged.
    p.listening = false;
    p.send("again");
    net.step(2);
    long now = net.now();
    int rto = ch.engine().rto();
    assertTrue(rto > 2 * ch.engine().interval(), "rto " + rto + " spans several intervals");
    assertEquals(1, ch.engine().waitSnd());
    // Its timer entry is the retransmission time (about now + rto), not the next interval tick.
    assertTrue(
        ch.engineTimer.deadline >= now + rto - 2,
        "deadline " + (ch.engineTimer.deadline - now) + " ms ahead, rto " + rto);
    net.step((int) (ch.engineTimer.deadline - now) - 1);
    assertEquals(0, ch.engine().counters().lostSegments, "no retransmission before the deadline");
    net.step(1);
    assertEquals(1, ch.engine().counters().lostSegments, "retransmitted at it");
  }

  @Test
  void optionsAreValidatedAndAppliedToTheEngine() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new KcpServerCodecBuilder().option(KcpChannelOption.INTERVAL, 5));
    assertThrows(
        IllegalArgumentException.class,
        () -> new KcpServerCodecBuilder().option(KcpChannelOption.MTU, 10));
    assertThrows(
        IllegalArgumentException.class,
        () -> new KcpServerCodecBuilder().option(KcpChannelOption.MAX_SESSIONS, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new KcpServerCodecBuilder().option(KcpChannelOption.NODELAY, 3));
    start(
        new KcpServerCodecBuilder()
            .config(KcpConfig.parse("fast,wnd=256"))
            .option(KcpChannelOption.MTU, 1200));
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    p.send("open");
    net.step(20);
    KcpChildChannel ch = (KcpChildChannel) listener.opened.get(0);
    assertEquals(256, ch.engine().sendWindow());
    assertEquals(1200, ch.engine().mtu());
    assertEquals(10, ch.engine().interval());
    assertEquals(1200, ch.config().getOption(KcpChannelOption.MTU));
    assertTrue(ch.config().setOption(KcpChannelOption.INTERVAL, 20));
    assertEquals(20, ch.engine().interval());
    assertThrows(
        IllegalArgumentException.class,
        () -> ch.config().setOption(KcpChannelOption.SEND_WINDOW, 0));
  }

  @Test
  void messageBoundariesHoldForMultiFragmentMessages() {
    start();
    TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
    byte[] big = new byte[5000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    p.send(big);
    p.send(new byte[0]);
    net.step(50);
    assertEquals(2, p.received.size());
    assertEquals(5000, p.received.get(0).length);
    assertTrue(java.util.Arrays.equals(big, p.received.get(0)));
    assertEquals(0, p.received.get(1).length);
  }

  static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }
}
