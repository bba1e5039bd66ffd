package io.kcpj.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.loss.ThinStreamLossDetection;
import io.kcpj.core.wire.SegmentHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The latency additions on the virtual clock, one mechanism at a time: two engines whose datagrams
 * the test carries by hand at chosen times (or drops), so every deadline is exact.
 */
class ThinStreamRecoveryTest {

  /** An engine and the datagrams it emitted, not yet carried. */
  static final class End {
    final Kcp kcp;
    final List<byte[]> out = new ArrayList<>();

    End(KcpConfig config) {
      kcp =
          new Kcp(
              1,
              config,
              d -> {
                byte[] b = new byte[d.remaining()];
                d.get(b);
                out.add(b);
              });
    }

    /** Takes the datagrams emitted so far. */
    List<byte[]> take() {
      List<byte[]> l = new ArrayList<>(out);
      out.clear();
      return l;
    }

    /** Sends a message at {@code t} and flushes at once (kcp-netty's way). */
    void sendAt(long t, int size) {
      kcp.update(t);
      kcp.send(new byte[size], 0, size);
      kcp.flush();
    }

    /** Delivers {@code datagrams} at {@code t}, then flushes (ACKs leave). */
    void receiveAt(long t, List<byte[]> datagrams) {
      kcp.update(t);
      for (byte[] d : datagrams) {
        assertEquals(Kcp.INPUT_OK, kcp.input(d, 0, d.length));
      }
      kcp.flush();
    }
  }

  static final KcpConfig THIN =
      KcpConfig.builder().noDelay(1, 10, 0, true).set(EngineSetting.THIN_STREAM, true).build();

  /** {@link #THIN} with a 10 ms minimum RTO and ACKs held up to 50 ms: the RTO gate's tests. */
  static final KcpConfig THIN_HOLDING =
      THIN.toBuilder().minRto(10).set(EngineSetting.ACK_DELAY, 50).build();

  /** The (cmd, sn) of every segment in {@code datagrams}. */
  static List<String> segments(List<byte[]> datagrams) {
    List<String> l = new ArrayList<>();
    for (byte[] d : datagrams) {
      for (int at = 0; at + SegmentHeader.HEADER_SIZE <= d.length; ) {
        l.add(SegmentHeader.cmd(d, at) + ":" + SegmentHeader.sn(d, at));
        at += SegmentHeader.HEADER_SIZE + (int) SegmentHeader.len(d, at);
      }
    }
    return l;
  }

  @Test
  void rackResendsASegmentOnceALaterOneIsAckedAndTheReorderWindowHasPassed() {
    End sender = new End(THIN);
    End receiver = new End(KcpConfig.fast());
    sender.sendAt(0, 100); // sn 0: lost
    sender.take();
    sender.sendAt(20, 100); // sn 1: arrives
    receiver.receiveAt(70, sender.take());
    sender.receiveAt(120, receiver.take()); // ACK of sn 1 (sent at 20): rackRtt 100, srtt 100
    assertEquals(100, sender.kcp.srtt());
    int window = ThinStreamLossDetection.reorderWindow(sender.kcp.srtt());
    assertEquals(25, window);
    long deadline = 0 + 100 + window; // sentAt(sn 0) + rackRtt + reorder window
    assertEquals(deadline, sender.kcp.nextEventAt(120), "the RACK deadline is the next event");
    sender.kcp.advance(deadline - 1);
    assertEquals(List.of(), segments(sender.take()), "nothing within the reorder window");
    sender.kcp.advance(deadline);
    assertEquals(List.of("81:0"), segments(sender.take()), "sn 0 resent at the deadline");
    assertEquals(1, sender.kcp.counters().fastRetransmittedSegments);
    assertEquals(0, sender.kcp.counters().lostSegments, "not a timeout (RTO is 200 ms here)");
  }

  @Test
  void rackToleratesReorderingWithinTheWindow() {
    End sender = new End(THIN);
    End receiver = new End(KcpConfig.fast());
    sender.sendAt(0, 100);
    List<byte[]> late = sender.take(); // sn 0: delayed, not lost
    sender.sendAt(20, 100);
    receiver.receiveAt(70, sender.take());
    sender.receiveAt(120, receiver.take());
    sender.kcp.advance(124);
    receiver.receiveAt(74, late); // overtaken by sn 1, its ACK comes back within the window
    sender.receiveAt(124, receiver.take());
    sender.kcp.advance(125);
    sender.kcp.advance(400);
    assertEquals(0, sender.kcp.counters().retransmittedSegments, "no spurious resend");
    assertEquals(0, sender.kcp.waitSnd());
  }

