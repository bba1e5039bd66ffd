package peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * kcpj perf's wire protocol (see bench/src/main/java/io/kcpj/bench/perf/PerfProtocol.java),
 * restated for a peer driver with its own classpath: a 16-byte header (type, 3 reserved bytes,
 * session int, stamp long; big-endian), ECHO=1 echoed unchanged, SINK=2 counted, STATS_REQUEST=3
 * answered by STATS_REPLY=4 with five longs: process CPU ns, ECHOs returned, SINK bytes,
 * retransmissions (-1: unknown), the server's System.nanoTime() when it took them.
 */
final class PerfWire {
  static final int ECHO = 1;
  static final int SINK = 2;
  static final int STATS_REQUEST = 3;
  static final int STATS_REPLY = 4;
  static final int HEADER = 16;

  final LongAdder echoed = new LongAdder();
  final LongAdder sinkBytes = new LongAdder();

  /**
   * Handles one received message (owned by the caller, never released here). Returns the
   * buffer to send back, or null: the message itself (retained) for ECHO, a new STATS_REPLY.
   */
  ByteBuf answer(ByteBuf m, ByteBufAllocator alloc) {
    if (m.readableBytes() < HEADER) {
      return null;
    }
    switch (m.getByte(m.readerIndex())) {
      case ECHO:
        echoed.increment();
        return m.retainedDuplicate();
      case SINK:
        sinkBytes.add(m.readableBytes());
        return null;
      case STATS_REQUEST:
        long clock = System.nanoTime();
        ByteBuf b = alloc.buffer(HEADER + 40);
        b.writeByte(STATS_REPLY).writeMedium(0).writeInt(0).writeLong(0);
        b.writeLong(cpuNanos()).writeLong(echoed.sum()).writeLong(sinkBytes.sum()).writeLong(-1)
            .writeLong(clock);
        return b;
      default:
        return null;
    }
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
