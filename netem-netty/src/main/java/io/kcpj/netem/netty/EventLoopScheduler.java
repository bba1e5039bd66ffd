package io.kcpj.netem.netty;

import io.kcpj.netem.time.Scheduler;
import io.kcpj.netem.time.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Ticker;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} on a Netty {@link EventExecutor} (a channel's event loop): the clock is the
 * executor's {@link Ticker} (so {@code EmbeddedChannel}'s controllable clock drives it in tests)
 * and timers are the executor's scheduled tasks.
 *
 * <p><b>Threading:</b> use it from the executor's thread only (as a channel handler does); timer
 * actions run there. Re-arming a timer cancels and replaces one scheduled task, so it allocates:
 * fine for real-time traffic, not meant for virtual-time throughput.
 */
public final class EventLoopScheduler implements Scheduler {
  private final EventExecutor executor;
  private final Ticker ticker;
  private final long originNanos;

  /** A scheduler whose time 0 is now on {@code executor}'s ticker. */
  public EventLoopScheduler(EventExecutor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.ticker = executor.ticker();
    this.originNanos = ticker.nanoTime();
  }

  /** The executor the timers run on. */
  public EventExecutor executor() {
    return executor;
  }

  @Override
  public long nowNanos() {
    return ticker.nanoTime() - originNanos;
  }

  @Override
  public Timer newTimer(Runnable action) {
    return new LoopTimer(Objects.requireNonNull(action, "action"));
  }

  private final class LoopTimer implements Timer, Runnable {
    private final Runnable action;
    private Future<?> pending;

    LoopTimer(Runnable action) {
      this.action = action;
    }

    @Override
    public void scheduleAt(long deadlineNanos) {
      cancel();
      long delay = Math.max(0L, deadlineNanos - nowNanos());
      pending = executor.schedule(this, delay, TimeUnit.NANOSECONDS);
    }

    @Override
    public void cancel() {
      if (pending != null) {
        pending.cancel(false);
        pending = null;
      }
    }

    @Override
    public boolean isScheduled() {
      return pending != null;
    }

    @Override
    public void run() {
      pending = null;
      action.run();
    }
  }
}