  @Test
  void theTailLossProbeResendsTheNewestSegmentAfterTwoSrttWithoutAnAck() {
    KcpConfig cfg = THIN.toBuilder().minRto(500).build();
    End sender = new End(cfg);
    End receiver = new End(KcpConfig.fast());
    sender.sendAt(0, 100);
    receiver.receiveAt(50, sender.take());
    sender.receiveAt(100, receiver.take()); // srtt 100, rto max(500, 300) = 500
    assertEquals(500, sender.kcp.rto());
    sender.sendAt(110, 100); // sn 1: lost, and nothing else in flight
    sender.take();
    long probeAt = 110 + 2 * 100; // last transmission + 2 srtt
    assertEquals(probeAt, sender.kcp.nextEventAt(110), "the probe comes before the RTO (610)");
    sender.kcp.advance(probeAt - 1);
    assertEquals(List.of(), segments(sender.take()));
    long next = sender.kcp.advance(probeAt);
    assertEquals(List.of("81:1"), segments(sender.take()), "the newest segment, once");
    assertEquals(1, sender.kcp.counters().probeSegments);
    assertEquals(0, sender.kcp.counters().lostSegments);
    assertEquals(110 + 500, next, "one probe per flight: next is the unchanged RTO");
    sender.kcp.advance(609);
    assertEquals(List.of(), segments(sender.take()), "no second probe before an ACK");
    sender.kcp.advance(610);
    assertEquals(List.of("81:1"), segments(sender.take()), "then the timeout");
    assertEquals(1, sender.kcp.counters().lostSegments);
  }

  @Test
  void inAnOutageOnlyTheOldestProbesAndHearingThePeerResendsTheRestAtOnce() {
    KcpConfig cfg = THIN.toBuilder().set(EngineSetting.MAX_RTO, 200).build();
    End sender = new End(cfg);
    End receiver = new End(cfg);
    sender.sendAt(0, 100);
    receiver.receiveAt(25, sender.take());
    sender.receiveAt(50, receiver.take()); // srtt 50: rto 50 + max(10, 100) = 150
    for (int i = 1; i <= 5; i++) {
      sender.sendAt(100 + 20L * (i - 1), 100); // sn 1..5 into a blackout
    }
    sender.take();
    List<String> probes = new ArrayList<>();
    for (long t = 181; t <= 3000; t++) {
      sender.kcp.advance(t);
      for (String s : segments(sender.take())) {
        probes.add(t + "/" + s);
      }
    }
    assertTrue(probes.size() > 5, "probes during the outage: " + probes);
    long others = probes.stream().skip(5).filter(p -> !p.endsWith("81:1")).count();
    assertEquals(0, others, "once in an outage only the oldest (sn 1) probes: " + probes);
    sender.sendAt(3000, 100); // new data is held while the path is down
    assertEquals(List.of(), segments(sender.take()), "no new data into a dark path");
    // The peer is heard again: every overdue segment, and the held one, leave at once.
    receiver.kcp.update(3010);
    receiver.kcp.send(new byte[10], 0, 10);
    receiver.kcp.flush();
    sender.receiveAt(3020, receiver.take());
    List<String> burst = segments(sender.take());
    for (int sn = 1; sn <= 6; sn++) {
      assertTrue(burst.contains("81:" + sn), "sn " + sn + " resent on resume: " + burst);
    }
  }

  @Test
  void aCopyOfTheLastSegmentRidesWithTheNextMessageWhileItSavesTime() {
    KcpConfig cfg =
        THIN.toBuilder()
            .set(EngineSetting.REDUNDANCY, 1)
            .set(EngineSetting.REDUNDANCY_BYTES, 256)
            .build();
    End sender = new End(cfg);
    End receiver = new End(KcpConfig.fast());
    sender.sendAt(0, 100);
    receiver.receiveAt(50, sender.take());
    sender.receiveAt(100, receiver.take()); // srtt 100, rto 100 + 200 = 300
    sender.sendAt(150, 100); // sn 1
    assertEquals(List.of("81:1"), segments(sender.take()));
    sender.sendAt(200, 100); // sn 2 carries a copy of sn 1 (50 ms old < rto - srtt/2 = 250)
    assertEquals(List.of("81:2", "81:1"), segments(sender.take()));
    sender.sendAt(250, 100); // sn 1 was copied once already: only sn 2's copy
    assertEquals(List.of("81:3", "81:2"), segments(sender.take()));
    assertEquals(2, sender.kcp.counters().redundantSegments);
    assertEquals(0, sender.kcp.counters().retransmittedSegments, "copies are not retransmissions");
    sender.kcp.advance(260); // a flush with nothing new: no copy rides on it
    assertEquals(List.of(), segments(sender.take()));
  }

