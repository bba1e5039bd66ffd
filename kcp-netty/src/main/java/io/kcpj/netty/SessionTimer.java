package io.kcpj.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of an event loop, shared by every KCP codec on that loop (several datagram
 * channels, e.g. a client with one socket per session, or SO_REUSEPORT servers), driven by a single
 * task scheduled on the event loop for the earliest deadline.
 *
 * <p>Two min-heaps of {@link TimerEntry}s: <b>engine</b> deadlines (a session's next
 * retransmission, window probe or close timeout — present only while it has such work, so this heap
 * holds the sessions with data in flight) and <b>idle</b> deadlines (present for every session with
 * an idle timeout, and <em>lazy</em>: input does not move the entry; when it fires early the
 * session re-arms it from its last input). Keeping them apart matters for cost: a busy session
 * moves its engine entry twice per message (out on send, removed on ACK), and that costs O(log
 * in-flight sessions) instead of O(log all sessions).
 *
 * <p>A tick pops the due entries, runs each session once, then lets each codec it touched flush
 * once. Sessions with nothing to time are in neither heap. Event-loop confined; obtained with
 * {@link #of(EventExecutor)}.
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
  private final DeadlineHeap engine = new DeadlineHeap();
  private final DeadlineHeap idle = new DeadlineHeap();
  private ScheduledFuture<?> scheduled;
  private long scheduledAt = Long.MAX_VALUE;

  private SessionTimer(WeakReference<EventExecutor> executor) {
    this.executor = executor;
  }

  /** Entries in both heaps. */
  int size() {
    return engine.size() + idle.size();
  }

  /** Entries in the engine heap (sessions with timed engine work). */
  int engineSize() {
    return engine.size();
  }

  /** Puts a session's engine entry at {@code deadline}, moving it if present; MAX removes it. */
  void setEngine(TimerEntry e, long deadline) {
    engine.set(e, deadline);
    dropStaleWakeUp();
  }

  /** Puts a session's idle entry at {@code deadline}, moving it if present; MAX removes it. */
  void setIdle(TimerEntry e, long deadline) {
    idle.set(e, deadline);
    dropStaleWakeUp();
  }

  /** Removes both of a session's entries. */
  void remove(KcpChildChannel child) {
    engine.remove(child.engineTimer);
    idle.remove(child.idleTimer);
    dropStaleWakeUp();
  }

  /**
   * A wake-up scheduled well before the (new) earliest deadline would find nothing due: move it.
   * Typical at low load — an echo's retransmission entry is removed by its ACK 1 ms later and the
   * next deadline is an idle timeout a minute away — where each wasted wake-up of an idle event
   * loop costs about as much as a message. Under load the earliest deadline moves by fractions of a
   * millisecond, within the slack, and the pending wake-up is kept (no cancel/schedule churn).
   */
  private void dropStaleWakeUp() {
    if (scheduled == null) {
      return;
    }
    long first = Math.min(engine.earliest(), idle.earliest());
    if (first == Long.MAX_VALUE) {
      cancel(); // nothing left to time
    } else if (first - scheduledAt > RESCHEDULE_SLACK_MILLIS) {
      EventExecutor e = executor.get();
      cancel();
      if (e != null) {
        arm(KcpCodec.clockMillis(e));
      }
    }
  }

  /** How much later the earliest deadline must be before a pending wake-up is moved. */
  static final long RESCHEDULE_SLACK_MILLIS = 5;

  /** Schedules the tick for the earliest deadline, if not already scheduled at or before it. */
  void arm(long now) {
    EventExecutor executor = this.executor.get();
    if (executor == null || executor.isShuttingDown()) {
      return;
    }
    long first = Math.min(engine.earliest(), idle.earliest());
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
    TimerEntry due;
    while ((due = engine.pollDue(now)) != null || (due = idle.pollDue(now)) != null) {
      KcpChildChannel session = due.session;
      KcpCodec codec = session.codec();
      if (!codec.inTimerPass) {
        codec.inTimerPass = true;
        touched.add(codec);
      }
      session.onTimer(now);
    }
    for (int i = 0; i < touched.size(); i++) {
      KcpCodec codec = touched.get(i);
      codec.inTimerPass = false;
      codec.afterTimerPass(now);
    }
    touched.clear();
    arm(now);
  }
}
