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
    RtoGate gate = new RtoGate(Kcp.RTO_DEFAULT);
    for (int i = 0; i < 40; i++) { // an RTT alternating 70 and 90 ms: the finer RTO is higher
      int rtt = i % 2 == 0 ? 70 : 90;
      assertEquals(120, gate.onRttSample(rtt, 120, INTERVAL, 10), "closed: ikcp's RTO");
    }
    gate.judge(false, true, 1_000, INTERVAL);
    gate.judge(false, true, 2_000, INTERVAL);
    int fine = gate.onRttSample(80, 80, INTERVAL, 10);
    assertTrue(fine > 80, "open, with a finer RTO above ikcp's: the finer (" + fine + ")");
    assertEquals(fine, gate.rtoInUse());
    assertEquals(300, gate.onRttSample(80, 300, INTERVAL, 10), "open, ikcp's above: ikcp's");
  }

  @Test
  void restartForgetsTheEvidenceAndStartsTheFinerEstimatorFromIkcps() {
    RtoGate gate = steadyGate();
    gate.judge(false, true, 1_000, INTERVAL);
    gate.judge(false, true, 2_000, INTERVAL);
    assertTrue(gate.isOpen());
    gate.restart(150, 120, 10);
    assertFalse(gate.isOpen());
    assertEquals(150, gate.rtoInUse());
    assertFalse(gate.judge(false, true, 2_005, INTERVAL), "one late ACK after the restart");
    assertTrue(gate.judge(false, true, 3_000, INTERVAL));
    // srtt 120 and rttvar 10 carried over: a 120 ms sample leaves srtt at 120 and 4 × rttvar at
    // 40 - 10 = 30, so the finer RTO is 120 + 30 = 150.
    assertEquals(150, gate.onRttSample(120, 140, INTERVAL, 10));
  }
}