  @Test
  void noCopyWhenTheAckComesBeforeTheNextMessageCould() {
    KcpConfig cfg = THIN.toBuilder().set(EngineSetting.REDUNDANCY, 1).build();
    End sender = new End(cfg);
    End receiver = new End(KcpConfig.fast());
    sender.sendAt(0, 100);
    receiver.receiveAt(10, sender.take());
    sender.receiveAt(20, receiver.take()); // srtt 20, rto 20 + max(10, 40) = 60
    sender.sendAt(30, 100); // sn 1, lost
    sender.take();
    sender.sendAt(80, 100); // sn 1 leaves again as the tail-loss probe (due at 30 + 2 srtt = 70)
    // in this very flush: a copy beside it would protect nothing
    assertEquals(List.of("81:1", "81:2"), segments(sender.take()));
    assertEquals(1, sender.kcp.counters().probeSegments);
    assertEquals(0, sender.kcp.counters().redundantSegments);
  }

  @Test
  void withRepeatAcksOffACopyOfADeliveredSegmentCostsNoAck() {
    KcpConfig lean = KcpConfig.fast().with(EngineSetting.REPEAT_ACKS, false);
    End sender = new End(KcpConfig.fast());
    End receiver = new End(lean);
    sender.sendAt(0, 100);
    List<byte[]> first = sender.take();
    receiver.receiveAt(10, first);
    assertEquals(List.of("82:0"), segments(receiver.take()));
    // the same segment again, with new data beside it: the new data's ACK carries una = 2
    sender.sendAt(20, 100);
    List<byte[]> both = new ArrayList<>(first);
    both.addAll(sender.take());
    receiver.receiveAt(30, both);
    assertEquals(List.of("82:1"), segments(receiver.take()), "no ACK for the repeat of sn 0");
    // a repeat alone, with nothing else to send: acknowledged (the peer may need it)
    receiver.receiveAt(40, first);
    assertEquals(List.of("82:0"), segments(receiver.take()));
  }

  @Test
  void anAckWaitsAtMostAQuarterSrttForDataToRideWith() {
    KcpConfig delayed = KcpConfig.fast().with(EngineSetting.ACK_DELAY, 50);
    End a = new End(delayed);
    End b = new End(delayed);
    a.sendAt(0, 100);
    b.receiveAt(50, a.take()); // b has no RTT sample yet: srtt/4 = 0, the ACK goes at once
    List<byte[]> ack = b.take();
    assertEquals(List.of("82:0"), segments(ack));
    a.receiveAt(100, ack); // a's srtt: 100
    b.sendAt(100, 100);
    a.receiveAt(150, b.take()); // a's own srtt is 100 (from b's ACK): a may hold 25 ms
    assertEquals(List.of(), segments(a.take()), "held");
    assertEquals(175, a.kcp.nextEventAt(150), "until 150 + min(50, 100 / 4)");
    a.sendAt(160, 100); // data goes out: the held ACK rides with it
    assertEquals(List.of("81:1", "82:0"), segments(a.take()));
    b.sendAt(200, 100);
    a.receiveAt(250, b.take());
    a.kcp.advance(274);
    assertEquals(List.of(), segments(a.take()));
    a.kcp.advance(275);
    assertEquals(List.of("82:1"), segments(a.take()), "alone at the deadline");
  }

  @Test
  void aCopyRidesWhenTheRttEqualsTheSendIntervalAndTheAckIsMissing() {
    // 4g-us's shape: a 50 ms RTT without jitter and a message every 50 ms. Each ACK arrives just as
    // the next message leaves. When one is missing, the copy with the next message arrives 25 ms
    // later; the timeout (rto = srtt + interval = 60) would resend 10 ms later still and hold the
    // next message behind the lost one.
    End sender = new End(KcpConfig.game());
    End receiver = new End(KcpConfig.fast());
    long t = 0;
    for (int i = 0; i < 20; i++, t += 50) {
      sender.sendAt(t, 100);
      receiver.receiveAt(t + 25, sender.take());
      sender.receiveAt(t + 50, receiver.take());
    }
    assertEquals(0, sender.kcp.counters().redundantSegments, "every ACK came first: no copies");
    sender.sendAt(t, 100); // sn 20, lost
    sender.take();
    sender.sendAt(t + 50, 100); // sn 21 carries a copy of sn 20 (50 ms old, younger than rto 60)
    assertEquals(List.of("81:21", "81:20"), segments(sender.take()));
    assertEquals(1, sender.kcp.counters().redundantSegments);
  }

  /**
   * One message from {@code sender} at {@code t}, delivered at t + rtt / 2, its ACK back at t +
   * rtt.
   */
  static void roundTrip(End sender, End receiver, long t, int rtt) {
    sender.sendAt(t, 100);
    receiver.receiveAt(t + rtt / 2, sender.take());
    sender.receiveAt(t + rtt, receiver.take());
  }

