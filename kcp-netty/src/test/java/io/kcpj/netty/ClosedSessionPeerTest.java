package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a kcpj client observes when the server closes its plain-KCP session (idle timeout here;
 * {@code NO_PROGRESS}, {@code MEMORY_BUDGET}, {@code UNVALIDATED_TIMEOUT} and an application's
 * {@code close()} end the same way) and the client goes on. Plain KCP has no reset: the server
 * drops the conversation's later datagrams (only a data segment with sn 0 opens a session), counted
 * as {@link KcpDropReason#CLOSED_SESSION} for a minute after the close ({@link ClosedSessions}),
 * then as {@link KcpDropReason#UNKNOWN_SESSION} (or {@code UNKNOWN_CONV} when the address has other
 * sessions), and sends nothing back. The client learns only through its own dead-link rule: its
 * next segment is retransmitted {@code DEAD_LINK} (20) times, with a growing timeout, and then the
 * channel closes with {@link KcpCloseReason#DEAD_LINK}. A client with nothing in flight never
 * learns. Virtual time, no loss, 10 ms each way, {@code KcpConfig.fast()} on both ends.
 */
class ClosedSessionPeerTest {
  static final long SERVER_IDLE_MILLIS = 10_000;

  LossyEchoHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.finish();
    }
    LeakCheck.assertNoLeaks();
  }

  LossyEchoHarness.Checker connectAndGoQuiet() {
    h =
        new LossyEchoHarness(
            1,
            0,
            10,
            new KcpServerCodecBuilder()
                .config(KcpConfig.fast())
                .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, SERVER_IDLE_MILLIS));
    LossyEchoHarness.Checker c = h.connect(7);
    c.send();
    h.run(1_000, false);
    assertEquals(1, c.expected, "echoed");
    assertTrue(c.session.isActive());
    h.run(SERVER_IDLE_MILLIS + 1_000, false); // the client is quiet: the server's idle timeout
    assertEquals(List.of("7:IDLE_TIMEOUT"), h.serverEvents.closed);
    return c;
  }

  /**
   * The client sends again after the server closed the session: nothing comes back, every datagram
   * is dropped and counted, and the client closes with DEAD_LINK after 20 transmissions of its
   * segment: 264.7 s later with this configuration (its timeout grows by half at each
   * retransmission, from a few tens of ms to a minute and more, so almost all of the wait is in the
   * last few).
   */
  @Test
  void aClientThatSendsAfterTheServerClosedLearnsOnlyByItsDeadLinkRule() {
    LossyEchoHarness.Checker c = connectAndGoQuiet();
    long dropsBefore = h.server.metrics().datagramsDropped(KcpDropReason.UNKNOWN_SESSION);
    long sentAt = h.now();
    c.send();
    long closedAt = -1;
    for (int s = 0; s < 6000 && closedAt < 0; s++) {
      h.run(100, false);
      if (!c.session.isActive()) {
        closedAt = h.now();
      }
    }
    assertTrue(closedAt > 0, "the client never closed");
    long waited = closedAt - sentAt;
    System.out.println("client closed " + c.session.closeReason() + " after " + waited + " ms");
    assertEquals(KcpCloseReason.DEAD_LINK, c.session.closeReason());
    assertEquals(1, c.expected, "nothing more was echoed");
    assertEquals(0, h.server.metrics().sessionsOpen(), "no session was reopened");
    // Dropped: as CLOSED_SESSION for a minute after the close, then as strays.
    long closedDrops = h.server.metrics().datagramsDropped(KcpDropReason.CLOSED_SESSION);
    long strays = h.server.metrics().datagramsDropped(KcpDropReason.UNKNOWN_SESSION) - dropsBefore;
    System.out.println(
        "dropped: " + closedDrops + " CLOSED_SESSION, " + strays + " UNKNOWN_SESSION");
    assertTrue(closedDrops + strays >= 20, closedDrops + " + " + strays + " datagrams dropped");
    assertTrue(closedDrops >= 10, closedDrops + " counted as CLOSED_SESSION");
    assertTrue(strays >= 1, "after a minute, counted as strays again");
    // Measured: 264.7 s. Deterministic (virtual time, no loss); the band only says "minutes".
    assertTrue(waited > 120_000 && waited < 300_000, "closed after " + waited + " ms");
  }

  /**
   * A new opening of the same conversation (a restarted client: sn 0) still opens a session; the
   * memory of closed sessions forgets after a minute and holds at most {@value
   * ClosedSessions#CAPACITY} keys, the oldest forgotten first.
   */
  @Test
  void anOpeningStillOpensAndTheMemoryIsBounded() {
    LossyEchoHarness.Checker c = connectAndGoQuiet();
    c.session.close();
    h.run(100, false);
    LossyEchoHarness.Checker again = h.connect(7); // same address and conv, sn 0
    again.send();
    h.run(1_000, false);
    assertEquals(1, again.expected, "the restarted conversation is served");
    assertEquals(0, h.server.metrics().datagramsDropped(KcpDropReason.CLOSED_SESSION));

    ClosedSessions closed = new ClosedSessions();
    SessionKey key = new SessionKey(LossyEchoHarness.CLIENT, 9);
    assertFalse(closed.recentlyClosed(new SessionKey(LossyEchoHarness.CLIENT, 9), 1));
    closed.closed(key, 0);
    assertTrue(closed.recentlyClosed(new SessionKey(LossyEchoHarness.CLIENT, 9), 59_999));
    assertFalse(closed.recentlyClosed(new SessionKey(LossyEchoHarness.CLIENT, 9), 60_000));
    for (int i = 0; i < ClosedSessions.CAPACITY + 10; i++) {
      closed.closed(new SessionKey(LossyEchoHarness.CLIENT, 100 + i), 1_000);
    }
    assertEquals(ClosedSessions.CAPACITY, closed.size(), "bounded");
    assertFalse(closed.recentlyClosed(new SessionKey(LossyEchoHarness.CLIENT, 100), 1_001));
  }

  /**
   * An unvalidated session's close is remembered too: the soak's live client whose session timed
   * out unvalidated is the case an operator most needs to tell from strays.
   */
  @Test
  void aLaterDatagramOfAnUnvalidatedTimeoutCountsAsClosedSession() {
    RecordingListener listener = new RecordingListener();
    EmbeddedKcp net =
        new EmbeddedKcp(
            new KcpServerCodecBuilder()
                .config(KcpConfig.fast())
                .handler(new Recorder(true))
                .sessionListener(listener)
                .build());
    try {
      java.net.InetSocketAddress peer = new java.net.InetSocketAddress("10.0.0.9", 6000);
      TestPeer p = new TestPeer(peer, 11, KcpConfig.fast()); // routed by hand below
      p.send("one");
      p.kcp.update(net.now());
      p.kcp.flush();
      net.inject(peer, p.outbox.poll());
      net.step(1);
      for (EmbeddedKcp.DatagramRecord d : net.sent) {
        p.input(d.bytes(), net.now()); // the peer gets its answer...
      }
      assertEquals(List.of("one"), p.receivedText());
      net.step(6_000); // ...but nothing it sends reaches the server
      assertEquals(List.of("11:UNVALIDATED_TIMEOUT"), listener.closed);
      p.kcp.update(net.now());
      p.kcp.flush();
      p.outbox.clear();
      p.send("two");
      p.kcp.update(net.now());
      p.kcp.flush();
      assertEquals(1, p.outbox.size());
      net.inject(peer, p.outbox.poll()); // "two" (sn 1): not an opening
      KcpCodecMetrics m = ((KcpServerCodec) net.channel.pipeline().last()).metrics();
      assertEquals(1, m.datagramsDropped(KcpDropReason.CLOSED_SESSION));
      assertEquals(0, m.datagramsDropped(KcpDropReason.UNKNOWN_SESSION));
    } finally {
      net.finish();
    }
  }

  /**
   * With {@code MAX_RTO} capping the back-off (2 s here), the dead-link rule fires far sooner:
   * measured 24.5 s after the send instead of 264.7 s.
   */
  @Test
  void maxRtoShortensTheDeadLinkWait() {
    LossyEchoHarness.Checker c = connectAndGoQuiet();
    c.session.config().setOption(KcpChannelOption.MAX_RTO, 2_000);
    h.run(1, false);
    long sentAt = h.now();
    c.send();
    long closedAt = -1;
    for (int s = 0; s < 3000 && closedAt < 0; s++) {
      h.run(100, false);
      if (!c.session.isActive()) {
        closedAt = h.now();
      }
    }
    long waited = closedAt - sentAt;
    System.out.println(
        "with MAX_RTO 2 s: client closed " + c.session.closeReason() + " after " + waited + " ms");
    assertEquals(KcpCloseReason.DEAD_LINK, c.session.closeReason());
    assertTrue(closedAt > 0 && waited < 45_000, "closed after " + waited + " ms");
  }

  /** A client with nothing in flight (it only listens) never learns that the server closed. */
  @Test
  void aClientWithNothingInFlightNeverLearns() {
    LossyEchoHarness.Checker c = connectAndGoQuiet();
    h.run(120_000, false);
    assertTrue(c.session.isActive(), "still open two minutes after the server closed");
    assertNull(c.session.closeReason());
  }

  /**
   * What a client can do about both: an idle timeout of its own (off by default on clients) closes
   * it once it has heard nothing for that long, whether or not it has something in flight. It fits
   * applications whose server sends at least that often (a heartbeat, or answers).
   */
  @Test
  void aClientIdleTimeoutBoundsHowLongItTakesToLearn() {
    h =
        new LossyEchoHarness(
            1,
            0,
            10,
            new KcpServerCodecBuilder()
                .config(KcpConfig.fast())
                .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, SERVER_IDLE_MILLIS),
            new KcpClientCodecBuilder().option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 30_000L));
    LossyEchoHarness.Checker c = h.connect(7);
    c.send();
    h.run(SERVER_IDLE_MILLIS + 2_000, false);
    assertEquals(List.of("7:IDLE_TIMEOUT"), h.serverEvents.closed);
    c.send(); // never answered
    h.run(30_000 - SERVER_IDLE_MILLIS - 2_000 - 1_000, false);
    assertTrue(c.session.isActive(), "open until 30 s after the last echo");
    h.run(2_000, false);
    assertEquals(KcpCloseReason.IDLE_TIMEOUT, c.session.closeReason());
  }
}
