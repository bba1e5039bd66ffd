package io.kcpj.netem.link;

/**
 * An immutable copy of a direction's {@link LinkStats}, safe to pass between threads; see {@link
 * LinkStats} for the meaning of each counter. {@link #plus(LinkStatsSnapshot)} sums two (the
 * high-water marks take the larger).
 *
 * @param offeredPackets packets offered
 * @param offeredBytes bytes offered
 * @param deliveredPackets packets delivered
 * @param deliveredBytes bytes delivered
 * @param droppedLoss drops by the loss model
 * @param droppedBlackout drops during blackouts
 * @param droppedQueue tail drops at the queue limit
 * @param droppedSize drops above the maximum size
 * @param duplicated duplicate copies made
 * @param corrupted packets corrupted
 * @param reordered packets sent to the head by the reorder model
 * @param deliveredOutOfOrder packets delivered after a later-offered one
 * @param pendingPackets packets held at snapshot time
 * @param pendingBytes bytes held at snapshot time
 * @param queueHighWaterPackets most packets held at once
 * @param queueHighWaterBytes most bytes held at once
 */
public record LinkStatsSnapshot(
    long offeredPackets,
    long offeredBytes,
    long deliveredPackets,
    long deliveredBytes,
    long droppedLoss,
    long droppedBlackout,
    long droppedQueue,
    long droppedSize,
    long duplicated,
    long corrupted,
    long reordered,
    long deliveredOutOfOrder,
    long pendingPackets,
    long pendingBytes,
    long queueHighWaterPackets,
    long queueHighWaterBytes) {

  /** All zeros. */
  public static final LinkStatsSnapshot ZERO =
      new LinkStatsSnapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** All drops. */
  public long dropped() {
    return droppedLoss + droppedBlackout + droppedQueue + droppedSize;
  }

  /** The sum of two snapshots (high-water marks: the larger). */
  public LinkStatsSnapshot plus(LinkStatsSnapshot o) {
    return new LinkStatsSnapshot(
        offeredPackets + o.offeredPackets,
        offeredBytes + o.offeredBytes,
        deliveredPackets + o.deliveredPackets,
        deliveredBytes + o.deliveredBytes,
        droppedLoss + o.droppedLoss,
        droppedBlackout + o.droppedBlackout,
        droppedQueue + o.droppedQueue,
        droppedSize + o.droppedSize,
        duplicated + o.duplicated,
        corrupted + o.corrupted,
        reordered + o.reordered,
        deliveredOutOfOrder + o.deliveredOutOfOrder,
        pendingPackets + o.pendingPackets,
        pendingBytes + o.pendingBytes,
        Math.max(queueHighWaterPackets, o.queueHighWaterPackets),
        Math.max(queueHighWaterBytes, o.queueHighWaterBytes));
  }

  /** A one-line summary for consoles. */
  public String summary() {
    return "offered "
        + offeredPackets
        + ", delivered "
        + deliveredPackets
        + ", lost "
        + droppedLoss
        + ", blackout "
        + droppedBlackout
        + ", queue-drop "
        + droppedQueue
        + ", size-drop "
        + droppedSize
        + ", dup "
        + duplicated
        + ", corrupt "
        + corrupted
        + ", reorder "
        + reordered
        + ", out-of-order "
        + deliveredOutOfOrder
        + ", queued "
        + pendingPackets
        + " (max "
        + queueHighWaterPackets
        + " pkts/"
        + queueHighWaterBytes
        + " B)";
  }
}
