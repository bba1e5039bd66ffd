package io.kcpj.netty;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A leak detector that records every leak report, installed for all tests with {@code
 * -Dio.netty.customResourceLeakDetector}. Leaks made on purpose by {@link LeakDetectionTest} are
 * subtracted through {@link #expectLeaks(int)}.
 */
public final class CountingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final List<String> REPORTS = new ArrayList<>();
  private static final AtomicInteger EXPECTED = new AtomicInteger();
  private static volatile boolean installed;

  /**
   * The constructor Netty's factory uses for {@code newResourceLeakDetector(Class, int)}.
   *
   * @param resourceType the tracked type (ByteBuf)
   * @param samplingInterval how often a resource is tracked (every one at the paranoid level)
   */
  public CountingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
    installed = true;
  }

  /**
   * The older signature Netty's factory also looks up when it starts: without it the factory logs a
   * SEVERE {@code NoSuchMethodException}. {@code maxActive} is ignored, as Netty itself does.
   *
   * @param resourceType the tracked type (ByteBuf)
   * @param samplingInterval how often a resource is tracked
   * @param maxActive ignored
   */
  public CountingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  static boolean installed() {
    return installed;
  }

  static synchronized int reportCount() {
    return REPORTS.size();
  }

  static void expectLeaks(int n) {
    EXPECTED.addAndGet(n);
  }

  /** Reports beyond the expected ones. */
  static synchronized List<String> unexpectedLeaks() {
    int extra = REPORTS.size() - EXPECTED.get();
    return extra <= 0
        ? List.of()
        : new ArrayList<>(REPORTS.subList(REPORTS.size() - extra, REPORTS.size()));
  }

  @Override
  protected boolean needReport() {
    return true;
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    record(resourceType + records);
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    record(resourceType);
    super.reportUntracedLeak(resourceType);
  }

  private static synchronized void record(String report) {
    REPORTS.add(report);
  }
}
