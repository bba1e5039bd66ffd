package io.kcpj.bench.compare.bridge;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lines the clients of one profile up after their warm-up: each client exchanges a few unrecorded
 * messages (so neither JVM measures its own class loading and JIT compilation as network latency),
 * then waits here; the comparison snapshots its counters and opens the gate, and every client
 * starts its measured schedule at once.
 */
final class WarmupGate {
  /** Unrecorded messages each client exchanges before measuring (bulk: chunks). */
  static final int MESSAGES = 20;

  static final int BULK_CHUNKS = 2;

  /** How long a client waits for its warm-up echoes before measuring anyway. */
  static final long ECHO_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final CountDownLatch warm;
  private final CountDownLatch go = new CountDownLatch(1);

  WarmupGate(int clients) {
    this.warm = new CountDownLatch(clients);
  }

  /** Called by a client when its warm-up is over; returns when the measured run may start. */
  void warmedUpAwaitStart() throws InterruptedException {
    warm.countDown();
    go.await();
  }

  /** Waits until every client has warmed up (or the timeout passes); true if all did. */
  boolean awaitAllWarm(long timeout, TimeUnit unit) throws InterruptedException {
    return warm.await(timeout, unit);
  }

  void open() {
    go.countDown();
  }
}
