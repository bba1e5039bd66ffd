package io.kcpj.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.KcpCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The STATS exchange: the reply's layout (with and without the server clock) and which interval the
 * server's CPU share is divided by.
 */
class PerfStatsTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void statsReplyRoundTripsEveryFieldIncludingTheServerClock() {
    ByteBuf b =
        PerfProtocol.statsReply(
            UnpooledByteBufAllocator.DEFAULT, 7 * SECOND, 1234, 5678, -1, 42 * SECOND);
    try {
      assertEquals(PerfProtocol.STATS_REPLY_SIZE, b.readableBytes());
      assertEquals(PerfProtocol.STATS_REPLY, PerfProtocol.type(b));
      assertEquals(
          new PerfProtocol.ServerStats(7 * SECOND, 1234, 5678, -1, 42 * SECOND),
          PerfProtocol.ServerStats.read(b));
    } finally {
      b.release();
    }
  }

  @Test
  void aReplyWithoutClockReadsAsMinusOneAndFallsBackToTheClientInterval() {
    ByteBuf old = oldReply(3 * SECOND, 10);
    try {
      PerfProtocol.ServerStats s = PerfProtocol.ServerStats.read(old);
      assertEquals(-1, s.serverNanos());
      assertEquals(3 * SECOND, s.cpuNanos());
      PerfProtocol.ServerStats newer = new PerfProtocol.ServerStats(0, 0, 0, 0, 9 * SECOND);
      assertEquals(777, newer.nanosSince(s, 777));
      assertEquals(777, s.nanosSince(newer, 777));
    } finally {
      old.release();
    }
  }

  @Test
  void aTruncatedReplyIsRefusedWithItsLength() {
    ByteBuf shortReply = Unpooled.buffer().writeByte(PerfProtocol.STATS_REPLY).writeZero(30);
    try {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> PerfProtocol.ServerStats.read(shortReply));
      assertEquals("STATS_REPLY of 31 bytes, expected at least 48", e.getMessage());
    } finally {
      shortReply.release();
    }
  }

  /**
   * Under overload the first reply reaches the client late: by the client's clock only 2 s pass
   * between the two replies, by the server's 10 s. 5 s of CPU is 50 % of one core, not 250 %.
   */
  @Test
  void serverCpuShareUsesTheServersOwnIntervalWhenItHasOne() {
    PerfProtocol.ServerStats before =
        new PerfProtocol.ServerStats(1 * SECOND, 100, 0, 0, 100 * SECOND);
    PerfProtocol.ServerStats after =
        new PerfProtocol.ServerStats(6 * SECOND, 300, 0, 0, 110 * SECOND);
    PerfResult r = load(before, after, 2 * SECOND);
    assertEquals(50.0, r.number("server_cpu_pct"), 1e-9);
    assertEquals(10.0, r.number("stats_interval_s"), 1e-9);
    assertEquals("server", r.values().get("stats_clock"));
    assertEquals(40.0, r.number("server_messages_per_cpu_s"), 1e-9);

    PerfProtocol.ServerStats oldBefore = new PerfProtocol.ServerStats(1 * SECOND, 100, 0, 0, -1);
    PerfProtocol.ServerStats oldAfter = new PerfProtocol.ServerStats(6 * SECOND, 300, 0, 0, -1);
    PerfResult fallback = load(oldBefore, oldAfter, 2 * SECOND);
    assertEquals(250.0, fallback.number("server_cpu_pct"), 1e-9);
    assertEquals("client", fallback.values().get("stats_clock"));
  }

  @Test
  void bulkGoodputAndCpuShareUseTheServersInterval() {
    PerfProtocol.ServerStats before = new PerfProtocol.ServerStats(0, 0, 0, 0, 50 * SECOND);
    PerfProtocol.ServerStats after =
        new PerfProtocol.ServerStats(SECOND, 0, 125_000_000, 0, 60 * SECOND);
    PerfResult r = PerfResult.bulk(settings(true), 4 * SECOND, before, after, 0, new KcpCounters());
    assertEquals(100.0, r.number("goodput_mbit_s"), 1e-9); // 1 Gbit over 10 s, not over 4
    assertEquals(10.0, r.number("server_cpu_pct"), 1e-9);
    assertEquals("server", r.values().get("stats_clock"));
  }

  private static PerfResult load(
      PerfProtocol.ServerStats before, PerfProtocol.ServerStats after, long clientStatsNanos) {
    return PerfResult.load(
        settings(false),
        new Histogram(1, 60_000_000L, 3),
        200,
        200,
        0,
        1,
        10 * SECOND,
        clientStatsNanos,
        before,
        after,
        0,
        new KcpCounters());
  }

  private static PerfClient.Settings settings(boolean bulk) {
    return new PerfClient.Settings(
        new InetSocketAddress("127.0.0.1", 4000),
        1,
        1,
        1,
        20,
        100,
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        KcpConfig.fast(),
        bulk,
        1,
        "nio");
  }

  /** A STATS_REPLY as the first protocol version wrote it: four longs, no clock. */
  private static ByteBuf oldReply(long cpuNanos, long echoed) {
    ByteBuf b = Unpooled.buffer(PerfProtocol.STATS_REPLY_SIZE_NO_CLOCK);
    b.writeByte(PerfProtocol.STATS_REPLY).writeMedium(0).writeInt(0).writeLong(0);
    b.writeLong(cpuNanos).writeLong(echoed).writeLong(0).writeLong(-1);
    return b;
  }
}
