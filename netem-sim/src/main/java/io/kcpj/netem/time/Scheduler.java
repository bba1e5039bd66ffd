package io.kcpj.netem.time;

/**
 * A clock with timers: the only notion of time in netem-sim.
 *
 * <p>Time is a {@code long} count of nanoseconds since the scheduler's own origin (its creation for
 * the real-time scheduler, 0 for the virtual one). Rates need sub-millisecond precision, so
 * nanoseconds are the unit everywhere; {@link #nowMillis()} and {@link TimeUnits} are the
 * millisecond conveniences.
 *
 * <p>A {@link Timer} is reusable: one object, re-armed as often as needed, so a link keeps one
 * timer per direction for the head of its delivery queue instead of one event per packet.
 *
 * <p>Threading depends on the implementation: {@link VirtualScheduler} and {@link
 * WallClockScheduler} are confined to the thread that drives them (a test, an I/O loop); a Netty
 * front's scheduler runs on the channel's event loop.
 */
public interface Scheduler {

  /** The current time in nanoseconds since this scheduler's origin. */
  long nowNanos();

  /** The current time in whole milliseconds since this scheduler's origin. */
  default long nowMillis() {
    return nowNanos() / TimeUnits.NANOS_PER_MILLI;
  }

  /**
   * A new, unarmed timer that runs {@code action} on this scheduler's thread each time it fires.
   * Arm it with {@link Timer#scheduleAt(long)}.
   */
  Timer newTimer(Runnable action);

  /**
   * Runs {@code action} once at {@code deadlineNanos} (or as soon as possible if that has passed).
   */
  default Timer schedule(long deadlineNanos, Runnable action) {
    Timer timer = newTimer(action);
    timer.scheduleAt(deadlineNanos);
    return timer;
  }

  /** Runs {@code action} once, {@code delayNanos} from now. */
  default Timer scheduleAfter(long delayNanos, Runnable action) {
    return schedule(nowNanos() + delayNanos, action);
  }
}
