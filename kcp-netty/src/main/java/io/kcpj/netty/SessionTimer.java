package io.kcpj.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of an event loop, shared by every KCP codec on that loop (several datagram
 * channels, e.g. a client with one socket per session, or SO_REUSEPORT servers): a binary
 * min-heap of sessions by deadline (absolute ms on the loop's clock), driven by a single task
 * scheduled on the event loop for the earliest deadline. Adding, moving and removing a session
 * cost O(log n); a tick pops only the sessions that are due, then lets each codec it touched
 * flush once. Sessions with nothing to time (no data in flight, no idle timeout, not closing) are
 * not in the heap at all. Event-loop confined; obtained with {@link #of(EventExecutor)}.
 */
final class SessionTimer {
  private static final Map<EventExecutor, SessionTimer> TIMERS =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** The timer of {@code executor}'s event loop, created on first use. */
  static SessionTimer of(EventExecutor executor) {
    return TIMERS.computeIfAbsent(executor, e -> new SessionTimer(new WeakReference<>(e)));
  }

  private final WeakReference<EventExecutor> executor;
  private final List<KcpCodec> touched = new ArrayList<>();
  private KcpChildChannel[] heap = new KcpChildChannel[16];
  private int size;
  private ScheduledFuture<?> scheduled;
  private long scheduledAt = Long.MAX_VALUE;

  private SessionTimer(WeakReference<EventExecutor> executor) {
    this.executor = executor;
  }

  int size() {
    return size;
  }

  /** Puts {@code child} at {@code deadline}, moving it if present; MAX_VALUE removes it. */
  void set(KcpChildChannel child, long deadline) {
    if (deadline == Long.MAX_VALUE) {
      remove(child);
      return;
    }
    int i = child.heapIndex;
    if (i < 0) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      child.deadline = deadline;
      heap[size] = child;
      child.heapIndex = size;
      siftUp(size++);
      return;
    }
    long old = child.deadline;
    child.deadline = deadline;
    if (deadline < old) {
      siftUp(i);
    } else if (deadline > old) {
      siftDown(i);
    }
  }

  void remove(KcpChildChannel child) {
    int i = child.heapIndex;
    if (i < 0) {
      return;
    }
    child.heapIndex = -1;
    child.deadline = Long.MAX_VALUE;
    KcpChildChannel last = heap[--size];
    heap[size] = null;
    if (i < size) {
      heap[i] = last;
      last.heapIndex = i;
      siftDown(i);
      siftUp(last.heapIndex);
    } else if (size == 0) {
      cancel(); // nothing left to time: leave no wake-up behind (a later earliest re-arms lazily)
    }
  }

  /** The session due first if its deadline is at or before {@code now}, removed; else null. */
  KcpChildChannel pollDue(long now) {
    if (size == 0 || heap[0].deadline > now) {
      return null;
    }
    KcpChildChannel first = heap[0];
    remove(first);
    return first;
  }

  /** Schedules the tick for the earliest deadline, if not already scheduled at or before it. */
  void arm(long now) {
    EventExecutor executor = this.executor.get();
    if (executor == null || executor.isShuttingDown()) {
      return;
    }
    long first = size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    if (first == Long.MAX_VALUE) {
      return; // a pending tick may fire with nothing due: harmless
    }
    if (scheduled != null && scheduledAt <= first) {
      return;
    }
    cancel();
    scheduledAt = first;
    scheduled = executor.schedule(this::tick, Math.max(0, first - now), TimeUnit.MILLISECONDS);
  }

  void cancel() {
    if (scheduled != null) {
      scheduled.cancel(false);
      scheduled = null;
      scheduledAt = Long.MAX_VALUE;
    }
  }

  private void tick() {
    scheduled = null;
    scheduledAt = Long.MAX_VALUE;
    EventExecutor e = executor.get();
    if (e == null) {
      return;
    }
    long now = KcpCodec.clockMillis(e);
    KcpChildChannel due;
    while ((due = pollDue(now)) != null) {
      KcpCodec codec = due.codec();
      if (!codec.inTimerPass) {
        codec.inTimerPass = true;
        touched.add(codec);
      }
      due.onTimer(now);
    }
    for (int i = 0; i < touched.size(); i++) {
      KcpCodec codec = touched.get(i);
      codec.inTimerPass = false;
      codec.afterTimerPass(now);
    }
    touched.clear();
    arm(now);
  }

  private void siftUp(int i) {
    KcpChildChannel c = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      KcpChildChannel p = heap[parent];
      if (p.deadline <= c.deadline) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = c;
    c.heapIndex = i;
  }

  private void siftDown(int i) {
    KcpChildChannel c = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && heap[right].deadline < heap[child].deadline) {
        child = right;
      }
      if (c.deadline <= heap[child].deadline) {
        break;
      }
      heap[i] = heap[child];
      heap[i].heapIndex = i;
      i = child;
    }
    heap[i] = c;
    c.heapIndex = i;
  }
}