  /**
   * good's shape: 20 round trips from {@code t}, 200 ms apart, with an RTT alternating 70 and 90
   * ms, fed to {@code est} too. No timer fires and no ACK is late, so the gate stays closed and the
   * RTO is ikcp's throughout (checked). Returns the time after the last.
   */
  static long jitteryRoundTrips(End sender, End receiver, Estimators est, long t) {
    for (int i = 0; i < 20; i++, t += 200) {
      int rtt = i % 2 == 0 ? 70 : 90;
      roundTrip(sender, receiver, t, rtt);
      est.sample(rtt);
      assertEquals(est.coarse(), sender.kcp.rto(), "no evidence yet: ikcp's RTO");
    }
    return t;
  }

  @Test
  void aRetransmissionCountsAsSpuriousOnlyWhenItsAckEchoesAnEarlierSend() {
    End sender = new End(THIN.toBuilder().minRto(10).build());
    End receiver = new End(KcpConfig.fast());
    long t = 0;
    for (int i = 0; i < 30; i++, t += 200) {
      roundTrip(sender, receiver, t, 100);
    }

    // A real loss: the resend is what the peer gets, its ACK echoes the resend's time.
    lostFirstSend(sender, receiver, t, 100);
    assertEquals(0, sender.kcp.counters().spuriousRetransmissions, "needed, not spurious");

    // The path's jitter outruns the RTO: the ACK of the first send comes 3 ms after the resend.
    t += 400;
    int rto = sender.kcp.rto();
    sender.sendAt(t, 100);
    List<byte[]> late = sender.take();
    sender.kcp.advance(t + rto);
    assertEquals(1, segments(sender.take()).size(), "resent at the RTO");
    receiver.receiveAt(t + 50, late);
    sender.receiveAt(t + rto + 3, receiver.take()); // echoes the first send's time
    assertEquals(2, sender.kcp.counters().retransmittedSegments);
    assertEquals(1, sender.kcp.counters().spuriousRetransmissions, "Eifel: spurious");
  }

  @Test
  void aSpuriousTimeoutIsFoundWhenItsAckRidesBehindTheEchoWhoseUnaCoversIt() {
    End sender = new End(KcpConfig.game());
    End receiver = new End(KcpConfig.game());
    roundTrip(receiver, sender, 0, 100); // the receiver's srtt: now its ACKs wait for data
    sender.sendAt(200, 100);
    List<byte[]> late = sender.take();
    int rto = sender.kcp.rto();
    sender.kcp.advance(200 + rto);
    assertEquals(List.of("81:0"), segments(sender.take()), "resent by the timeout");
    receiver.receiveAt(200 + rto, late);
    assertEquals(List.of(), segments(receiver.take()), "the ACK waits for data to ride with");
    receiver.sendAt(200 + rto, 100); // the echo: its PUSH (una 1) first, the ACK of sn 0 behind
    List<byte[]> echo = receiver.take();
    assertEquals(List.of("81:1", "82:0"), segments(echo));
    sender.receiveAt(200 + rto + 5, echo);
    assertEquals(1, sender.kcp.counters().spuriousRetransmissions);
  }

  /** The sender, warmed up by 30 round trips of 100 ms, and its peer. */
  static End[] warmedUp() {
    End sender = new End(THIN.toBuilder().minRto(10).build());
    End receiver = new End(KcpConfig.fast());
    for (int i = 0; i < 30; i++) {
      roundTrip(sender, receiver, i * 200L, 100);
    }
    return new End[] {sender, receiver};
  }

  @Test
  void aRetransmissionShownUnneededByTwoAcksCountsOnce() {
    End[] ends = warmedUp();
    End sender = ends[0];
    End receiver = ends[1];
    long t = 6000;
    int rto = sender.kcp.rto();
    sender.sendAt(t, 100);
    List<byte[]> first = sender.take();
    sender.kcp.advance(t + rto);
    assertEquals(1, segments(sender.take()).size(), "resent at the RTO");
    // The path duplicated the first send: the peer acks both copies in one datagram, both ACKs
    // echoing the first send's time.
    List<byte[]> twice = new ArrayList<>(first);
    twice.addAll(first);
    receiver.receiveAt(t + 50, twice);
    List<byte[]> acks = receiver.take();
    assertEquals(List.of("82:30", "82:30"), segments(acks), "two ACKs of the same send");
    sender.receiveAt(t + rto + 3, acks);
    assertEquals(1, sender.kcp.counters().retransmittedSegments);
    assertEquals(1, sender.kcp.counters().spuriousRetransmissions, "one unneeded resend, once");
  }

