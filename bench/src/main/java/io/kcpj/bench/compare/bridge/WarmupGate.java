package io.kcpj.bench.compare.bridge;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lines the rows of one profile up after their warm-up: each row's sessions exchange a few
 * unrecorded messages (so neither JVM measures its own class loading and JIT compilation as network
 * latency), then wait here; the comparison restarts the links, snapshots its counters and opens the
 * gate, and every session starts its measured schedule from one common instant.
 */
final class WarmupGate {
  /** Unrecorded messages each session exchanges before measuring (bulk: chunks). */
  static final int MESSAGES = 20;

  static final int BULK_CHUNKS = 2;

  /** How long a row waits for its warm-up echoes before measuring anyway. */
  static final long ECHO_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The lead from opening the gate to the first scheduled message. */
  static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final CountDownLatch warm;
  private final CountDownLatch go = new CountDownLatch(1);
  private volatile long startNanos;

  WarmupGate(int rows) {
    this.warm = new CountDownLatch(rows);
  }

  /**
   * Called by a row when its warm-up is over; returns the common start instant ({@link
   * System#nanoTime()}) once the measured run may begin.
   */
  long warmedUpAwaitStart() throws InterruptedException {
    warm.countDown();
    go.await();
    return startNanos;
  }

  /** Waits until every row has warmed up (or the timeout passes); true if all did. */
  boolean awaitAllWarm(long timeout, TimeUnit unit) throws InterruptedException {
    return warm.await(timeout, unit);
  }

  /** Lets every row start, at a common instant a short lead from now. */
  void open() {
    if (go.getCount() > 0) {
      startNanos = System.nanoTime() + LEAD_NANOS;
      go.countDown();
    }
  }
}
