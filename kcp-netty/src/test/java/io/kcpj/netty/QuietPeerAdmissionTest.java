package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.Delivery;
import io.kcpj.core.EngineSetting;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.wire.SegmentHeader;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12's soak lost a healthy session: the server closed it as {@code UNVALIDATED_TIMEOUT} while
 * its peer was alive, and dropped the rest of the conversation as {@code UNKNOWN_CONV}. These tests
 * run the admission rules against live peers through loss in virtual time: a peer that is quiet for
 * a while after its first request must keep its session even when its acknowledgements of the first
 * answer are lost, because the anti-amplification limit spends its allowance on asking the peer
 * again ({@link ProbeSegment}) and any acknowledgement validates.
 */
class QuietPeerAdmissionTest {
  EmbeddedKcp net;

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.finish();
    }
    LeakCheck.assertNoLeaks();
  }

  /**
   * 1,500 sessions of a kcpj client without padding (as a kcp-go or C client sends: 88-byte
   * requests, a 264-byte allowance), each sending one 64-byte message every 8 s for 30 s through
   * seeded 5 % loss and 10 ms delay each way, then 20 s to drain: every message is echoed once, in
   * order, and the server closes no session. Before the fix, 6 of the 1,500 lost everything after
   * their first echo (seeds 1–3).
   */
  @Test
  void quietPeersKeepTheirSessionsThroughLoss() {
    List<String> failures = new ArrayList<>();
    for (long seed = 1; seed <= 3; seed++) {
      LossyEchoHarness h = quietPeers(seed);
      h.run(30_000, true);
      h.run(20_000, false);
      for (LossyEchoHarness.Checker c : h.sessions) {
        if (!c.healthy()) {
          failures.add("seed " + seed + " " + c);
        }
      }
      if (!failures.isEmpty() || !h.serverEvents.closed.isEmpty()) {
        String closed = h.serverEvents.closed.toString();
        h.finish();
        throw new AssertionError(
            failures + ", server closed " + closed + "; timeline: " + timeline(failures, seed));
      }
      assertEquals(500, h.server.metrics().sessionsValidated(), "seed " + seed);
      h.finish();
    }
  }

  static LossyEchoHarness quietPeers(long seed) {
    LossyEchoHarness h =
        new LossyEchoHarness(
            seed,
            0.05,
            10,
            new KcpServerCodecBuilder().config(KcpConfig.fast()),
            new KcpClientCodecBuilder().option(KcpChannelOption.PAD_UNTIL_ANSWERED, 0));
    h.periodMillis = 8_000;
    for (int i = 0; i < 500; i++) {
      h.connect(i + 1);
    }
    return h;
  }

  /** The datagram fates of the first failing session, replayed (the run is deterministic). */
  static List<String> timeline(List<String> failures, long seed) {
    if (failures.isEmpty()) {
      return List.of();
    }
    String conv = failures.get(0).split(" ")[3].replace(":", "");
    List<String> lines = new ArrayList<>();
    LossyEchoHarness h = quietPeers(seed);
    h.fateLog =
        line -> {
          if (line.contains("#" + conv + " ") && lines.size() < 40) {
            lines.add(line);
          }
        };
    h.run(30_000, true);
    h.finish();
    return lines;
  }

  // ---------------------------------------------------------------------------------------------
  // The mechanism, datagram by datagram
  // ---------------------------------------------------------------------------------------------

  static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.5", 5000);

  /** Feeds the peer's queued datagrams to the server, or drops them. */
  void fromPeer(TestPeer p, boolean deliver) {
    p.kcp.update(net.now());
    p.kcp.flush();
    while (!p.outbox.isEmpty()) {
      byte[] d = p.outbox.poll();
      if (deliver) {
        net.inject(PEER, d);
      }
    }
    net.step(1);
  }

  /** The datagrams the server sent from index {@code from} on. */
  List<byte[]> sentSince(int from) {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < net.sent.size(); i++) {
      out.add(net.sent.get(i).bytes());
    }
    return out;
  }

  static int cmd(byte[] d) {
    return SegmentHeader.cmd(d, 0);
  }

  /**
   * The soak's failure, by hand: a peer sends one request, gets the answer, and both its ACK and
   * its ACK of the one retransmission are lost; then it is quiet (it has nothing in flight). Before
   * the fix the server's allowance (3 × 88 bytes) was spent on the answer and one retransmission,
   * every later retransmission was withheld, and the session closed at 5 s; the peer's next request
   * was dropped as UNKNOWN_CONV. Now the retransmission gives way to 24-byte window probes, the
   * peer's answer to one proves it got the answer, and the conversation goes on.
   */
  @Test
  void aQuietPeerWhoseAcknowledgementsAreLostIsAskedAgainAndKeepsItsSession() {
    quietPeerIsAskedAgain(Delivery.ORDERED);
  }

  /**
   * The same with the delivery extension's data segments (commands 85–88) both ways: the peer's
   * request and the server's echo are unordered or sequenced. The admission rules must treat them
   * as the data they are: a withheld retransmission of one gives way to a probe. Before they did
   * (they knew only PUSH), the echo's retransmission spent the allowance, no probe went, and the
   * session closed at 5 s as UNVALIDATED_TIMEOUT with its peer alive.
   */
  @ParameterizedTest
  @EnumSource(
      value = Delivery.class,
      names = {"UNORDERED", "SEQUENCED"})
  void aQuietPeerUsingDeliveryModesIsAskedAgainAndKeepsItsSession(Delivery mode) {
    quietPeerIsAskedAgain(mode);
  }

  private void quietPeerIsAskedAgain(Delivery mode) {
    RecordingListener listener = new RecordingListener();
    KcpConfig config = KcpConfig.fast().with(EngineSetting.DELIVERY_EXTENSION, true);
    net =
        new EmbeddedKcp(
            new KcpServerCodecBuilder()
                .config(config)
                .option(KcpChannelOption.DEFAULT_DELIVERY, mode) // the echo's mode
                .handler(new Recorder(true))
                .sessionListener(listener)
                .build());
    TestPeer p = new TestPeer(PEER, 9, config); // no padding; not routed by net
    p.kcp.send(new byte[64], 0, 64, mode);
    fromPeer(p, true); // 88 bytes in: an allowance of 264
    List<byte[]> answer = sentSince(0);
    assertEquals(1, answer.size());
    assertEquals(112, answer.get(0).length, "ACK + echo");
    assertEquals(
        firstCommand(mode),
        SegmentHeader.cmd(answer.get(0), SegmentHeader.HEADER_SIZE),
        "the echo's command");
    p.input(answer.get(0), net.now());
    assertEquals(1, p.received.size(), "the peer has its answer");
    fromPeer(p, false); // its ACK is lost
    KcpChannel session = listener.opened.get(0);
    assertFalse(session.isValidated());

    // The server asks again: the first thing it sends after the answer is a probe, not the
    // 88-byte retransmission, and all it sends stays within 3x what it received.
    int before = net.sent.size();
    net.step(1_000);
    List<byte[]> asked = sentSince(before);
    assertFalse(asked.isEmpty(), "the server asks again within a second");
    assertEquals(SegmentHeader.CMD_WASK, cmd(asked.get(0)));
    assertEquals(SegmentHeader.HEADER_SIZE, asked.get(0).length);
    assertTrue(net.bytesTo.get(PEER) <= 3 * 88, net.bytesTo.get(PEER) + " bytes sent");
    // The first probe's answer is lost too; the second gets through.
    p.input(asked.get(0), net.now());
    fromPeer(p, false);
    before = net.sent.size();
    net.step(2_000);
    List<byte[]> again = sentSince(before);
    assertFalse(again.isEmpty(), "asked once more");
    assertEquals(SegmentHeader.CMD_WASK, cmd(again.get(0)));
    p.input(again.get(0), net.now());
    fromPeer(p, true); // a WINS whose una (1) acknowledges the answer
    assertTrue(session.isValidated());

    // 8 s after its first request the peer sends again: it is answered.
    net.step(8_000 - 3_000);
    assertNull(session.closeReason());
    p.kcp.send(new byte[64], 0, 64, mode);
    fromPeer(p, true);
    for (byte[] d : sentSince(before)) {
      p.input(d, net.now());
    }
    assertEquals(2, p.received.size());
    assertEquals(List.of(), listener.closed);
  }

  static int firstCommand(Delivery mode) {
    return switch (mode) {
      case ORDERED -> SegmentHeader.CMD_PUSH;
      case UNORDERED -> SegmentHeader.CMD_UPUSH;
      case SEQUENCED -> SegmentHeader.CMD_SPUSH;
    };
  }

  /**
   * Any acknowledgement validates, not only the first segment's: a peer that missed the first
   * answer but acknowledges the second is validated (its una is still 0, so the engine's {@code
   * sndUna} does not move).
   */
  @Test
  void anAcknowledgementOfALaterAnswerValidates() {
    RecordingListener listener = new RecordingListener();
    net =
        new EmbeddedKcp(
            new KcpServerCodecBuilder()
                .config(KcpConfig.fast())
                .handler(new Recorder(true))
                .sessionListener(listener)
                .build());
    TestPeer p = new TestPeer(PEER, 9, KcpConfig.fast());
    p.send("one");
    fromPeer(p, true);
    fromPeer(p, false); // nothing (the first answer is never given to the peer)
    int before = net.sent.size();
    p.send("two");
    fromPeer(p, true);
    List<byte[]> second = sentSince(before);
    assertEquals(1, second.size());
    assertEquals(1, SegmentHeader.sn(second.get(0), SegmentHeader.HEADER_SIZE), "echo of 'two'");
    p.input(second.get(0), net.now());
    assertEquals(0, p.kcp.rcvNxt(), "the peer still misses the first answer");
    fromPeer(p, true); // ACK sn 1, una 0
    assertTrue(listener.opened.get(0).isValidated());
  }
}
