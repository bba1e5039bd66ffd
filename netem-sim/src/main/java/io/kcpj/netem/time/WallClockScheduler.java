package io.kcpj.netem.time;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * netem-sim's wall-clock driver: a {@link Scheduler} whose time follows the wall clock ({@link
 * System#nanoTime()}), stepped by the thread that owns it. It is how a real-time front runs the
 * models on its own I/O thread: the UDP proxy's selector loop and the TUN bridge's {@code ppoll}
 * loop both drive their links with one.
 *
 * <p>Inside is a {@link VirtualScheduler}: time moves only when the owner calls {@link #advance()}
 * or {@link #advanceTo(long)}, which run every timer due by then, in deadline order, each at its
 * own deadline (so a link delivers each packet at its time, never early). Between two steps {@link
 * #nowNanos()} stays where the last step left it: a packet offered right after a step is offered at
 * the clock's time, never ahead of it, and every packet due before it has already left.
 *
 * <pre>{@code
 * WallClockScheduler clock = new WallClockScheduler();      // time 0 = now
 * Link<byte[]> link = Link.builder(clock, PacketAdapter.byteArrays())...build();
 * while (running) {
 *   clock.advance();                                       // deliver what is due by now
 *   long wait = clock.nanosUntilNextDue();                 // Long.MAX_VALUE: nothing held
 *   selector.select(wait == Long.MAX_VALUE ? 0 : Math.max(1, (wait + 999_999) / 1_000_000));
 *   clock.advance();
 *   // for each datagram read now:
 *   link.aToB().offer(packet);                             // at clock.nowNanos()
 * }
 * }</pre>
 *
 * <p><b>Time axis.</b> Nanoseconds since the origin: the wall clock's reading when the scheduler
 * was made, or the one given to {@link #WallClockScheduler(LongSupplier, long)}. A timeline (a
 * blackout at 10 s) counts from the origin. {@link #toClockNanos(long)} and {@link
 * #toWallNanos(long)} convert between the two; both are wrap-safe differences, like {@code
 * System.nanoTime()} itself. How late a timer runs is up to the owner's loop (a selector wakes at
 * millisecond resolution, {@code ppoll} at nanosecond resolution): the action still sees {@link
 * #nowNanos()} equal to its deadline.
 *
 * <p><b>Threading:</b> confined to the owner's thread, like {@link VirtualScheduler}: create
 * timers, offer packets and step the clock there; every timer action runs inside {@code
 * advance...}, on that thread. A timer action must not step the clock itself (that fails with
 * {@link IllegalStateException}).
 */
public final class WallClockScheduler implements Scheduler {
  private final LongSupplier wallClock;
  private final long originWallNanos;
  private final VirtualScheduler clock = new VirtualScheduler(0);

  /** A scheduler on {@link System#nanoTime()} whose time 0 is now. */
  public WallClockScheduler() {
    this(System::nanoTime);
  }

  /** A scheduler on {@code wallClock} (nanoseconds) whose time 0 is the clock's reading now. */
  public WallClockScheduler(LongSupplier wallClock) {
    this(wallClock, wallClock.getAsLong());
  }

  /**
   * A scheduler on {@code wallClock} (nanoseconds, e.g. {@code System::nanoTime}) whose time 0 is
   * the wall time {@code originWallNanos}.
   */
  public WallClockScheduler(LongSupplier wallClock, long originWallNanos) {
    this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    this.originWallNanos = originWallNanos;
  }

  /** The time the clock was last stepped to (not the live wall clock: see {@link #wallNanos()}). */
  @Override
  public long nowNanos() {
    return clock.nowNanos();
  }

  @Override
  public Timer newTimer(Runnable action) {
    return clock.newTimer(action);
  }

  /** The wall clock's current reading on this scheduler's time axis; steps nothing. */
  public long wallNanos() {
    return toClockNanos(wallClock.getAsLong());
  }

  /**
   * Steps the clock to the wall clock's current time, running every timer due by then.
   *
   * @return the new {@link #nowNanos()}
   */
  public long advance() {
    return advanceTo(wallNanos());
  }

  /**
   * Steps the clock to {@code clockNanos} (on this scheduler's axis) if that is later than now, and
   * runs every timer due by then (including those due at the current time, e.g. a packet offered
   * without delay). The caller vouches that {@code clockNanos} is not in the future of the wall
   * clock (a packet's read time, the current time).
   *
   * @return the new {@link #nowNanos()}
   * @throws IllegalStateException if called from inside a timer action
   */
  public long advanceTo(long clockNanos) {
    clock.runUntil(Math.max(clockNanos, clock.nowNanos()));
    return clock.nowNanos();
  }

  /** The deadline of the earliest armed timer on this axis, or {@link Long#MAX_VALUE} if none. */
  public long nextDueNanos() {
    return clock.nextEventNanos();
  }

  /**
   * The wall time ({@code System.nanoTime()} terms) of the earliest armed timer, or {@link
   * Long#MAX_VALUE} if none: a {@code ppoll} deadline.
   */
  public long nextDueWallNanos() {
    long next = clock.nextEventNanos();
    return next == Long.MAX_VALUE ? Long.MAX_VALUE : toWallNanos(next);
  }

  /**
   * Nanoseconds from the wall clock's current time to the earliest armed timer (0 or less when it
   * is already due), or {@link Long#MAX_VALUE} if none: a selector's timeout.
   */
  public long nanosUntilNextDue() {
    long next = clock.nextEventNanos();
    return next == Long.MAX_VALUE ? Long.MAX_VALUE : next - wallNanos();
  }

  /** A wall-clock reading ({@code System.nanoTime()} terms) on this scheduler's axis. */
  public long toClockNanos(long wallNanos) {
    return wallNanos - originWallNanos;
  }

  /** A time on this scheduler's axis as a wall-clock reading ({@code System.nanoTime()} terms). */
  public long toWallNanos(long clockNanos) {
    return clockNanos + originWallNanos;
  }

  /** The wall-clock reading of time 0. */
  public long originWallNanos() {
    return originWallNanos;
  }
}