  @Test
  void aSegmentResentTwiceAndAckedForEarlierSendsCountsItsLatestResendOnce() {
    End[] ends = warmedUp();
    End sender = ends[0];
    End receiver = ends[1];
    long t = 6000;
    sender.sendAt(t, 100);
    List<byte[]> first = sender.take();
    long second = t + sender.kcp.rto();
    sender.kcp.advance(second);
    List<byte[]> resend = sender.take();
    assertEquals(1, segments(resend).size(), "resent at the RTO");
    long third = sender.kcp.nextEventAt(second);
    sender.kcp.advance(third);
    assertEquals(1, segments(sender.take()).size(), "resent again at its next deadline");
    // The first send and the first resend both arrive; their ACKs (echoing the two earlier send
    // times) ride in one datagram. Only the latest resend's time is kept, so the count is 1: the
    // latest resend was unneeded for sure; the first resend's fate is not judged (a lower bound).
    List<byte[]> both = new ArrayList<>(first);
    both.addAll(resend);
    receiver.receiveAt(third + 1, both);
    List<byte[]> acks = receiver.take();
    assertEquals(List.of("82:30", "82:30"), segments(acks));
    sender.receiveAt(third + 2, acks);
    assertEquals(2, sender.kcp.counters().retransmittedSegments);
    assertEquals(1, sender.kcp.counters().spuriousRetransmissions);
  }

  @Test
  void aCopySentAfterAResendDoesNotMakeTheResendsAckLookSpurious() {
    KcpConfig cfg =
        THIN.toBuilder()
            .minRto(10)
            .set(EngineSetting.REDUNDANCY, 1)
            .set(EngineSetting.REDUNDANCY_BYTES, 256)
            .build();
    End sender = new End(cfg);
    End receiver = new End(KcpConfig.fast());
    long t = 0;
    for (int i = 0; i < 30; i++, t += 200) {
      roundTrip(sender, receiver, t, 100);
    }
    sender.sendAt(t, 100); // sn 30: lost
    sender.take();
    long resentAt = t + sender.kcp.rto();
    sender.kcp.advance(resentAt);
    List<byte[]> resend = sender.take();
    assertEquals(List.of("81:30"), segments(resend), "resent at the RTO");
    sender.sendAt(resentAt + 10, 100); // sn 31 carries a copy of sn 30, sent after the resend
    assertEquals(List.of("81:31", "81:30"), segments(sender.take()));
    assertEquals(1, sender.kcp.counters().retransmittedSegments);
    assertEquals(1, sender.kcp.counters().redundantSegments);
    receiver.receiveAt(resentAt + 20, resend); // the resend arrives; its ACK echoes its own time
    List<byte[]> acks = receiver.take();
    assertEquals(List.of("82:30"), segments(acks));
    sender.receiveAt(resentAt + 40, acks); // (the outage's end resends sn 31: not counted here)
    assertEquals(0, sender.kcp.counters().spuriousRetransmissions, "the resend was needed");
  }

  /**
   * The two RTO estimators as the engine keeps them, fed the same samples: ikcp's truncating one
   * and the finer one (srtt × 8 and 4 × rttvar, Linux's arithmetic).
   */
  static final class Estimators {
    final int interval;
    final int minRto;
    int srtt;
    int rttVar;
    int srtt8;
    int var4;

    Estimators(int interval, int minRto) {
      this.interval = interval;
      this.minRto = minRto;
    }

    void sample(int rtt) {
      if (srtt == 0) {
        srtt = rtt;
        rttVar = rtt / 2;
        srtt8 = rtt * 8;
        var4 = rtt * 2;
      } else {
        rttVar = (3 * rttVar + Math.abs(rtt - srtt)) / 4;
        srtt = Math.max((7 * srtt + rtt) / 8, 1);
        int err = rtt - (srtt8 >> 3);
        srtt8 += err;
        var4 += Math.abs(err) - (var4 >> 2);
      }
    }

    int coarse() {
      return Math.max(minRto, srtt + Math.max(interval, 4 * rttVar));
    }

    int fine() {
      return Math.max(minRto, ((srtt8 + 4) >> 3) + Math.max(interval, var4));
    }

    /** The RTO in use while the gate is open: the finer one, never below ikcp's. */
    int gated() {
      return Math.max(fine(), coarse());
    }
  }

  /**
   * One late first-send ACK: a message at {@code t} whose timer fires at the RTO (the resend is
   * lost), while the first send arrives at {@code t + 40} and its ACK 5 ms after the resend.
   * Returns the RTT sample the sender takes from it.
   */
  static int lateFirstSendAck(End sender, End receiver, long t) {
    int rto = sender.kcp.rto();
    sender.sendAt(t, 100);
    List<byte[]> first = sender.take();
    sender.kcp.advance(t + rto);
    assertEquals(1, segments(sender.take()).size(), "resent at the RTO (the resend is lost)");
    receiver.receiveAt(t + 40, first);
    sender.receiveAt(t + rto + 5, receiver.take()); // echoes the first send's time
    return rto + 5;
  }

