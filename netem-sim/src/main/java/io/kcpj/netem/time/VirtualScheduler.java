package io.kcpj.netem.time;

import java.util.function.BooleanSupplier;

/**
 * A discrete-event scheduler on a virtual clock: time only moves when the caller runs it, and a
 * ten-minute scenario runs as fast as its events can be processed, identically every time.
 *
 * <p>Events are kept in a priority queue ordered by deadline, ties broken by the order in which the
 * timers were armed, so a run is fully deterministic. Running an event first sets the clock to its
 * deadline. The clock never goes backwards; a deadline in the past fires at the current time.
 *
 * <p>Typical test loop, advancing in 10 ms steps and calling an engine's update:
 *
 * <pre>{@code
 * VirtualScheduler clock = new VirtualScheduler();
 * while (clock.nowNanos() < TimeUnits.seconds(60)) {
 *   clock.advanceBy(TimeUnits.millis(10));   // delivers every packet due by then
 *   engine.update(clock.nowMillis());
 * }
 * }</pre>
 *
 * <p><b>Threading:</b> confined. Create, arm timers and run the scheduler from one thread; every
 * action runs on that thread, inside the {@code run...}/{@code advance...} call.
 */
public final class VirtualScheduler implements Scheduler {

  private final TimerHeap heap = new TimerHeap();
  private long now;
  private boolean running;

  /** A scheduler whose clock starts at 0. */
  public VirtualScheduler() {
    this(0);
  }

  /** A scheduler whose clock starts at {@code startNanos}. */
  public VirtualScheduler(long startNanos) {
    this.now = startNanos;
  }

  @Override
  public long nowNanos() {
    return now;
  }

  @Override
  public Timer newTimer(Runnable action) {
    if (action == null) {
      throw new NullPointerException("action");
    }
    return new VirtualTimer(action);
  }

  /** The number of armed timers. */
  public int pendingEvents() {
    return heap.size();
  }

  /** The earliest pending deadline, or {@link Long#MAX_VALUE} when idle. */
  public long nextEventNanos() {
    TimerHeap.Entry top = heap.peek();
    return top == null ? Long.MAX_VALUE : Math.max(top.deadline, now);
  }

  /**
   * Runs every event due at or before {@code deadlineNanos}, in order (including events those
   * events arm, if due), then sets the clock to {@code deadlineNanos} if it is later than now.
   *
   * @return the number of events run
   */
  public long runUntil(long deadlineNanos) {
    long count = 0;
    enter();
    try {
      TimerHeap.Entry top;
      while ((top = heap.peek()) != null && top.deadline <= deadlineNanos) {
        runOne();
        count++;
      }
      if (deadlineNanos > now) {
        now = deadlineNanos;
      }
    } finally {
      running = false;
    }
    return count;
  }

  /** Advances the clock by {@code nanos}, running the events due on the way. */
  public long advanceBy(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("cannot advance by a negative time: " + nanos);
    }
    return runUntil(Math.addExact(now, nanos));
  }

  /** Advances the clock by {@code millis} milliseconds, running the events due on the way. */
  public long advanceByMillis(long millis) {
    return advanceBy(TimeUnits.millis(millis));
  }

  /**
   * Runs events until none is left; the clock stays at the last event's deadline. Never returns if
   * an action keeps re-arming itself: use {@link #runUntil(long)} for periodic work.
   *
   * @return the number of events run
   */
  public long runUntilIdle() {
    return runUntilIdle(Long.MAX_VALUE);
  }

  /**
   * Runs events until none is left or the next one is due after {@code limitNanos}; the clock stays
   * at the last event run (it is not moved to the limit).
   *
   * @return the number of events run
   */
  public long runUntilIdle(long limitNanos) {
    long count = 0;
    enter();
    try {
      TimerHeap.Entry top;
      while ((top = heap.peek()) != null && top.deadline <= limitNanos) {
        runOne();
        count++;
      }
    } finally {
      running = false;
    }
    return count;
  }

  /**
   * Runs events in order until {@code condition} holds (checked before each event) or the next
   * event is due after {@code limitNanos}.
   *
   * @return whether the condition holds
   */
  public boolean runUntil(BooleanSupplier condition, long limitNanos) {
    enter();
    try {
      TimerHeap.Entry top;
      while (!condition.getAsBoolean()) {
        top = heap.peek();
        if (top == null || top.deadline > limitNanos) {
          return false;
        }
        runOne();
      }
      return true;
    } finally {
      running = false;
    }
  }

  private void enter() {
    if (running) {
      throw new IllegalStateException("the scheduler is already running (re-entrant run call)");
    }
    running = true;
  }

  private void runOne() {
    VirtualTimer timer = (VirtualTimer) heap.poll();
    if (timer.deadline > now) {
      now = timer.deadline;
    }
    timer.action.run();
  }

  private final class VirtualTimer extends TimerHeap.Entry implements Timer {
    final Runnable action;

    VirtualTimer(Runnable action) {
      this.action = action;
    }

    @Override
    public void scheduleAt(long deadlineNanos) {
      heap.schedule(this, Math.max(deadlineNanos, now));
    }

    @Override
    public void cancel() {
      heap.remove(this);
    }

    @Override
    public boolean isScheduled() {
      return inHeap();
    }
  }
}
