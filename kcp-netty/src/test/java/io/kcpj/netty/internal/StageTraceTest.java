package io.kcpj.netty.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The stage trace's slot check and its behaviour when tracing is off. */
class StageTraceTest {
  @Test
  void anIndexPastTheIntRangeNeverGetsASlot() {
    assertTrue(StageTrace.kept(0));
    assertTrue(StageTrace.kept(StageTrace.CAPACITY - 1));
    assertFalse(StageTrace.kept(StageTrace.CAPACITY));
    assertFalse(StageTrace.kept(-1), "a counter that wrapped past 2^31 marks");
    assertFalse(StageTrace.kept(Integer.MIN_VALUE));
  }

  @Test
  void markIsANoOpWhenTracingIsOff() {
    if (!StageTrace.ON) {
      assertDoesNotThrow(() -> StageTrace.mark(StageTrace.CHILD_INPUT));
    }
  }
}
