package io.kcpj.netem.time;

/**
 * A reusable one-shot timer created by {@link Scheduler#newTimer(Runnable)}.
 *
 * <p>At most one deadline is pending at a time: {@link #scheduleAt(long)} replaces the pending one.
 * When the timer fires it becomes unarmed before its action runs, so the action may re-arm it.
 * Thread rules are those of the scheduler that created it.
 */
public interface Timer {

  /**
   * Arms (or re-arms) the timer for {@code deadlineNanos} on its scheduler's clock. A deadline in
   * the past fires as soon as possible. Timers with equal deadlines fire in the order they were
   * armed.
   */
  void scheduleAt(long deadlineNanos);

  /** Disarms the timer; does nothing if it is not armed. */
  void cancel();

  /** Whether a deadline is pending. */
  boolean isScheduled();
}