  /**
   * One lost first send: a message at {@code t} is lost, its resend at the RTO gets through and is
   * acknowledged {@code rtt} ms later (the ACK echoes the resend's time). Returns the RTT sample.
   */
  static int lostFirstSend(End sender, End receiver, long t, int rtt) {
    int rto = sender.kcp.rto();
    sender.sendAt(t, 100);
    sender.take(); // lost
    sender.kcp.advance(t + rto);
    List<byte[]> resend = sender.take();
    assertEquals(1, segments(resend).size(), "resent at the RTO");
    receiver.receiveAt(t + rto + rtt / 2, resend);
    sender.receiveAt(t + rto + rtt, receiver.take());
    return rtt;
  }

  @Test
  void theFinerRtoAndTheLongerAckHoldApplyOnlyWhileLateFirstAcksOutnumberLostFirstSends() {
    // good's shape: an RTT of 70-90 ms. ikcp's truncating estimator puts the RTO inside what the
    // path's jitter can reach; an ACK of a first send that comes after it shows a timer that fired
    // for nothing ("late"), an ACK of a resend shows a lost first send.
    End sender = new End(THIN_HOLDING);
    End receiver = new End(KcpConfig.fast());
    Estimators est = new Estimators(10, 10);
    long t = jitteryRoundTrips(sender, receiver, est, 0);
    assertTrue(est.fine() > est.coarse(), "the finer RTO is above ikcp's here");
    assertEquals(List.of(), segments(sender.take()));

    for (int late = 1; late <= 4; late++, t += 400) {
      est.sample(lateFirstSendAck(sender, receiver, t));
      if (late < 2) {
        assertEquals(est.coarse(), sender.kcp.rto(), "one late ACK: not enough evidence");
      } else {
        assertEquals(est.gated(), sender.kcp.rto(), late + " late, none lost: the finer RTO");
      }
      for (int i = 0; i < 10; i++) { // ordinary round trips between the late ones
        t += 200;
        int rtt = i % 2 == 0 ? 70 : 90;
        roundTrip(sender, receiver, t, rtt);
        est.sample(rtt);
        assertEquals(late < 2 ? est.coarse() : est.gated(), sender.kcp.rto());
      }
    }
    assertEquals(4, sender.kcp.counters().spuriousRetransmissions);
    assertEquals(est.gated(), sender.kcp.rto(), "four late, none lost: the finer RTO");
    assertTrue(est.fine() > est.coarse());
    // A new segment's timer uses it.
    int fineRto = sender.kcp.rto();
    sender.sendAt(t, 100);
    List<byte[]> first = sender.take();
    sender.kcp.advance(t + fineRto - 1);
    assertEquals(List.of(), segments(sender.take()), "not before the finer RTO");
    receiver.receiveAt(t + 40, first);
    sender.receiveAt(t + 80, receiver.take());
    est.sample(80);
    t += 400;
    // And the ACK hold is srtt / 2 (not srtt / 4): data from the peer, the ACK waits for ours.
    receiver.sendAt(t, 100);
    sender.receiveAt(t + 40, receiver.take());
    assertEquals(List.of(), segments(sender.take()), "held");
    assertEquals(t + 40 + est.srtt / 2, sender.kcp.nextEventAt(t + 40), "held up to srtt / 2");
    sender.kcp.advance(t + 40 + est.srtt / 2);
    receiver.receiveAt(t + 80 + est.srtt / 2, sender.take());
    t += 400;

    // Lost first sends: the resend's ACK echoes the resend's time. One per four late ACKs keeps
    // the gate open; the second closes it.
    for (int lost = 1; lost <= 2; lost++, t += 400) {
      est.sample(lostFirstSend(sender, receiver, t, 80));
      if (lost == 1) {
        assertEquals(est.gated(), sender.kcp.rto(), "4 late to 1 lost: still the finer RTO");
      }
    }
    assertEquals(est.coarse(), sender.kcp.rto(), "4 late to 2 lost: ikcp's RTO again");
    assertTrue(est.fine() > est.coarse());
    receiver.sendAt(t, 100);
    sender.receiveAt(t + 40, receiver.take());
    assertEquals(t + 40 + est.srtt / 4, sender.kcp.nextEventAt(t + 40), "held up to srtt / 4");
  }

