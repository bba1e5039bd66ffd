package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;

/**
 * Asserts that the {@link CountingLeakDetector} (installed by the surefire argLine) has seen no
 * leak beyond those a test leaked on purpose. It collects garbage and allocates, so that the
 * detectors poll their reference queues and report what was collected unreleased.
 */
final class LeakCheck {
  private LeakCheck() {}

  static void collectAndPoll() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      System.runFinalization();
      for (int j = 0; j < 64; j++) {
        ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        a.release();
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        b.release();
        ByteBuf c = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
        c.release();
      }
    }
  }

  static void assertNoLeaks() {
    collectAndPoll(); // also loads the buffer classes, which creates their detectors
    if (!CountingLeakDetector.installed()) {
      throw new AssertionError(
          "CountingLeakDetector is not installed: run through surefire "
              + "(-Dio.netty.customResourceLeakDetector=io.kcpj.netty.CountingLeakDetector)");
    }
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
    List<String> leaks = CountingLeakDetector.unexpectedLeaks();
    assertEquals(0, leaks.size(), () -> "ByteBuf leaks: " + leaks);
  }
}
