package io.kcpj.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CPU time of the benchmark thread, next to JMH's wall-clock score: on a shared machine a benchmark
 * thread waits for a core part of the time, and operations per CPU-second say what one core does
 * when it runs. A benchmark method calls {@link #tick()} once per operation; JMH then reports, per
 * iteration, {@code operations} and {@code cpuMicros} (the thread's CPU time over the iteration,
 * read from {@link ThreadMXBean} every 64 operations and at the end). Throughput per CPU-second =
 * operations / cpuMicros × 10⁶.
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public long operations;
  public long cpuMicros;
  private long startNanos;

  @Setup(Level.Iteration)
  public void start() {
    operations = 0;
    cpuMicros = 0;
    startNanos = THREADS.getCurrentThreadCpuTime();
  }

  /** Counts one operation. */
  public void tick() {
    if ((++operations & 63) == 0) {
      cpuMicros = (THREADS.getCurrentThreadCpuTime() - startNanos) / 1000;
    }
  }

  @TearDown(Level.Iteration)
  public void stop() {
    cpuMicros = (THREADS.getCurrentThreadCpuTime() - startNanos) / 1000;
  }
}
