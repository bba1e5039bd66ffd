package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The edges of the replay window: its size, its lower bound, duplicates, and the ring's wrap. */
class ReplayWindowTest {

  @Test
  void theWindowIsAtLeast1024AndExactly1984() {
    assertTrue(ReplayWindow.WINDOW >= 1024);
    assertEquals(1984, ReplayWindow.WINDOW);
  }

  @Test
  void acceptsEachNumberOnceInAnyOrderInsideTheWindow() {
    ReplayWindow w = new ReplayWindow();
    assertTrue(w.isAcceptable(0));
    accept(w, 5000);
    for (long pn = 5000 - 1984; pn < 5000; pn += 7) {
      assertTrue(w.isAcceptable(pn), "pn " + pn);
      w.markAccepted(pn);
      assertFalse(w.isAcceptable(pn), "replay of " + pn);
    }
    assertFalse(w.isAcceptable(5000));
  }

  @Test
  void theLowerEdgeIsLargestMinus1984() {
    ReplayWindow w = new ReplayWindow();
    accept(w, 10_000);
    assertTrue(w.isAcceptable(10_000 - 1984));
    assertFalse(w.isTooOld(10_000 - 1984));
    assertTrue(w.isTooOld(10_000 - 1985));
    assertFalse(w.isAcceptable(10_000 - 1985));
  }

  @Test
  void advancingClearsTheWordsItPassesSoOldBitsNeverReject() {
    ReplayWindow w = new ReplayWindow();
    for (long pn = 0; pn < 2048; pn++) {
      accept(w, pn);
    }
    // Jump by exactly one ring (2,048): every word is reused for new numbers.
    accept(w, 4095);
    for (long pn = 4095 - 1984; pn < 4095; pn++) {
      assertTrue(w.isAcceptable(pn), "pn " + pn + " inherited a stale bit");
    }
    // Jump far: everything below is too old, everything in the new window fresh.
    accept(w, 1_000_000);
    assertTrue(w.isTooOld(4095));
    assertTrue(w.isAcceptable(999_999));
  }

  @Test
  void negativeNumbersAreNeverAcceptable() {
    assertFalse(new ReplayWindow().isAcceptable(-1));
  }

  private static void accept(ReplayWindow w, long pn) {
    assertTrue(w.isAcceptable(pn), "pn " + pn);
    w.markAccepted(pn);
  }
}
