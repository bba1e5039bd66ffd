package io.kcpj.netem.netty;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records the leaks Netty's {@link ResourceLeakDetector} reports for {@code ByteBuf}s, through the
 * detector's {@code LeakListener} (the detector is {@code AbstractByteBuf}'s static one, reached by
 * reflection since Netty does not expose it). With {@code -Dio.netty.leakDetection.level=paranoid}
 * (set by this module's surefire configuration) every buffer is tracked.
 *
 * <p>A leak is only reported after the leaked buffer has been garbage-collected and a later
 * allocation polls the detector's queue: {@link #collectAndPoll()} forces both.
 */
final class LeakRecorder {
  private static final List<String> LEAKS = Collections.synchronizedList(new ArrayList<>());

  static {
    try {
      Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
      f.setAccessible(true);
      ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) f.get(null);
      detector.setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private LeakRecorder() {}

  /** Makes sure the listener is installed. */
  static void install() {
    // the static initialiser does the work
  }

  /** The leak level in force (the tests expect PARANOID). */
  static ResourceLeakDetector.Level level() {
    return ResourceLeakDetector.getLevel();
  }

  /** Leaks reported so far, then forgets them. */
  static List<String> drain() {
    synchronized (LEAKS) {
      List<String> copy = new ArrayList<>(LEAKS);
      LEAKS.clear();
      return copy;
    }
  }

  /**
   * Runs the garbage collector and allocates (and releases) tracked buffers so the detector polls
   * its queue of collected-but-unreleased buffers, {@code rounds} times.
   */
  static void collectAndPoll(int rounds) {
    for (int i = 0; i < rounds; i++) {
      System.gc();
      System.runFinalization();
      for (int j = 0; j < 100; j++) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(16);
        b.release();
      }
    }
  }
}
