package io.kcpj.bench.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.management.ManagementFactory;

/**
 * The wire format of {@code kcpj perf}, carried as KCP messages (message mode). Every message
 * starts with a 16-byte header; the peer drivers under {@code bench/peers/} implement the same.
 *
 * <pre>
 * offset 0  byte  type: 1 ECHO, 2 SINK, 3 STATS_REQUEST, 4 STATS_REPLY
 * offset 1  3 bytes reserved (0)
 * offset 4  int   session id (client's numbering)
 * offset 8  long  ECHO: the client's scheduled send time (System.nanoTime); others: 0
 * offset 16 ...   padding up to the message size (ECHO, SINK)
 * </pre>
 *
 * An ECHO is returned unchanged; a SINK is counted and dropped; a STATS_REQUEST is answered by a
 * STATS_REPLY whose payload after the header is five longs, all measured by the server itself:
 * process CPU time (ns, {@code OperatingSystemMXBean.getProcessCpuTime()}), ECHO messages returned,
 * SINK bytes received, retransmitted segments (-1 when the server cannot tell), and the server's
 * monotonic clock when it took these figures ({@code System.nanoTime()}). The clock lets the client
 * divide CPU time by the server's own interval between two replies: under overload a reply can
 * reach the client seconds late, and the client's interval would then be too short. A 32-byte
 * payload (no clock, an older server) is still read; its clock is -1. All integers are big-endian.
 *
 * <p><b>Any peer.</b> The server echoes every message that is not one of its own control messages
 * ({@link #isStatsRequest}: exactly the 16-byte request the client sends; {@link #isSink}: a SINK
 * header), so any KCP echo client can use it. The client works against any KCP echo server: a peer
 * that sends no STATS_REPLY within {@link #STATS_PROBE_MILLIS} of its first answer is not a kcpj
 * perf server, and the client then reports its own figures only.
 */
public final class PerfProtocol {
  public static final int ECHO = 1;
  public static final int SINK = 2;
  public static final int STATS_REQUEST = 3;
  public static final int STATS_REPLY = 4;
  public static final int HEADER = 16;
  public static final int STATS_REPLY_SIZE = HEADER + 40;

  /** A STATS_REPLY without the server clock (the first version of the protocol). */
  public static final int STATS_REPLY_SIZE_NO_CLOCK = HEADER + 32;

  /** How long the client waits for a STATS_REPLY after the peer's first answer. */
  public static final long STATS_PROBE_MILLIS = 2_000;

  private PerfProtocol() {}

  /**
   * Whether {@code m} is the client's STATS_REQUEST: 16 bytes, type 3, reserved bytes 0, session
   * -1, stamp 0 (anything else is echoed by the server).
   */
  public static boolean isStatsRequest(ByteBuf m) {
    int at = m.readerIndex();
    return m.readableBytes() == HEADER
        && m.getByte(at) == STATS_REQUEST
        && m.getMedium(at + 1) == 0
        && m.getInt(at + 4) == -1
        && m.getLong(at + 8) == 0;
  }

  /** Whether {@code m} is a SINK message: at least the header, type 2, reserved bytes 0. */
  public static boolean isSink(ByteBuf m) {
    int at = m.readerIndex();
    return m.readableBytes() >= HEADER && m.getByte(at) == SINK && m.getMedium(at + 1) == 0;
  }

  /** A message of {@code size} bytes (at least the header). */
  public static ByteBuf message(
      ByteBufAllocator alloc, int type, int session, long stamp, int size) {
    int n = Math.max(HEADER, size);
    ByteBuf b = alloc.buffer(n);
    b.writeByte(type).writeMedium(0).writeInt(session).writeLong(stamp);
    b.writeZero(n - HEADER);
    return b;
  }

  public static int type(ByteBuf m) {
    return m.getByte(m.readerIndex());
  }

  public static int session(ByteBuf m) {
    return m.getInt(m.readerIndex() + 4);
  }

  public static long stamp(ByteBuf m) {
    return m.getLong(m.readerIndex() + 8);
  }

  /** A STATS_REPLY carrying the server's own measurements, taken at {@code serverNanos}. */
  public static ByteBuf statsReply(
      ByteBufAllocator alloc,
      long cpuNanos,
      long echoed,
      long sinkBytes,
      long retransmits,
      long serverNanos) {
    ByteBuf b = alloc.buffer(STATS_REPLY_SIZE);
    b.writeByte(STATS_REPLY).writeMedium(0).writeInt(0).writeLong(0);
    b.writeLong(cpuNanos).writeLong(echoed).writeLong(sinkBytes).writeLong(retransmits);
    b.writeLong(serverNanos);
    return b;
  }

  /**
   * The server's measurements in a STATS_REPLY; {@code serverNanos} is -1 when the reply has no
   * clock (an older server).
   */
  public record ServerStats(
      long cpuNanos, long echoed, long sinkBytes, long retransmits, long serverNanos) {
    /**
     * Reads a STATS_REPLY (not consumed, not released).
     *
     * @throws IllegalArgumentException when the message is shorter than a STATS_REPLY
     */
    public static ServerStats read(ByteBuf m) {
      int length = m.readableBytes();
      if (length < STATS_REPLY_SIZE_NO_CLOCK) {
        throw new IllegalArgumentException(
            "STATS_REPLY of " + length + " bytes, expected at least " + STATS_REPLY_SIZE_NO_CLOCK);
      }
      int at = m.readerIndex() + HEADER;
      long clock = length >= STATS_REPLY_SIZE ? m.getLong(at + 32) : -1;
      return new ServerStats(
          m.getLong(at), m.getLong(at + 8), m.getLong(at + 16), m.getLong(at + 24), clock);
    }

    /**
     * The interval from {@code earlier} to this reply by the server's clock, or {@code fallback}
     * when either reply has no clock.
     */
    public long nanosSince(ServerStats earlier, long fallback) {
      if (serverNanos < 0 || earlier.serverNanos < 0) {
        return fallback;
      }
      return serverNanos - earlier.serverNanos;
    }
  }

  /** This JVM's process CPU time in ns, or -1 when the platform does not report it. */
  public static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return -1;
  }
}
