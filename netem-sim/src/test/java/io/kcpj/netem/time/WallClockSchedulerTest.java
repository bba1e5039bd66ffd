package io.kcpj.netem.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wall-clock driver on a wall clock the test moves by hand. */
class WallClockSchedulerTest {
  private static final long MS = TimeUnits.NANOS_PER_MILLI;

  /** A wall clock that moves only when told to. */
  private static final class Wall {
    long nanos;

    Wall(long start) {
      nanos = start;
    }
  }

  @Test
  void timeStandsStillBetweenStepsAndAStepRunsDueTimersInOrderAtTheirDeadlines() {
    Wall wall = new Wall(7_000 * MS);
    WallClockScheduler clock = new WallClockScheduler(() -> wall.nanos);
    assertEquals(0, clock.nowNanos());
    List<long[]> fired = new ArrayList<>();
    for (long at : new long[] {3 * MS, 1 * MS, 7 * MS}) {
      clock.schedule(at, () -> fired.add(new long[] {at, clock.nowNanos()}));
    }
    assertEquals(1 * MS, clock.nextDueNanos());
    assertEquals(7_001 * MS, clock.nextDueWallNanos());

    wall.nanos += 5 * MS;
    assertEquals(0, clock.nowNanos(), "nothing moves until the owner steps the clock");
    assertEquals(5 * MS, clock.wallNanos());
    assertEquals(-4 * MS, clock.nanosUntilNextDue(), "overdue by 4 ms");
    assertEquals(5 * MS, clock.advance());
    assertEquals(2, fired.size());
    assertEquals(List.of(1 * MS, 1 * MS), List.of(fired.get(0)[0], fired.get(0)[1]));
    assertEquals(List.of(3 * MS, 3 * MS), List.of(fired.get(1)[0], fired.get(1)[1]));
    assertEquals(2 * MS, clock.nanosUntilNextDue());

    wall.nanos += 100 * MS; // a late wake-up: the action still sees its own deadline
    clock.advance();
    assertEquals(7 * MS, fired.get(2)[1]);
    assertEquals(105 * MS, clock.nowNanos());
    assertEquals(Long.MAX_VALUE, clock.nextDueNanos());
    assertEquals(Long.MAX_VALUE, clock.nextDueWallNanos());
    assertEquals(Long.MAX_VALUE, clock.nanosUntilNextDue());
  }

  @Test
  void advanceToRunsWhatIsDueNowAndNeverGoesBack() {
    Wall wall = new Wall(0);
    WallClockScheduler clock = new WallClockScheduler(() -> wall.nanos);
    wall.nanos = 10 * MS;
    clock.advance();
    List<Long> fired = new ArrayList<>();
    clock.schedule(clock.nowNanos(), () -> fired.add(clock.nowNanos()));
    assertEquals(10 * MS, clock.advanceTo(4 * MS), "an earlier stamp does not move time back");
    assertEquals(List.of(10 * MS), fired, "a timer due at the current time runs");
    assertEquals(12 * MS, clock.advanceTo(12 * MS));
  }

  @Test
  void convertsBetweenWallAndClockAcrossTheNanoTimeWrap() {
    long origin = Long.MAX_VALUE - 5 * MS;
    Wall wall = new Wall(origin);
    WallClockScheduler clock = new WallClockScheduler(() -> wall.nanos, origin);
    assertEquals(origin, clock.originWallNanos());
    wall.nanos += 8 * MS; // System.nanoTime() may wrap: differences stay right
    assertEquals(8 * MS, clock.wallNanos());
    List<Long> fired = new ArrayList<>();
    clock.schedule(6 * MS, () -> fired.add(clock.nowNanos()));
    assertEquals(origin + 6 * MS, clock.nextDueWallNanos());
    assertEquals(6 * MS, clock.toClockNanos(clock.nextDueWallNanos()));
    clock.advance();
    assertEquals(List.of(6 * MS), fired);
  }

  @Test
  void aTimerActionCannotStepTheClock() {
    Wall wall = new Wall(0);
    WallClockScheduler clock = new WallClockScheduler(() -> wall.nanos);
    List<Throwable> thrown = new ArrayList<>();
    clock.schedule(
        1 * MS,
        () -> {
          try {
            clock.advance();
          } catch (IllegalStateException e) {
            thrown.add(e);
          }
        });
    wall.nanos = 2 * MS;
    clock.advance();
    assertEquals(1, thrown.size());
    assertThrows(NullPointerException.class, () -> new WallClockScheduler(null, 0));
  }
}
