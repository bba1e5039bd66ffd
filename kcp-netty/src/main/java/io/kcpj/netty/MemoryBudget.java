package io.kcpj.netty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A codec's memory budget: the bytes all of its sessions hold in their engines' queues (segments
 * waiting to be sent, in flight, held for reassembly, waiting to be read) and in writes not yet
 * flushed into the engine, against {@link KcpChannelOption#MEMORY_BUDGET}. Past the budget, the
 * sessions holding the most are closed ({@link KcpCloseReason#MEMORY_BUDGET}) until the rest fit;
 * the others keep working.
 *
 * <p>A session's bytes are counted as its engine's segments times (mss + {@value
 * #SEGMENT_OVERHEAD}): every segment holds an mss-sized array, whatever it carries. The engines'
 * pools of free segments (at most a window's worth each) are not counted. The count is refreshed
 * each time a session's engine is flushed or visited by the timer, and the budget enforced after
 * each read batch and timer pass, so it can be exceeded for at most one batch.
 *
 * <p>Event-loop confined; one per codec.
 */
final class MemoryBudget {
  /** Heap bytes a segment costs beside its payload array (object and array headers, fields). */
  static final int SEGMENT_OVERHEAD = 64;

  private final long budget;
  private final CodecStats stats;

  MemoryBudget(long budget, CodecStats stats) {
    this.budget = budget;
    this.stats = stats;
    stats.memoryBudget = budget;
  }

  /** Records that a session now holds {@code bytes}. */
  void update(SessionAccount a, long bytes) {
    stats.bytesHeld += bytes - a.heldBytes;
    a.heldBytes = bytes;
  }

  /** The session left the table: its bytes are no longer held. */
  void removed(SessionAccount a) {
    update(a, 0);
  }

  boolean exceeded() {
    return stats.bytesHeld > budget;
  }

  /**
   * Closes the sessions holding the most until the rest fit in the budget; returns how many it
   * closed.
   */
  int enforce(Collection<KcpChildChannel> sessions) {
    List<KcpChildChannel> holders = new ArrayList<>();
    for (KcpChildChannel s : sessions) {
      if (s.account().heldBytes > 0) {
        holders.add(s);
      }
    }
    holders.sort((x, y) -> Long.compare(y.account().heldBytes, x.account().heldBytes));
    int closed = 0;
    for (KcpChildChannel s : holders) {
      if (!exceeded()) {
        break;
      }
      s.forceClose(KcpCloseReason.MEMORY_BUDGET); // childClosed subtracts its bytes
      closed++;
    }
    return closed;
  }
}
