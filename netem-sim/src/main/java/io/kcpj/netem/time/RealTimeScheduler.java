package io.kcpj.netem.time;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A scheduler on the wall clock ({@link System#nanoTime()}), with one thread of its own that runs
 * every timer action and every {@link #execute(Runnable) executed} task.
 *
 * <p>It drives the same models as {@link VirtualScheduler} in real time, for fronts that move real
 * packets (a TUN bridge, a packet pump). The thread waits on a condition with a nanosecond timeout
 * for the earliest deadline; on Linux that wakes it well under a millisecond late.
 *
 * <p><b>Threading:</b> {@link Timer#scheduleAt(long)}, {@link Timer#cancel()}, {@link
 * #execute(Runnable)}, {@link #nowNanos()} and {@link #close()} may be called from any thread.
 * Actions run on the scheduler's thread only, so state touched only by actions (a {@code Link}
 * created on this scheduler, for instance) needs no lock: hand work to it with {@link
 * #execute(Runnable)}.
 *
 * <p>An action that throws does not stop the scheduler: the exception goes to the error handler (by
 * default, printed to {@code System.err}).
 */
public final class RealTimeScheduler implements Scheduler, Executor, AutoCloseable {

  private final long originNanos = System.nanoTime();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final TimerHeap heap = new TimerHeap();
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private final Consumer<Throwable> errorHandler;
  private final Thread thread;
  private boolean closed;

  /** A started scheduler whose thread is named {@code threadName} (a daemon thread). */
  public RealTimeScheduler(String threadName) {
    this(threadName, Throwable::printStackTrace);
  }

  /**
   * A started scheduler whose thread is named {@code threadName}; exceptions thrown by actions go
   * to {@code errorHandler} (called on the scheduler's thread).
   */
  public RealTimeScheduler(String threadName, Consumer<Throwable> errorHandler) {
    this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
    this.thread = new Thread(this::loop, Objects.requireNonNull(threadName, "threadName"));
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  public long nowNanos() {
    return System.nanoTime() - originNanos;
  }

  @Override
  public Timer newTimer(Runnable action) {
    return new RealTimer(Objects.requireNonNull(action, "action"));
  }

  /** Runs {@code task} on the scheduler's thread as soon as possible, in submission order. */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("scheduler is closed");
      }
      tasks.add(task);
      wakeUp.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Whether the calling thread is this scheduler's thread. */
  public boolean inSchedulerThread() {
    return Thread.currentThread() == thread;
  }

  /**
   * Stops the thread: pending timers and tasks are discarded. Waits up to five seconds for the
   * thread to end (unless called from the scheduler's own thread). Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      tasks.clear();
      while (!heap.isEmpty()) {
        heap.poll();
      }
      wakeUp.signal();
    } finally {
      lock.unlock();
    }
    if (!inSchedulerThread()) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    while (true) {
      Runnable work;
      lock.lock();
      try {
        work = null;
        while (work == null) {
          if (closed) {
            return;
          }
          work = tasks.poll();
          if (work != null) {
            break;
          }
          TimerHeap.Entry top = heap.peek();
          if (top == null) {
            wakeUp.awaitUninterruptibly();
            continue;
          }
          long wait = top.deadline - nowNanos();
          if (wait <= 0) {
            work = ((RealTimer) heap.poll()).action;
          } else {
            try {
              wakeUp.awaitNanos(wait);
            } catch (InterruptedException e) {
              // Only close() ends the loop.
            }
          }
        }
      } finally {
        lock.unlock();
      }
      try {
        work.run();
      } catch (Throwable t) {
        errorHandler.accept(t);
      }
    }
  }

  private final class RealTimer extends TimerHeap.Entry implements Timer {
    final Runnable action;

    RealTimer(Runnable action) {
      this.action = action;
    }

    @Override
    public void scheduleAt(long deadlineNanos) {
      lock.lock();
      try {
        if (closed) {
          return;
        }
        heap.schedule(this, deadlineNanos);
        if (heap.peek() == this) {
          wakeUp.signal();
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void cancel() {
      lock.lock();
      try {
        heap.remove(this);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean isScheduled() {
      lock.lock();
      try {
        return inHeap();
      } finally {
        lock.unlock();
      }
    }
  }
}
