package io.kcpj.netem.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {

  @Test
  void runsEventsInDeadlineOrderAndSetsTheClock() {
    VirtualScheduler s = new VirtualScheduler();
    List<String> log = new ArrayList<>();
    s.schedule(300, () -> log.add("c@" + s.nowNanos()));
    s.schedule(100, () -> log.add("a@" + s.nowNanos()));
    s.schedule(200, () -> log.add("b@" + s.nowNanos()));
    assertEquals(3, s.pendingEvents());
    assertEquals(100, s.nextEventNanos());
    assertEquals(3, s.runUntilIdle());
    assertEquals(List.of("a@100", "b@200", "c@300"), log);
    assertEquals(300, s.nowNanos());
  }

  @Test
  void equalDeadlinesRunInArmingOrder() {
    VirtualScheduler s = new VirtualScheduler();
    List<Integer> log = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      int id = i;
      s.schedule(1000, () -> log.add(id));
    }
    s.runUntilIdle();
    for (int i = 0; i < 50; i++) {
      assertEquals(i, log.get(i));
    }
  }

  @Test
  void rearmingMovesTheTimerAndCountsAsANewArming() {
    VirtualScheduler s = new VirtualScheduler();
    List<String> log = new ArrayList<>();
    Timer a = s.newTimer(() -> log.add("a"));
    Timer b = s.newTimer(() -> log.add("b"));
    a.scheduleAt(10);
    b.scheduleAt(10);
    a.scheduleAt(10); // re-armed after b: now runs after b
    s.runUntilIdle();
    assertEquals(List.of("b", "a"), log);
    assertFalse(a.isScheduled());
  }

  @Test
  void cancelledTimersDoNotRun() {
    VirtualScheduler s = new VirtualScheduler();
    List<String> log = new ArrayList<>();
    Timer a = s.schedule(10, () -> log.add("a"));
    s.schedule(20, () -> log.add("b"));
    a.cancel();
    assertFalse(a.isScheduled());
    s.runUntilIdle();
    assertEquals(List.of("b"), log);
  }

  @Test
  void runUntilStopsAtTheLimitAndMovesTheClockThere() {
    VirtualScheduler s = new VirtualScheduler();
    List<Long> log = new ArrayList<>();
    for (long t = 10; t <= 100; t += 10) {
      s.schedule(t, () -> log.add(s.nowNanos()));
    }
    assertEquals(5, s.runUntil(55));
    assertEquals(55, s.nowNanos());
    assertEquals(List.of(10L, 20L, 30L, 40L, 50L), log);
    s.advanceBy(5);
    assertEquals(6, log.size());
    assertEquals(60, s.nowNanos());
  }

  @Test
  void pastDeadlinesFireAtTheCurrentTime() {
    VirtualScheduler s = new VirtualScheduler(1000);
    long[] seen = {-1};
    s.schedule(5, () -> seen[0] = s.nowNanos());
    s.runUntilIdle();
    assertEquals(1000, seen[0]);
  }

  @Test
  void actionsMayArmTimersThatRunInTheSameCall() {
    VirtualScheduler s = new VirtualScheduler();
    List<Long> log = new ArrayList<>();
    Timer[] periodic = new Timer[1];
    periodic[0] =
        s.newTimer(
            () -> {
              log.add(s.nowNanos());
              periodic[0].scheduleAt(s.nowNanos() + 10);
            });
    periodic[0].scheduleAt(0);
    s.runUntil(45);
    assertEquals(List.of(0L, 10L, 20L, 30L, 40L), log);
    assertTrue(periodic[0].isScheduled());
  }

  @Test
  void runUntilConditionStopsWhenTheConditionHolds() {
    VirtualScheduler s = new VirtualScheduler();
    int[] count = {0};
    for (int i = 1; i <= 10; i++) {
      s.schedule(i * 100L, () -> count[0]++);
    }
    assertTrue(s.runUntil(() -> count[0] == 3, Long.MAX_VALUE));
    assertEquals(300, s.nowNanos());
    assertFalse(s.runUntil(() -> count[0] == 100, 500));
    assertEquals(5, count[0]);
  }

  @Test
  void reentrantRunIsRejected() {
    VirtualScheduler s = new VirtualScheduler();
    s.schedule(1, s::runUntilIdle);
    assertThrows(IllegalStateException.class, s::runUntilIdle);
  }

  @Test
  void millisecondConveniences() {
    VirtualScheduler s = new VirtualScheduler();
    s.advanceByMillis(25);
    assertEquals(25_000_000L, s.nowNanos());
    assertEquals(25, s.nowMillis());
    assertEquals("25ms", TimeUnits.format(s.nowNanos()));
    assertEquals("3s", TimeUnits.format(TimeUnits.seconds(3)));
    assertEquals("1.5ms", TimeUnits.format(1_500_000));
    assertEquals("45.5ms", TimeUnits.format(45_500_000));
    assertEquals("7ns", TimeUnits.format(7));
    assertEquals("40us", TimeUnits.format(40_000));
    assertEquals(45_500_000, TimeUnits.parse("45.5ms"));
  }
}
