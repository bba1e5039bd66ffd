package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.Workload;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The measuring half of one row's clients (all sessions of one transport), the same for every
 * transport: when each message is due, and what each echo means — a warm-up echo, a measured RTT
 * from the message's scheduled (bulk: actual) send time, a duplicate, or an error.
 *
 * <p>Message ids: session {@code k}'s message {@code i} is {@code k × n + i} ({@code n} messages
 * per session), and is due at {@code start + phase(k) + workload.scheduledNanos(i)}, where {@code
 * phase(k)} staggers the sessions within one send interval so that the bridge does not see every
 * flow's message at the same instant. Warm-up messages have negative ids.
 *
 * <p>Threads: {@link #awaitTurn} and {@link #start} run on the sending thread, {@link #onEcho} on
 * receiving ones (socket readers, event loops); the counters are safe to read from any thread.
 */
final class EchoTally {
  private final Workload workload;
  private final boolean bulk;
  private final int perSession;
  private final long[] phaseNanos;
  private final boolean duplicatesAllowed;
  private final boolean[] received;
  private final AtomicLongArray sentAt;
  private final Semaphore window = new Semaphore(Workload.BULK_OUTSTANDING);
  private final Histogram rtt = new Histogram(3_600_000_000L, 3);
  private volatile long startNanos = Long.MAX_VALUE;
  private volatile long lastEchoNanos;
  private volatile long finishNanos;
  private volatile int echoed;
  private volatile int warmEchoed;
  private final boolean sequenced;
  private final int[] oldestPending;
  private volatile int superseded;

  /**
   * @param phaseNanos each session's offset from the common start
   * @param duplicatesAllowed whether a second echo of a message is ignored (an unreliable floor
   *     echo over a duplicating link) rather than an error (a reliable transport)
   */
  EchoTally(Workload workload, long[] phaseNanos, boolean duplicatesAllowed) {
    this.workload = workload;
    this.bulk = workload.kind() == Workload.Kind.BULK;
    this.perSession = workload.messageCount();
    this.phaseNanos = phaseNanos.clone();
    this.duplicatesAllowed = duplicatesAllowed;
    this.received = new boolean[perSession * phaseNanos.length];
    this.sentAt = new AtomicLongArray(bulk ? received.length : 0);
    this.sequenced = workload.delivery() == io.kcpj.bench.compare.Delivery.SEQUENCED;
    this.oldestPending = new int[phaseNanos.length];
  }

  int sessions() {
    return phaseNanos.length;
  }

  /** Messages per session. */
  int perSession() {
    return perSession;
  }

  /** The id of session {@code k}'s message {@code i}. */
  int id(int session, int i) {
    return session * perSession + i;
  }

  /** Unrecorded warm-up messages each session sends before measuring (bulk: chunks). */
  int warmups() {
    return bulk ? WarmupGate.BULK_CHUNKS : WarmupGate.MESSAGES;
  }

  /** Starts the measured schedule at {@code startNanos} (on {@link System#nanoTime()}'s clock). */
  void start(long startNanos) {
    this.startNanos = startNanos;
  }

  /** Blocks until session {@code k}'s message {@code i} may be sent. */
  void awaitTurn(int session, int i) throws InterruptedException {
    if (bulk) {
      window.acquire();
      sentAt.set(id(session, i), System.nanoTime());
      return;
    }
    long due = scheduledNanos(session, i);
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  private long scheduledNanos(int session, int i) {
    return startNanos + phaseNanos[session] + workload.scheduledNanos(i);
  }

  /** The time the last message of any session is due. */
  long lastDueNanos() {
    long last = 0;
    for (int k = 0; k < phaseNanos.length; k++) {
      last = Math.max(last, scheduledNanos(k, perSession - 1));
    }
    return last;
  }

  /** Accounts one echo of message {@code id}; returns an error text, or null. */
  String onEcho(int id, long nowNanos) {
    if (id < 0) {
      synchronized (this) {
        warmEchoed++; // a warm-up echo: not measured
      }
      return null;
    }
    synchronized (this) {
      if (id >= received.length) {
        return "echo of an unknown message " + id;
      }
      if (received[id]) {
        return duplicatesAllowed ? null : "second echo of message " + id;
      }
      int session = id / perSession;
      int i = id % perSession;
      if (sequenced) {
        // Latest wins: the session's older messages not echoed yet never will be; a newer state
        // arrived now, which is their latency.
        for (int k = oldestPending[session]; k < i; k++) {
          int older = id(session, k);
          if (!received[older]) {
            record(older, session, k, nowNanos);
            superseded++;
          }
        }
        oldestPending[session] = Math.max(oldestPending[session], i);
      }
      record(id, session, i, nowNanos);
    }
    if (bulk) {
      window.release();
    }
    return null;
  }

  private void record(int id, int session, int i, long nowNanos) {
    received[id] = true;
    long reference = bulk ? sentAt.get(id) : scheduledNanos(session, i);
    rtt.recordValue(Math.max(0, (nowNanos - reference) / 1000));
    lastEchoNanos = nowNanos;
    echoed++;
  }

  int echoed() {
    return echoed;
  }

  /** Sequenced delivery: messages superseded by a newer echo (counted in {@link #echoed()}). */
  int superseded() {
    return superseded;
  }

  int warmEchoed() {
    return warmEchoed;
  }

  boolean complete() {
    return echoed >= received.length;
  }

  /** A copy of the RTT histogram (µs) so far. */
  Histogram rtt() {
    synchronized (this) {
      return rtt.copy();
    }
  }

  /** The clients stopped waiting for echoes (all arrived, or the drain time ended). */
  void finish() {
    finishNanos = System.nanoTime();
  }

  /** Milliseconds from the start to the last echo (bulk, complete) or to {@link #finish()}. */
  long durationMillis() {
    long end = bulk && complete() ? lastEchoNanos : finishNanos;
    return Math.max(0, end - startNanos) / 1_000_000;
  }

  /** Application bytes delivered both ways, given {@code sent} messages in all. */
  long goodputBytes(int sent) {
    long out =
        bulk
            ? Math.min(workload.bulkBytes(), (long) echoed * workload.size())
            : (long) sent * workload.size();
    return out + (long) (echoed - superseded) * workload.responseSize(); // superseded: not received
  }
}
