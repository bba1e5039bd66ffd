package io.kcpj.netem.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The control for {@link NetemHandlerTest}'s "no leak reported" check: a buffer dropped without
 * release must be reported by the recorder, so an empty report means something.
 */
class LeakRecorderTest {

  @Test
  void aLeakedBufferIsReported() {
    LeakRecorder.install();
    LeakRecorder.drain();
    leakOne();
    List<String> leaks = List.of();
    for (int attempt = 0; attempt < 50 && leaks.isEmpty(); attempt++) {
      LeakRecorder.collectAndPoll(1);
      leaks = LeakRecorder.drain();
    }
    assertFalse(leaks.isEmpty(), "the deliberately leaked buffer was not reported");
  }

  private static void leakOne() {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    b.writeLong(42);
    // no release: the reference is dropped here
  }
}
