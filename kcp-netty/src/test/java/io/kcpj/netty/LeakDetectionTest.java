package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Proves the leak check can fail: a buffer dropped unreleased is reported. */
class LeakDetectionTest {
  @Test
  void anUnreleasedBufferIsReported() {
    int before = CountingLeakDetector.reportCount();
    CountingLeakDetector.expectLeaks(1);
    leakOne();
    for (int i = 0; i < 50 && CountingLeakDetector.reportCount() == before; i++) {
      LeakCheck.collectAndPoll();
    }
    assertTrue(CountingLeakDetector.reportCount() > before, "the deliberate leak was reported");
  }

  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    leaked.writeLong(42);
  }
}
