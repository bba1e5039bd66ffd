package io.kcpj.core;

import static io.kcpj.core.wire.SegmentHeader.CMD_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Kcp#advance}: the engine's own driving policy, as its javadoc's worked example says. */
class AdvanceTest {
  static final int CONV = 11;

  static List<Long> pushTimes(Captured out) {
    List<Long> at = new ArrayList<>();
    for (Captured.Datagram d : out.pushes()) {
      at.add(d.at());
    }
    return at;
  }

  @Test
  void theJavadocsWorkedExample() {
    Captured out = new Captured();
    Kcp kcp = new Kcp(CONV, KcpConfig.fast(), out);
    byte[] msg = {1, 2, 3};
    assertEquals(Kcp.NO_EVENT, kcp.advance(0), "started, nothing to time");
    kcp.send(msg, 0, msg.length);
    kcp.flush();
    assertEquals(List.of(0L), pushTimes(out));
    assertEquals(200, kcp.advance(0), "sn 0's retransmission deadline, not the next tick");
    out.now = 200;
    assertEquals(500, kcp.advance(200), "resent at 200; its rto grew by half, to 300");
    assertEquals(List.of(0L, 200L), pushTimes(out));
    kcp.update(230);
    byte[] ack = Captured.segment(CONV, CMD_ACK, 0, 128, 200, 0, 1, new byte[0]);
    assertEquals(Kcp.INPUT_OK, kcp.input(ack, 0, ack.length));
    assertEquals(30, kcp.srtt());
    assertEquals(Kcp.NO_EVENT, kcp.advance(230));
  }

  @Test
  void aRetransmissionLeavesAtItsDeadlineNotOnTheNextIntervalTick() {
    // interval 100, nodelay 0, nc: sn 0 is due at 200 + 200/8 = 225. Both engines are given the
    // time every millisecond, so update's flush grid stays at 100, 200, 300: update alone resends
    // at 300, advance at the deadline.
    KcpConfig cfg = KcpConfig.builder().noDelay(0, 100, 0, true).build();
    Captured byAdvance = new Captured();
    Captured byUpdate = new Captured();
    Kcp a = new Kcp(CONV, cfg, byAdvance);
    Kcp u = new Kcp(CONV, cfg, byUpdate);
    for (Kcp k : List.of(a, u)) {
      k.update(0);
      k.send(new byte[8], 0, 8);
      k.flush();
    }
    assertEquals(225, a.advance(0));
    for (long t = 1; t <= 300; t++) {
      byAdvance.now = t;
      byUpdate.now = t;
      long next = a.advance(t);
      assertTrue(next > t, "ahead of now");
      u.update(t);
    }
    assertEquals(List.of(0L, 225L), pushTimes(byAdvance));
    assertEquals(List.of(0L, 300L), pushTimes(byUpdate));
  }

  @Test
  void aDriverThatSleepsUntilTheReturnedDeadlinesResendsAtThem() {
    Captured out = new Captured();
    Kcp k = new Kcp(CONV, KcpConfig.builder().noDelay(0, 100, 0, true).build(), out);
    k.update(0);
    k.send(new byte[8], 0, 8);
    k.flush();
    List<Long> wakeUps = new ArrayList<>();
    long next = k.advance(0);
    while (next != Kcp.NO_EVENT && next < 2_000) {
      wakeUps.add(next);
      out.now = next;
      next = k.advance(next);
    }
    // 225, then rto 400 -> 625, then 800 -> 1425: only the deadlines, no interval polling
    assertEquals(List.of(225L, 625L, 1425L), wakeUps);
    assertEquals(List.of(0L, 225L, 625L, 1425L), pushTimes(out));
  }

  @Test
  void theDeadlineIsAlwaysAheadAndAckOwedIsFlushedAtOnce() {
    Captured out = new Captured();
    Kcp k = new Kcp(CONV, KcpConfig.fast(), out);
    k.advance(1000);
    byte[] push = Captured.segment(CONV, 81, 0, 128, 990, 0, 0, new byte[] {42});
    k.input(push, 0, push.length);
    // An ACK is owed: advance flushes it now, off the interval grid (next tick would be 1010).
    out.now = 1003;
    long next = k.advance(1003);
    assertEquals(List.of(CMD_ACK), out.datagrams.get(0).commands());
    assertEquals(1003, out.datagrams.get(0).at());
    assertTrue(next == Kcp.NO_EVENT || next > 1003, "never due at or before now: " + next);
  }
}
