package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.Workload;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The measuring half of a comparison client, the same for every transport: when each message is due
 * (on schedule, or as the bulk window allows), and what each echo means — a warm-up echo, a
 * measured RTT from the message's scheduled (bulk: actual) send time, or an error.
 *
 * <p>Threads: {@link #awaitTurn} and {@link #start} run on the sending thread, {@link #onEcho} on
 * the receiving one (a socket reader or an event loop); the counters are safe to read from either.
 */
final class EchoTally {
  private final Workload workload;
  private final boolean bulk;
  private final boolean[] received;
  private final AtomicLongArray sentAt;
  private final Semaphore window = new Semaphore(Workload.BULK_OUTSTANDING);
  private final Histogram rtt = new Histogram(3_600_000_000L, 3);
  private volatile long startNanos = Long.MAX_VALUE;
  private volatile long lastEchoNanos;
  private volatile long finishNanos;
  private volatile int echoed;
  private volatile int warmEchoed;

  EchoTally(Workload workload) {
    this.workload = workload;
    this.bulk = workload.kind() == Workload.Kind.BULK;
    this.received = new boolean[workload.messageCount()];
    this.sentAt = new AtomicLongArray(bulk ? workload.messageCount() : 0);
  }

  /** Unrecorded warm-up messages to send before measuring. */
  int warmups() {
    return bulk ? WarmupGate.BULK_CHUNKS : WarmupGate.MESSAGES;
  }

  /** Starts the measured schedule now (with a short lead so the first send is on time). */
  void start() {
    startNanos = System.nanoTime() + (bulk ? 0 : 50_000_000L);
  }

  /** Blocks until message {@code i} may be sent: its scheduled time, or room in the bulk window. */
  void awaitTurn(int i) throws InterruptedException {
    if (bulk) {
      window.acquire();
      sentAt.set(i, System.nanoTime());
      return;
    }
    long due = startNanos + workload.scheduledNanos(i);
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  /** Accounts one echo of sequence number {@code seq}; returns an error text, or null. */
  String onEcho(int seq, long nowNanos) {
    if (seq < 0) {
      warmEchoed++; // a warm-up echo: not measured
      return null;
    }
    if (seq >= received.length || received[seq]) {
      return "unexpected echo of message " + seq;
    }
    received[seq] = true;
    long reference = bulk ? sentAt.get(seq) : startNanos + workload.scheduledNanos(seq);
    synchronized (rtt) {
      rtt.recordValue(Math.max(0, (nowNanos - reference) / 1000));
    }
    lastEchoNanos = nowNanos;
    echoed++;
    if (bulk) {
      window.release();
    }
    return null;
  }

  int echoed() {
    return echoed;
  }

  int warmEchoed() {
    return warmEchoed;
  }

  boolean complete() {
    return echoed >= received.length;
  }

  /** The RTT histogram (µs); read it once the run is over. */
  Histogram rtt() {
    synchronized (rtt) {
      return rtt;
    }
  }

  /** The client stopped waiting for echoes (all arrived, or the drain time ended). */
  void finish() {
    finishNanos = System.nanoTime();
  }

  /** Milliseconds from the start to the last echo (bulk, complete) or to {@link #finish()}. */
  long durationMillis() {
    long end = bulk && complete() ? lastEchoNanos : finishNanos;
    return Math.max(0, end - startNanos) / 1_000_000;
  }

  /** Application bytes delivered both ways, given {@code sent} messages. */
  long goodputBytes(int sent) {
    long out =
        bulk
            ? Math.min(workload.bulkBytes(), (long) echoed * workload.size())
            : (long) sent * workload.size();
    return out + (long) echoed * workload.responseSize();
  }
}
