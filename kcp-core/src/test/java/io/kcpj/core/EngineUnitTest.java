package io.kcpj.core;

import static io.kcpj.core.wire.SegmentHeader.CMD_ACK;
import static io.kcpj.core.wire.SegmentHeader.CMD_PUSH;
import static io.kcpj.core.wire.SegmentHeader.CMD_WASK;
import static io.kcpj.core.wire.SegmentHeader.CMD_WINS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.wire.SegmentHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each piece of the engine against the reference's rules, one behaviour per test. */
class EngineUnitTest {
  static final int CONV = 0x5eed;
  static final byte[] NONE = new byte[0];

  static Kcp engine(Captured out, KcpConfig cfg) {
    return new Kcp(CONV, cfg, out);
  }

  static byte[] ack(int sn, int ts, int una, int wnd) {
    return Captured.segment(CONV, CMD_ACK, 0, wnd, ts, sn, una, NONE);
  }

  @Nested
  class RttEstimator {
    @Test
    void firstSampleSetsSrttAndHalfVariance() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.fast());
      k.send(new byte[10], 0, 10);
      k.update(1000);
      k.update(1080);
      assertEquals(Kcp.INPUT_OK, k.input(ack(0, 1000, 1, 128), 0, 24));
      assertEquals(80, k.srtt());
      assertEquals(40, k.rttVar());
      // rto = srtt + max(interval 10, 4*rttvar 160) = 240
      assertEquals(240, k.rto());
    }

    @Test
    void laterSamplesUseIntegerEwmaAndRtoIsBounded() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.fast());
      byte[] m = new byte[1];
      for (int i = 0; i < 3; i++) {
        k.send(m, 0, 1);
      }
      k.update(1000);
      k.update(1100);
      k.input(ack(0, 1000, 0, 128), 0, 24); // rtt 100: srtt 100, rttvar 50
      k.input(ack(1, 1060, 0, 128), 0, 24); // rtt 40: var (150+60)/4=52, srtt (700+40)/8=92
      assertEquals(92, k.srtt());
      assertEquals(52, k.rttVar());
      assertEquals(92 + 208, k.rto());
      // A future timestamp (ts after current) gives no sample.
      k.input(ack(2, 1200, 0, 128), 0, 24);
      assertEquals(92, k.srtt());
    }

    @Test
    void rtoNeverBelowMinimumNorAboveMaximum() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.normal()); // min rto 100
      k.send(new byte[1], 0, 1);
      k.update(1000);
      k.update(1001);
      k.input(ack(0, 1000, 1, 128), 0, 24); // rtt 1: srtt 1, rto = 1 + max(40, 0)=41 -> 100
      assertEquals(100, k.rto());
      Kcp slow = engine(new Captured(), KcpConfig.classic());
      slow.send(new byte[1], 0, 1);
      slow.update(0);
      slow.update(100_000_000L & 0x3fffffffL);
      slow.input(ack(0, 0, 1, 128), 0, 24); // huge sample
      assertEquals(Kcp.RTO_MAX, slow.rto());
    }
  }

  @Nested
  class RetransmissionBackOff {
    /** Times (ms) at which sn 0 was transmitted, with no ACK ever arriving. */
    private List<Long> transmissions(KcpConfig cfg, int until) {
      Captured out = new Captured();
      Kcp k = engine(out, cfg);
      k.send(new byte[8], 0, 8);
      for (int t = 0; t <= until; t++) {
        out.now = t;
        k.update(t);
      }
      List<Long> times = new ArrayList<>();
      for (Captured.Datagram d : out.pushes()) {
        times.add(d.at());
      }
      return times;
    }

    @Test
    void nodelay0DoublesAndAddsAnEighthToTheFirstTimeout() {
      // interval 10 so flushes land on every 10 ms; rto 200, first timeout at 200 + 200/8 = 225
      KcpConfig cfg = KcpConfig.builder().noDelay(0, 10, 0, true).build();
      // t=0 send; first resend due at 225 -> flush at 230; rto 400 -> due 630; rto 800 -> 1430
      assertEquals(List.of(0L, 230L, 630L, 1430L), transmissions(cfg, 1500));
    }

    @Test
    void nodelay1GrowsByHalfOfItsOwnRto() {
      KcpConfig cfg = KcpConfig.builder().noDelay(1, 10, 0, true).build();
      // rto 200, due 200; then rto 300 -> 500; then 450 -> 950; then 675 -> 1625
      assertEquals(List.of(0L, 200L, 500L, 950L, 1630L), transmissions(cfg, 1700));
    }

    @Test
    void nodelay2GrowsByHalfTheEngineRto() {
      KcpConfig cfg = KcpConfig.builder().noDelay(2, 10, 0, true).build();
      // rto 200, due 200; each timeout adds rx_rto/2 = 100: 300 -> 500, 400 -> 900, 500 -> 1400
      assertEquals(List.of(0L, 200L, 500L, 900L, 1400L), transmissions(cfg, 1450));
    }

    @Test
    void deadLinkAfterConfiguredTransmissionsAndTimeoutsCounted() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.builder().noDelay(2, 10, 0, true).deadLink(3).build());
      k.send(new byte[8], 0, 8);
      for (int t = 0; t <= 600 && !k.isDeadLink(); t += 10) {
        k.update(t);
      }
      assertTrue(k.isDeadLink());
      assertEquals(3, out.pushes().size());
      assertEquals(2, k.timeoutRetransmissions());
      assertEquals(2, k.counters().lostSegments);
      assertEquals(2, k.counters().retransmittedSegments);
    }

    @Test
    void timeoutCollapsesCwndAndHalvesIntoSsthresh() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.builder().noDelay(1, 10, 0, false).windows(64, 128).build());
      for (int i = 0; i < 16; i++) {
        k.send(new byte[8], 0, 8);
      }
      // Grow cwnd by acknowledging in slow start: ssthresh 2, so cwnd goes 1 -> 2 -> 3 (avoidance)
      k.update(0);
      k.update(10);
      k.input(ack(0, 0, 1, 128), 0, 24);
      assertEquals(2, k.cwnd());
      k.update(20);
      k.update(30);
      // sn 1, 2 in flight (window 2); let them time out: rto ~ 30+..; run until a timeout
      int before = k.timeoutRetransmissions();
      for (int t = 40; k.timeoutRetransmissions() == before && t < 5000; t += 10) {
        k.update(t);
      }
      assertEquals(1, k.cwnd());
      // window 2 / 2 = 1 -> raised to THRESH_MIN 2
      assertEquals(io.kcpj.core.cc.ClassicKcp.THRESH_MIN, k.ssthresh());
    }
  }

  @Nested
  class FastRetransmit {
    private Kcp sentFour(Captured out, KcpConfig cfg) {
      Kcp k = engine(out, cfg);
      for (int i = 0; i < 4; i++) {
        k.send(new byte[8], 0, 8);
      }
      out.now = 1000;
      k.update(1000);
      out.clear();
      return k;
    }

    @Test
    void segmentResentAfterResendLaterAcks() {
      Captured out = new Captured();
      Kcp k = sentFour(out, KcpConfig.fast()); // resend 2
      k.update(1010);
      // sn 1 and sn 2 acknowledged (separate datagrams): sn 0 gets fastack 1 then 2
      k.input(ack(1, 1000, 0, 128), 0, 24);
      k.update(1020);
      assertTrue(out.pushes().isEmpty(), "one later ACK is not enough");
      k.input(ack(2, 1000, 0, 128), 0, 24);
      out.now = 1030;
      k.update(1030);
      assertEquals(1, out.pushes().size());
      assertEquals(0, out.pushes().get(0).firstSn());
      assertEquals(1, k.counters().fastRetransmittedSegments);
      assertEquals(0, k.counters().lostSegments);
    }

    @Test
    void conserveCountsOnlySegmentsSentNoLaterThanTheAckedOne() {
      // Two engines, sn 0..3 sent at 1000, each given two ACKs of later segments (resend 2): one
      // pair echoes ts 999 (older than sn 0's ts 1000), the other ts 1000.
      Captured stale = new Captured();
      Kcp s = sentFour(stale, KcpConfig.fast());
      Captured fresh = new Captured();
      Kcp f = sentFour(fresh, KcpConfig.fast());
      for (Kcp k : List.of(s, f)) {
        k.update(1010);
      }
      s.input(ack(3, 999, 0, 128), 0, 24);
      s.input(ack(2, 999, 0, 128), 0, 24);
      f.input(ack(3, 1000, 0, 128), 0, 24);
      f.input(ack(2, 1000, 0, 128), 0, 24);
      stale.now = fresh.now = 1020;
      s.update(1020);
      f.update(1020);
      // CONSERVE: ACKs of segments sent before sn 0 was say nothing about sn 0: no fastack
      assertTrue(stale.pushes().isEmpty(), "stale ACKs must not trigger a fast retransmit");
      assertEquals(0, s.counters().fastRetransmittedSegments);
      // the same ACKs echoing ts 1000 count: sn 0 and sn 1 were each skipped by both (sn 3 and
      // sn 2), reach resend 2 and are fast-retransmitted together, long before their RTO
      assertEquals(1, fresh.pushes().size());
      assertEquals(0, fresh.pushes().get(0).firstSn());
      assertEquals(2, fresh.pushes().get(0).segments());
      assertEquals(2, f.counters().fastRetransmittedSegments);
      assertEquals(0, f.counters().lostSegments, "not a timeout");
    }

    @Test
    void conserveKeepsTheFirstAckWhenAHigherSnHasAnOlderTs() {
      Captured out = new Captured();
      Kcp k = sentFour(out, KcpConfig.builder().noDelay(1, 10, 1, true).build()); // resend 1
      k.update(1010);
      // one datagram: ACK sn1 ts1000, then ACK sn3 ts 900 (older): maxack stays sn 1
      byte[] dg = Captured.concat(ack(1, 1000, 0, 128), ack(3, 900, 0, 128));
      k.input(dg, 0, dg.length);
      k.update(1020);
      // only sn 0 is below maxack=1: resent; sn 2 is not (it would be, had maxack been 3)
      List<Captured.Datagram> p = out.pushes();
      assertEquals(1, p.size());
      assertEquals(1, p.get(0).segments());
      assertEquals(0, p.get(0).firstSn());
    }

    @Test
    void fastLimitStopsFastRetransmitOfOftenSentSegments() {
      Captured out = new Captured();
      Kcp k = sentFour(out, KcpConfig.builder().noDelay(1, 10, 1, true).fastLimit(1).build());
      k.update(1010);
      k.input(ack(1, 1000, 0, 128), 0, 24);
      k.update(1020); // sn 0 sent once: allowed (xmit 1 <= 1)
      assertEquals(1, out.pushes().size());
      k.input(ack(2, 1020, 0, 128), 0, 24);
      k.update(1030); // sn 0 sent twice now: beyond the limit
      assertEquals(1, out.pushes().size());
    }

    @Test
    void fastRetransmitSetsSsthreshFromInflight() {
      Captured out = new Captured();
      Kcp k = sentFour(out, KcpConfig.builder().noDelay(1, 10, 1, true).build());
      k.update(1010);
      k.input(ack(3, 1000, 0, 128), 0, 24);
      k.update(1020);
      // inflight = sndNxt 4 - sndUna 0 = 4 -> ssthresh 2, cwnd = 2 + resend 1
      assertEquals(2, k.ssthresh());
      assertEquals(3, k.cwnd());
    }
  }

  @Nested
  class WindowProbe {
    @Test
    void zeroRemoteWindowProbesAt7sThenGrowsByHalf() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.fast());
      k.update(0);
      // The peer says its window is 0 (a WINS with wnd 0).
      byte[] wins = Captured.segment(CONV, CMD_WINS, 0, 0, 0, 0, 0, NONE);
      k.input(wins, 0, wins.length);
      assertEquals(0, k.remoteWindow());
      k.send(new byte[8], 0, 8);
      List<Long> wask = new ArrayList<>();
      for (int t = 10; t <= 40_000; t += 10) {
        out.now = t;
        int before = out.datagrams.size();
        k.update(t);
        for (int i = before; i < out.datagrams.size(); i++) {
          Captured.Datagram d = out.datagrams.get(i);
          assertFalse(d.commands().contains(CMD_PUSH), "nothing sent into a zero window");
          if (d.commands().contains(CMD_WASK)) {
            wask.add(d.at());
          }
        }
      }
      // timer starts at the first flush (t=10) with wait 7000 -> probe at 7010, wait 10500
      // -> 17510, wait 15750 -> 33260
      assertEquals(List.of(7010L, 17510L, 33260L), wask);
    }

    @Test
    void waskIsAnsweredWithWinsAndAWindowReopeningIsTold() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.fast());
      k.update(0);
      byte[] wask = Captured.segment(CONV, CMD_WASK, 0, 128, 0, 0, 0, NONE);
      k.input(wask, 0, wask.length);
      k.update(10);
      assertEquals(List.of(CMD_WINS), out.datagrams.get(0).commands());
      assertEquals(128, SegmentHeader.wnd(out.datagrams.get(0).bytes(), 0));
    }

    @Test
    void fullReceiveQueueDrainedByRecvSendsWins() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.fast()); // rcv window 128
      k.update(0);
      for (int sn = 0; sn < 128; sn++) {
        byte[] p = Captured.segment(CONV, CMD_PUSH, 0, 128, 0, sn, 0, new byte[] {(byte) sn});
        k.input(p, 0, p.length);
      }
      assertEquals(128, k.receiveQueueSize());
      k.update(10);
      // every ACK advertises wnd 0 now
      assertEquals(0, SegmentHeader.wnd(out.datagrams.get(0).bytes(), 0));
      out.clear();
      byte[] one = new byte[1];
      assertEquals(1, k.recv(one, 0, 1));
      k.update(20);
      assertEquals(List.of(CMD_WINS), out.datagrams.get(0).commands());
      assertEquals(1, SegmentHeader.wnd(out.datagrams.get(0).bytes(), 0));
    }
  }

  @Nested
  class Messages {
    @Test
    void fragmentsAreNumberedDownToZeroAndReassembled() {
      Captured out = new Captured();
      Kcp a = engine(out, KcpConfig.fast());
      byte[] msg = new byte[a.mss() * 3 + 5];
      for (int i = 0; i < msg.length; i++) {
        msg[i] = (byte) (i * 7);
      }
      a.send(msg, 0, msg.length);
      a.update(0);
      List<Integer> frgs = new ArrayList<>();
      Kcp b = engine(new Captured(), KcpConfig.fast());
      for (Captured.Datagram d : out.datagrams) {
        frgs.add(SegmentHeader.frg(d.bytes(), 0));
        assertEquals(-1, b.peekSize(), "no whole message before its last fragment arrives");
        b.input(d.bytes(), 0, d.bytes().length);
      }
      assertEquals(List.of(3, 2, 1, 0), frgs);
      assertEquals(msg.length, b.peekSize());
      byte[] small = new byte[msg.length - 1];
      assertEquals(Kcp.RECV_BUFFER_TOO_SMALL, b.recv(small, 0, small.length));
      byte[] got = new byte[msg.length];
      assertEquals(msg.length, b.recv(got, 0, got.length));
      assertArrayEquals(msg, got);
      assertEquals(Kcp.RECV_EMPTY, b.recv(got, 0, got.length));
    }

    @Test
    void incompleteMessageIsNotReturned() {
      Kcp b = engine(new Captured(), KcpConfig.fast());
      byte[] p = Captured.segment(CONV, CMD_PUSH, 1, 128, 0, 0, 0, new byte[] {1});
      b.input(p, 0, p.length);
      assertEquals(-1, b.peekSize());
      assertEquals(Kcp.RECV_INCOMPLETE, b.recv(new byte[10], 0, 10));
    }

    @Test
    void messageLimitIs127FragmentsByDefaultAndOptInUpTo255() {
      Kcp a = engine(new Captured(), KcpConfig.fast());
      int max = 127 * a.mss();
      assertEquals(max, a.maxMessageSize());
      assertEquals(max, a.send(new byte[max], 0, max));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> a.send(new byte[max + 1], 0, max + 1));
      assertTrue(e.getMessage().contains(Integer.toString(max)), e.getMessage());
      assertEquals(127, a.waitSnd(), "the rejected message queued nothing");

      Captured bigOut = new Captured();
      Kcp big = engine(bigOut, KcpConfig.fast().toBuilder().maxFragments(255).build());
      int n = 255 * big.mss();
      byte[] message = new byte[n];
      for (int i = 0; i < n; i++) {
        message[i] = (byte) (i * 31 + (i >> 8));
      }
      assertEquals(n, big.send(message, 0, n));
      assertThrows(IllegalArgumentException.class, () -> big.send(new byte[n + 1], 0, n + 1));

      // Delivered end to end to a receiver whose window exceeds 255 fragments.
      Captured wideOut = new Captured();
      Kcp wide = engine(wideOut, KcpConfig.fast().toBuilder().receiveWindow(256).build());
      big.update(0);
      assertEquals(254, SegmentHeader.frg(bigOut.pushes().get(0).bytes(), 0), "frg 254 .. 0");
      pump(big, bigOut, wide, wideOut, 2_000, () -> wide.peekSize() >= 0);
      assertEquals(n, wide.peekSize());
      byte[] got = new byte[n];
      assertEquals(n, wide.recv(got, 0, n));
      assertArrayEquals(message, got);
      assertEquals(Kcp.RECV_EMPTY, wide.recv(got, 0, n));
    }

    @Test
    void aReceiverAtTheReferenceWindowFloorCannotAssembleA255FragmentMessage() {
      Captured bigOut = new Captured();
      Kcp big = engine(bigOut, KcpConfig.fast().toBuilder().maxFragments(255).build());
      int n = 255 * big.mss();
      big.send(new byte[n], 0, n);
      Captured narrowOut = new Captured();
      Kcp narrow = engine(narrowOut, KcpConfig.fast()); // rcvwnd 128: the documented limitation
      pump(big, bigOut, narrow, narrowOut, 5_000, () -> false);
      assertEquals(-1, narrow.peekSize());
      assertEquals(128, narrow.receiveQueueSize(), "its queue is full of the message's head");
    }

    /**
     * Runs two engines against each other on a lossless, instant link in 1 ms steps for at most
     * {@code millis}, or until {@code done}.
     */
    private void pump(
        Kcp a,
        Captured outA,
        Kcp b,
        Captured outB,
        int millis,
        java.util.function.BooleanSupplier done) {
      for (int t = 0; t < millis && !done.getAsBoolean(); t++) {
        outA.now = t;
        outB.now = t;
        a.update(t);
        b.update(t);
        for (Captured.Datagram d : List.copyOf(outA.datagrams)) {
          b.input(d.bytes(), 0, d.bytes().length);
        }
        outA.datagrams.clear();
        for (Captured.Datagram d : List.copyOf(outB.datagrams)) {
          a.input(d.bytes(), 0, d.bytes().length);
        }
        outB.datagrams.clear();
      }
    }

    @Test
    void emptyMessageIsDeliveredAsEmpty() {
      Captured out = new Captured();
      Kcp a = engine(out, KcpConfig.fast());
      Kcp b = engine(new Captured(), KcpConfig.fast());
      assertEquals(0, a.send(new byte[0], 0, 0));
      a.update(0);
      b.input(out.datagrams.get(0).bytes(), 0, out.datagrams.get(0).bytes().length);
      assertEquals(0, b.peekSize());
      assertEquals(0, b.recv(new byte[4], 0, 4));
      assertEquals(Kcp.RECV_EMPTY, b.recv(new byte[4], 0, 4));
    }

    @Test
    void streamModeTopsUpTheLastSegmentAndHasNoFragments() {
      Captured out = new Captured();
      Kcp a = engine(out, KcpConfig.fast().toBuilder().streamMode(true).mtu(100).build());
      int mss = a.mss(); // 76
      a.send(new byte[30], 0, 30);
      a.send(new byte[30], 0, 30);
      assertEquals(1, a.sendQueueSize(), "second send topped up the first segment");
      a.send(new byte[100], 0, 100); // 16 fill the first to 76, 84 -> 76 + 8
      assertEquals(3, a.sendQueueSize());
      assertEquals(0, a.send(new byte[0], 0, 0), "an empty send in stream mode queues nothing");
      assertEquals(3, a.sendQueueSize());
      a.update(0);
      List<Integer> lens = new ArrayList<>();
      for (Captured.Datagram d : out.datagrams) {
        assertEquals(0, SegmentHeader.frg(d.bytes(), 0));
        lens.add((int) SegmentHeader.len(d.bytes(), 0));
      }
      assertEquals(List.of(mss, mss, 8), lens);
      // as ikcp_send: more than 127 new segments in one call is refused; in stream mode a call
      // that first topped up the last segment returns just those bytes (a short count)
      Kcp s2 = engine(new Captured(), KcpConfig.fast().toBuilder().streamMode(true).build());
      int huge = 300 * s2.mss();
      assertThrows(IllegalArgumentException.class, () -> s2.send(new byte[huge], 0, huge));
      assertEquals(0, s2.waitSnd());
      s2.send(new byte[100], 0, 100);
      assertEquals(s2.mss() - 100, s2.send(new byte[huge], 0, huge));
      assertEquals(1, s2.waitSnd());
      assertEquals(127 * s2.mss(), s2.send(new byte[127 * s2.mss()], 0, 127 * s2.mss()));
    }

    @Test
    void byteBufferSendAndRecvMatchArrays() {
      Captured out = new Captured();
      Kcp a = engine(out, KcpConfig.fast());
      Kcp b = engine(new Captured(), KcpConfig.fast());
      ByteBuffer direct = ByteBuffer.allocateDirect(3000);
      for (int i = 0; i < 3000; i++) {
        direct.put((byte) i);
      }
      direct.flip();
      assertEquals(3000, a.send(direct));
      assertEquals(0, direct.remaining());
      a.update(0);
      for (Captured.Datagram d : out.datagrams) {
        ByteBuffer in = ByteBuffer.allocateDirect(d.bytes().length);
        in.put(d.bytes()).flip();
        assertEquals(Kcp.INPUT_OK, b.input(in));
        assertEquals(0, in.remaining());
      }
      ByteBuffer dst = ByteBuffer.allocate(4000);
      assertEquals(3000, b.recv(dst));
      dst.flip();
      for (int i = 0; i < 3000; i++) {
        assertEquals((byte) i, dst.get(i));
      }
    }

    @Test
    void packingFollowsMtuAndOrderAcksThenData() {
      Captured out = new Captured();
      Kcp a = engine(out, KcpConfig.fast().toBuilder().mtu(100).build());
      a.update(0);
      for (int sn = 0; sn < 5; sn++) {
        byte[] p = Captured.segment(CONV, CMD_PUSH, 0, 128, 0, sn, 0, NONE);
        a.input(p, 0, p.length);
      }
      a.send(new byte[10], 0, 10);
      a.update(10);
      // 5 ACKs (24 B each) + one 34 B PUSH into 100-byte datagrams: [A,A,A,A] [A,P]
      assertEquals(2, out.datagrams.size());
      assertEquals(List.of(CMD_ACK, CMD_ACK, CMD_ACK, CMD_ACK), out.datagrams.get(0).commands());
      assertEquals(List.of(CMD_ACK, CMD_PUSH), out.datagrams.get(1).commands());
      for (Captured.Datagram d : out.datagrams) {
        assertTrue(d.bytes().length <= 100);
      }
    }
  }

  @Nested
  class Clock {
    @Test
    void noFlushBeforeTheFirstUpdate() {
      Captured out = new Captured();
      Kcp a = engine(out, KcpConfig.fast());
      a.send(new byte[1], 0, 1);
      a.flush();
      assertTrue(out.datagrams.isEmpty());
      assertEquals(5, a.check(5), "check before update says now");
    }

    @Test
    void checkIsTheEarlierOfNextFlushAndResendButAtMostInterval() {
      Captured out = new Captured();
      Kcp a = engine(out, KcpConfig.builder().noDelay(1, 100, 0, true).build());
      a.update(1000);
      assertEquals(1100, a.check(1000));
      assertEquals(1100, a.check(1050));
      assertEquals(1100, a.check(1100), "due now");
      a.send(new byte[1], 0, 1);
      a.update(1100); // sent at 1100, rto 200 -> resend at 1300; next flush 1200
      assertEquals(1200, a.check(1150));
    }

    @Test
    void nextEventAtIsTheRetransmissionTimeNotCappedAtInterval() {
      Captured out = new Captured();
      Kcp a = engine(out, KcpConfig.builder().noDelay(1, 10, 0, true).build());
      assertEquals(5, a.nextEventAt(5), "before the first update: now");
      a.update(1000);
      assertEquals(Kcp.NO_EVENT, a.nextEventAt(1000), "nothing to send, nothing owed");
      a.send(new byte[1], 0, 1);
      assertEquals(1010, a.nextEventAt(1003), "queued data: admitted at the next interval tick");
      a.flush(); // sent at 1000 with rto 200 (no sample yet) -> resend at 1200
      assertEquals(1200, a.nextEventAt(1003));
      assertEquals(1010, a.check(1003), "check would wake it every interval meanwhile");
      assertEquals(1200, a.nextEventAt(1199));
      assertEquals(1200, a.nextEventAt(1200), "due");
      assertEquals(1250, a.nextEventAt(1250), "overdue: now");
      out.now = 1200;
      a.update(1200);
      assertEquals(2, out.datagrams.size(), "retransmitted at its deadline");
      // nodelay 1 back-off: rto 200 + 100 -> next at 1500
      assertEquals(1500, a.nextEventAt(1200));
      a.input(ack(0, 1200, 1, 128), 0, 24);
      assertEquals(Kcp.NO_EVENT, a.nextEventAt(1201), "acknowledged: nothing left to time");
    }

    @Test
    void nextEventAtIsNowWhileAnAckIsOwed() {
      Captured out = new Captured();
      Kcp b = engine(out, KcpConfig.fast());
      b.update(0);
      byte[] push = Captured.segment(CONV, CMD_PUSH, 0, 128, 0, 0, 0, new byte[3]);
      b.input(push, 0, push.length);
      assertEquals(7, b.nextEventAt(7));
      b.flush();
      assertEquals(List.of(CMD_ACK), out.datagrams.get(0).commands());
      assertEquals(Kcp.NO_EVENT, b.nextEventAt(7));
    }

    @Test
    void nextEventAtFollowsTheWindowProbeTimer() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.fast());
      k.update(0);
      byte[] wins = Captured.segment(CONV, CMD_WINS, 0, 0, 0, 0, 0, NONE);
      k.input(wins, 0, wins.length);
      k.send(new byte[8], 0, 8);
      assertEquals(10, k.nextEventAt(3), "the probe timer starts at the next flush");
      out.now = 10;
      k.update(10);
      assertEquals(7010, k.nextEventAt(10), "then sleeps until the first probe");
      out.now = 7010;
      k.update(7010);
      assertTrue(out.datagrams.get(out.datagrams.size() - 1).commands().contains(CMD_WASK));
      assertEquals(7010 + 10_500, k.nextEventAt(7010));
    }

    @Test
    void clockJumpOfTenSecondsResynchronises() {
      Captured out = new Captured();
      Kcp a = engine(out, KcpConfig.builder().noDelay(1, 100, 0, true).build());
      a.update(1000);
      // a jump forward of >= 10 s: flush now and schedule from the new time, no burst
      a.send(new byte[1], 0, 1);
      out.now = 50_000;
      a.update(50_000);
      assertEquals(1, out.datagrams.size());
      assertEquals(50_100, a.check(50_000));
      // a jump backwards of > 10 s also resynchronises
      out.clear();
      a.update(30_000);
      assertEquals(30_100, a.check(30_000));
      // a small step backwards does not flush
      a.update(29_990);
      assertEquals(30_100, a.check(30_050));
    }

    @Test
    void clockWrapsAround32Bits() {
      Captured out = new Captured();
      Kcp a = engine(out, KcpConfig.fast());
      Kcp b = engine(new Captured(), KcpConfig.fast());
      long start = 0xffff_ff00L;
      a.send(new byte[5], 0, 5);
      a.update(start);
      b.input(out.datagrams.get(0).bytes(), 0, out.datagrams.get(0).bytes().length);
      Captured back = new Captured();
      Kcp b2 = new Kcp(CONV, KcpConfig.fast(), back);
      b2.input(out.datagrams.get(0).bytes(), 0, out.datagrams.get(0).bytes().length);
      b2.update(start + 0x200); // past the 32-bit wrap
      byte[] ackDg = back.datagrams.get(0).bytes();
      a.update(start + 0x200); // a's clock wraps too: 0x1_0000_0100 -> 0x100
      a.input(ackDg, 0, ackDg.length);
      assertEquals(0x200, a.srtt(), "rtt measured across the wrap");
      assertEquals(0, a.waitSnd());
      assertEquals(start + 0x200 + 10, a.check(start + 0x200), "check stays on the caller's clock");
    }
  }

  @Nested
  class Input {
    @Test
    void statusCodesMatchTheReferenceAndAreCounted() {
      Kcp k = engine(new Captured(), KcpConfig.fast());
      assertEquals(Kcp.INPUT_BAD_HEADER, k.input(new byte[23], 0, 23));
      byte[] wrongConv = Captured.segment(CONV + 1, CMD_PUSH, 0, 128, 0, 0, 0, NONE);
      assertEquals(Kcp.INPUT_BAD_HEADER, k.input(wrongConv, 0, wrongConv.length));
      byte[] badLen = Captured.segment(CONV, CMD_PUSH, 0, 128, 0, 0, 0, new byte[4]);
      assertEquals(Kcp.INPUT_BAD_LENGTH, k.input(badLen, 0, badLen.length - 1));
      byte[] badCmd = Captured.segment(CONV, 99, 0, 128, 0, 0, 0, NONE);
      assertEquals(Kcp.INPUT_BAD_COMMAND, k.input(badCmd, 0, badCmd.length));
      byte[] hugeLen = Captured.segment(CONV, CMD_PUSH, 0, 128, 0, 0, 0, NONE);
      SegmentHeader.write(hugeLen, 0, CONV, CMD_PUSH, 0, 128, 0, 0, 0, 0x8000_0000);
      assertEquals(Kcp.INPUT_BAD_LENGTH, k.input(hugeLen, 0, hugeLen.length));
      KcpCounters c = k.counters();
      assertEquals(1, c.errorsTooShort);
      assertEquals(1, c.errorsWrongConv);
      assertEquals(2, c.errorsBadLength);
      assertEquals(1, c.errorsBadCommand);
      assertEquals(5, c.inputErrors());
      assertEquals(5, c.datagramsIn);
      assertEquals(0, k.receiveQueueSize() + k.receiveBufferSize());
    }

    @Test
    void segmentsBeforeABadOneAreKeptAsTheReferenceDoes() {
      Kcp k = engine(new Captured(), KcpConfig.fast());
      byte[] good = Captured.segment(CONV, CMD_PUSH, 0, 128, 0, 0, 0, new byte[] {42});
      byte[] bad = Captured.segment(CONV ^ 1, CMD_PUSH, 0, 128, 0, 1, 0, NONE);
      byte[] dg = Captured.concat(good, bad);
      assertEquals(Kcp.INPUT_BAD_HEADER, k.input(dg, 0, dg.length));
      assertEquals(1, k.peekSize());
    }

    @Test
    void duplicatesAreAckedAgainButDeliveredOnce() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.fast());
      k.update(0);
      byte[] p = Captured.segment(CONV, CMD_PUSH, 0, 128, 5, 0, 0, new byte[] {1});
      k.input(p, 0, p.length);
      k.input(p, 0, p.length);
      byte[] q = Captured.segment(CONV, CMD_PUSH, 0, 128, 5, 3, 0, new byte[] {1});
      k.input(q, 0, q.length);
      k.input(q, 0, q.length); // out-of-order duplicate
      assertEquals(2, k.counters().repeatedSegments);
      assertEquals(1, k.receiveQueueSize());
      assertEquals(1, k.receiveBufferSize());
      k.update(10);
      assertEquals(4, out.datagrams.get(0).segments(), "each copy acknowledged");
    }

    @Test
    void pushBeyondTheReceiveWindowIsNeitherKeptNorAcked() {
      Captured out = new Captured();
      Kcp k = engine(out, KcpConfig.fast());
      k.update(0);
      byte[] far = Captured.segment(CONV, CMD_PUSH, 0, 128, 0, 128, 0, new byte[] {1});
      k.input(far, 0, far.length);
      k.update(10);
      assertTrue(out.datagrams.isEmpty());
      assertEquals(0, k.receiveBufferSize());
    }
  }

  @Test
  void sequenceNumbersWrapAcross32Bits() {
    Captured ab = new Captured();
    Captured ba = new Captured();
    Kcp a = new Kcp(CONV, KcpConfig.fast(), ab);
    Kcp b = new Kcp(CONV, KcpConfig.fast(), ba);
    int start = -3; // 0xfffffffd: the message's fragments take sn fffffffd..00000002
    a.startSequencesAt(start);
    b.startSequencesAt(start);
    byte[] msg = new byte[a.mss() * 5];
    for (int i = 0; i < msg.length; i++) {
      msg[i] = (byte) (i ^ 0x5a);
    }
    a.send(msg, 0, msg.length);
    a.update(0);
    b.update(0);
    for (Captured.Datagram d : ab.datagrams) {
      b.input(d.bytes(), 0, d.bytes().length);
    }
    byte[] got = new byte[msg.length];
    assertEquals(msg.length, b.recv(got, 0, got.length));
    assertArrayEquals(msg, got);
    assertEquals(2, b.rcvNxt());
    b.update(10);
    for (Captured.Datagram d : ba.datagrams) {
      a.input(d.bytes(), 0, d.bytes().length);
    }
    assertEquals(2, a.sndUna());
    assertEquals(0, a.waitSnd());
  }

  @Test
  void presetsMatchTheReferenceModes() {
    KcpConfig f = KcpConfig.fast();
    assertEquals(1, f.nodelay());
    assertEquals(10, f.interval());
    assertEquals(2, f.fastResend());
    assertTrue(f.noCongestionWindow());
    assertEquals(30, f.minRto());
    KcpConfig n = KcpConfig.normal();
    assertEquals(40, n.interval());
    assertEquals(100, n.minRto());
    KcpConfig t = KcpConfig.testFast();
    assertEquals(2, t.nodelay());
    assertEquals(1, t.fastResend());
    assertEquals(10, t.minRto());
    Kcp k = new Kcp(1, t, dg -> {});
    assertEquals(10, k.minRto());
    assertEquals(1, k.fastResend());
  }
}