  @Test
  void lateAcksFromOneStallCountAsOnePieceOfEvidence() {
    // Two messages leave together; the peer stalls and their ACKs come back late in one datagram.
    // That is one stall, not two independent late ACKs: the gate (which needs two) stays closed
    // until a late ACK from another moment comes.
    End sender = new End(THIN_HOLDING);
    End receiver = new End(KcpConfig.fast());
    Estimators est = new Estimators(10, 10);
    long t = jitteryRoundTrips(sender, receiver, est, 0);
    assertTrue(est.fine() > est.coarse(), "an open gate would show in the RTO");
    int rto = sender.kcp.rto();
    sender.kcp.update(t);
    sender.kcp.send(new byte[100], 0, 100);
    sender.kcp.send(new byte[100], 0, 100);
    sender.kcp.flush();
    List<byte[]> first = sender.take();
    sender.kcp.advance(t + rto);
    assertEquals(2, segments(sender.take()).size(), "both resent at the RTO (both resends lost)");
    receiver.receiveAt(t + 40, first);
    List<byte[]> acks = receiver.take();
    assertEquals(List.of("82:20", "82:21"), segments(acks), "both ACKs in one datagram");
    sender.receiveAt(t + rto + 5, acks); // held up by the stall: both echo the first send, late
    est.sample(rto + 5);
    est.sample(rto + 5);
    assertEquals(2, sender.kcp.counters().spuriousRetransmissions, "two late first ACKs");
    assertEquals(est.coarse(), sender.kcp.rto(), "one stall: the gate stays closed");
    t += 400;
    est.sample(lateFirstSendAck(sender, receiver, t)); // a second, independent late ACK
    assertEquals(est.gated(), sender.kcp.rto(), "two stalls: the gate opens");
  }

  @Test
  void aLateAckAfterTheClockStepsBackIsAStallOfItsOwn() {
    // The caller's clock steps back between two stalls: the second late ACK is judged "before"
    // the first. It is not the same stall, so it counts, and the gate opens.
    End sender = new End(THIN_HOLDING);
    End receiver = new End(KcpConfig.fast());
    Estimators est = new Estimators(10, 10);
    long t = jitteryRoundTrips(sender, receiver, est, 100_000);
    assertTrue(est.fine() > est.coarse(), "an open gate would show in the RTO");
    est.sample(lateFirstSendAck(sender, receiver, t));
    assertEquals(est.coarse(), sender.kcp.rto(), "one late ACK: closed");
    est.sample(lateFirstSendAck(sender, receiver, t - 1_000)); // the clock went back 1 s
    assertEquals(est.gated(), sender.kcp.rto(), "a second stall: open");
  }

  @Test
  void switchingTheThinStreamModeOffClosesAnOpenGate() {
    End sender = new End(THIN_HOLDING);
    End receiver = new End(KcpConfig.fast());
    Estimators est = new Estimators(10, 10);
    long t = jitteryRoundTrips(sender, receiver, est, 0);
    for (int late = 1; late <= 2; late++, t += 400) {
      est.sample(lateFirstSendAck(sender, receiver, t));
    }
    assertTrue(est.gated() > est.coarse());
    assertEquals(est.gated(), sender.kcp.rto(), "open");
    sender.kcp.setThinStream(false);
    assertEquals(est.coarse(), sender.kcp.rto(), "thin off: ikcp's RTO at once");
    receiver.sendAt(t, 100);
    sender.receiveAt(t + 40, receiver.take());
    assertEquals(t + 40 + est.srtt / 4, sender.kcp.nextEventAt(t + 40), "and the srtt / 4 hold");
  }

  @Test
  void outsideTheThinStreamModeTheRtoIsAlwaysIkcps() {
    // The same late ACKs with the reference's loss detection: no gate, ikcp's RTO throughout.
    End sender =
        new End(KcpConfig.fast().toBuilder().minRto(10).set(EngineSetting.ACK_DELAY, 1000).build());
    End receiver = new End(KcpConfig.fast());
    Estimators est = new Estimators(10, 10);
    long t = jitteryRoundTrips(sender, receiver, est, 0);
    int finerAbove = 0; // steps at which an open gate would have shown (its RTO above ikcp's)
    for (int late = 1; late <= 8; late++, t += 400) {
      est.sample(lateFirstSendAck(sender, receiver, t));
      assertEquals(est.coarse(), sender.kcp.rto());
      if (late >= 2 && est.fine() > est.coarse()) {
        finerAbove++;
      }
    }
    assertTrue(finerAbove > 0, "an open gate would have changed the RTO at some step");
    int srtt = sender.kcp.srtt();
    assertEquals(srtt / 4, ackHold(sender, receiver, t), "and the ACK hold stays srtt / 4");
  }

  /** How long {@code sender} holds the ACK of a message {@code receiver} sends at {@code t}. */
  static long ackHold(End sender, End receiver, long t) {
    receiver.sendAt(t, 100);
    sender.receiveAt(t + 40, receiver.take());
    assertEquals(List.of(), segments(sender.take()), "the ACK is held");
    return sender.kcp.nextEventAt(t + 40) - (t + 40);
  }

