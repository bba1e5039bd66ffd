package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;
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

  @Test
  void onlyNettysOwnUntouchedIoUringReadBuffersAreSetApart() {
    String created =
        "\nCreated at:\n"
            + "\tio.netty.buffer.AbstractByteBufAllocator.directBuffer(AbstractByteBufAllocator.java:159)\n"
            + "\tio.netty.channel.uring.IoUringDatagramChannel$IoUringDatagramChannelUnsafe"
            + ".scheduleRead0(IoUringDatagramChannel.java:476)\n";
    assertTrue(
        CountingLeakDetector.isNettyPendingIoUringRead("Recent access records: " + created),
        "a pending io_uring read that never reached a handler");
    assertFalse(
        CountingLeakDetector.isNettyPendingIoUringRead(
            "Recent access records: \n#1:\n\tio.kcpj.netty.KcpCodec.channelRead(KcpCodec.java:1)\n"
                + created),
        "the same buffer once a handler had it is counted");
    assertFalse(
        CountingLeakDetector.isNettyPendingIoUringRead(
            "Recent access records: \nCreated at:\n"
                + "\tio.netty.buffer.AbstractByteBufAllocator.directBuffer(x)\n"
                + "\tio.kcpj.netty.KcpCodec.flush(KcpCodec.java:1)\n"),
        "any other untouched buffer is counted");
  }

  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    leaked.writeLong(42);
  }
}
