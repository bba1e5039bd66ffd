package io.kcpj.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link RtoGate} on its own: the verdict counts, the stall window, the decay and the RTO it hands
 * out. The engine-level behaviour (which ACK is late, the ACK hold) is in {@link
 * ThinStreamRecoveryTest}.
 */
class RtoGateTest {
  private static final int INTERVAL = 10;

  /** A gate whose estimators have seen a steady 100 ms path (ikcp's RTO 110). */
  private static RtoGate steadyGate() {
    RtoGate gate = new RtoGate(Kcp.RTO_DEFAULT);
    for (int i = 0; i < 20; i++) {
      gate.onRttSample(100, 110, INTERVAL, 10);
    }
    return gate;
  }

  @Test
  void opensAtTwoLateAcksAndClosesWhenLostFirstSendsReachOneInFour() {
    RtoGate gate = steadyGate();
    assertFalse(gate.judge(false, true, 1_000, INTERVAL), "one late ACK is not enough");
    assertTrue(gate.judge(false, true, 2_000, INTERVAL), "the second opens it");
    assertTrue(gate.isOpen());
    assertFalse(gate.judge(false, true, 3_000, INTERVAL));
    assertFalse(gate.judge(false, true, 4_000, INTERVAL));
    assertFalse(gate.judge(true, false, 5_000, INTERVAL), "4 late to 1 lost: still open");
    assertFalse(gate.judge(false, false, 6_000, INTERVAL), "an in-time ACK changes nothing");
    assertTrue(gate.judge(true, false, 7_000, INTERVAL), "4 late to 2 lost: closed");
    assertFalse(gate.isOpen());
  }

  @Test
  void lateAcksLessThanOneIntervalAfterTheLastCountedOneAreTheSameStall() {
    RtoGate gate = steadyGate();
    gate.judge(false, true, 1_000, INTERVAL);
    gate.judge(false, true, 1_004, INTERVAL);
    assertFalse(gate.judge(false, true, 1_009, INTERVAL), "0, 4 and 9 ms: one stall");
    assertFalse(gate.isOpen());
    assertTrue(gate.judge(false, true, 1_010, INTERVAL), "one interval after the counted one");
  }

  @Test
  void aLateAckBeforeTheLastCountedOneIsAnotherStall() {
    RtoGate gate = steadyGate();
    gate.judge(false, true, 1_000, INTERVAL);
    assertTrue(gate.judge(false, true, 995, INTERVAL), "the clock stepped back: counted, open");
  }

  @Test
  void theCountsHalveEveryWindowSoOldEvidenceFades() {
    RtoGate gate = steadyGate();
    gate.judge(false, true, 1_000, INTERVAL);
    assertTrue(gate.judge(false, true, 2_000, INTERVAL));
    int now = 3_000;
    for (int v = 2; v < RtoGate.WINDOW - 1; v++) {
      assertFalse(gate.judge(false, false, now++, INTERVAL), "verdict " + v + ": still open");
    }
    assertTrue(gate.judge(false, false, now, INTERVAL), "the halving leaves one late ACK: closed");
    assertFalse(gate.isOpen());
  }

  @Test
  void theRtoInUseIsIkcpsWhileClosedAndNeverBelowIkcpsWhileOpen() {
    // Both estimators fed as the engine feeds them; ThinStreamRecoveryTest.Estimators keeps the
    // same arithmetic independently.
    ThinStreamRecoveryTest.Estimators est = new ThinStreamRecoveryTest.Estimators(INTERVAL, 10);
    RtoGate gate = new RtoGate(Kcp.RTO_DEFAULT);
    for (int i = 0; i < 40; i++) { // an RTT alternating 70 and 90 ms: the finer RTO is higher
      int rtt = i % 2 == 0 ? 70 : 90;
      est.sample(rtt);
      assertEquals(est.coarse(), gate.onRttSample(rtt, est.coarse(), INTERVAL, 10), "closed");
    }
    assertTrue(est.fine() > est.coarse());
    gate.judge(false, true, 1_000, INTERVAL);
    assertTrue(gate.judge(false, true, 2_000, INTERVAL));
    assertEquals(est.fine(), gate.rtoInUse(), "open: the finer RTO, above ikcp's");
    est.sample(80);
    assertEquals(est.gated(), gate.onRttSample(80, est.coarse(), INTERVAL, 10));
    assertEquals(300, gate.onRttSample(80, 300, INTERVAL, 10), "open, ikcp's above: ikcp's");
  }

  @Test
  void restartForgetsTheEvidenceAndStartsTheFinerEstimatorFromIkcps() {
    RtoGate gate = steadyGate();
    gate.judge(false, true, 1_000, INTERVAL);
    gate.judge(false, true, 2_000, INTERVAL);
    assertTrue(gate.isOpen());
    gate.restart(170, 120, 10);
    assertFalse(gate.isOpen());
    assertEquals(170, gate.rtoInUse(), "closed: ikcp's RTO as it was");
    assertFalse(gate.judge(false, true, 2_005, INTERVAL), "one late ACK after the restart");
    assertTrue(gate.judge(false, true, 3_000, INTERVAL));
    // srtt 120 and rttvar 10 carried over: a 120 ms sample leaves srtt at 120 and 4 × rttvar at
    // 40 - 10 = 30, so the finer RTO is 120 + 30 = 150 (not the 170 it started from), above
    // ikcp's 140.
    assertEquals(150, gate.onRttSample(120, 140, INTERVAL, 10));
  }
}