  @Test
  void withNodelayZeroAnAckBeforeIkcpsFirstTimeoutIsNotLate() {
    // nodelay 0: ikcp's first timeout fires at rto + rto / 8. An ACK between rto and that is in
    // time; only one after it is late. The ACK hold shows the gate's state (srtt / 2 when open).
    KcpConfig slow =
        KcpConfig.builder()
            .noDelay(0, 10, 0, true)
            .set(EngineSetting.THIN_STREAM, true)
            .set(EngineSetting.ACK_DELAY, 1000)
            .build();
    End sender = new End(slow);
    End receiver = new End(KcpConfig.fast());
    long t = 0;
    for (int i = 0; i < 20; i++, t += 300) {
      roundTrip(sender, receiver, t, i % 2 == 0 ? 70 : 90);
    }
    for (int i = 0; i < 6; i++, t += 400) { // ACKs after the RTO, before rto + rto / 8
      int rto = sender.kcp.rto();
      sender.sendAt(t, 100);
      List<byte[]> first = sender.take();
      receiver.receiveAt(t + 40, first);
      sender.receiveAt(t + rto + rto / 16, receiver.take()); // (a tail probe may go, no timeout)
      sender.take();
    }
    assertEquals(0, sender.kcp.counters().lostSegments, "no timeout fired");
    long srtt = sender.kcp.srtt();
    assertEquals(srtt / 4, ackHold(sender, receiver, t), "none was late: the gate stays shut");
    t += 400;
    for (int i = 0; i < 2; i++, t += 400) { // two ACKs after ikcp's first timeout: late
      int rto = sender.kcp.rto();
      sender.sendAt(t, 100);
      List<byte[]> first = sender.take();
      sender.kcp.advance(t + rto + rto / 8);
      sender.take(); // the resend, lost
      receiver.receiveAt(t + 40, first);
      sender.receiveAt(t + rto + rto / 8 + 5, receiver.take());
    }
    srtt = sender.kcp.srtt();
    assertEquals(srtt / 2, ackHold(sender, receiver, t), "two late: the gate opens");
  }

  @Test
  void anOpenGateNeverSetsTheRtoBelowIkcps() {
    // When the RTT rises slowly, ikcp's truncated srtt lags below it ((7s + r) / 8 stops moving
    // once r - s < 8) and its rttvar stays up, so the finer RTO can fall below ikcp's. The gate
    // may only make the timer later than ikcp's, never earlier.
    End sender = new End(THIN.toBuilder().minRto(10).build());
    End receiver = new End(KcpConfig.fast());
    Estimators est = new Estimators(10, 10);
    long t = jitteryRoundTrips(sender, receiver, est, 0);
    for (int late = 1; late <= 2; late++, t += 400) { // two late first-send ACKs: the gate opens
      est.sample(lateFirstSendAck(sender, receiver, t));
    }
    assertEquals(est.gated(), sender.kcp.rto(), "the gate is open");
    // The RTT settles at 60 ms, rises by 4 ms per round trip to 100 ms, and stays there.
    List<Integer> rtts = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      rtts.add(60);
    }
    for (int r = 64; r <= 100; r += 4) {
      rtts.add(r);
    }
    for (int i = 0; i < 100; i++) {
      rtts.add(100);
    }
    for (int rtt : rtts) {
      roundTrip(sender, receiver, t, rtt);
      est.sample(rtt);
      t += 300;
      assertEquals(est.gated(), sender.kcp.rto(), "open, at an RTT of " + rtt);
    }
    assertEquals(2L, sender.kcp.counters().retransmittedSegments, "no timer fired on the way");
    assertTrue(est.fine() < est.coarse(), "the case this guards: the finer RTO below ikcp's");
    assertEquals(est.coarse(), sender.kcp.rto(), "so ikcp's is in use");
  }

  @Test
  void switchingTheThinStreamModeOnMidSessionStartsTheGateFromIkcpsTimerAsItIsNow() {
    End sender = new End(KcpConfig.fast()); // thin off
    End receiver = new End(KcpConfig.fast());
    long t = 0;
    for (int i = 0; i < 40; i++, t += 400) {
      roundTrip(sender, receiver, t, 300); // a steady 300 ms path, no loss
    }
    int ikcpRto = sender.kcp.rto();
    sender.take();
    long resent = sender.kcp.counters().retransmittedSegments;
    sender.kcp.setThinStream(true);
    sender.kcp.update(t);
    sender.kcp.send(new byte[100], 0, 100);
    sender.kcp.send(new byte[100], 0, 100);
    sender.kcp.flush(); // two segments, one datagram
    receiver.receiveAt(t + 150, sender.take()); // both ACKs in one datagram
    sender.receiveAt(t + 300, receiver.take()); // an RTT of 300, in time for ikcp's RTO
    assertEquals(resent, sender.kcp.counters().retransmittedSegments);
    assertEquals(ikcpRto, sender.kcp.rto(), "no late evidence, so ikcp's RTO");
  }
}
