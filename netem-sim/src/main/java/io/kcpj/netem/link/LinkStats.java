package io.kcpj.netem.link;

/**
 * The counters of one link direction: offered, delivered, dropped by cause, duplicated, corrupted,
 * reordered, and the queue's high-water mark.
 *
 * <p>Invariant while the link is open: {@code offeredPackets + duplicated = deliveredPackets +
 * dropped() + pendingPackets}. Closing the link releases the pending packets without counting them
 * as delivered or dropped.
 *
 * <p><b>Threading:</b> written only by the thread that drives the link. A live instance read from
 * another thread may show stale values; take a {@link #snapshot()} on the link's thread to publish
 * a consistent copy.
 */
public final class LinkStats {
  long offeredPackets;
  long offeredBytes;
  long deliveredPackets;
  long deliveredBytes;
  long droppedLoss;
  long droppedBlackout;
  long droppedQueue;
  long droppedSize;
  long duplicated;
  long corrupted;
  long reordered;
  long deliveredOutOfOrder;
  int pendingPackets;
  long pendingBytes;
  int queueHighWaterPackets;
  long queueHighWaterBytes;

  LinkStats() {}

  /** Packets offered by the caller (duplicate copies are not counted here). */
  public long offeredPackets() {
    return offeredPackets;
  }

  /** Bytes offered by the caller. */
  public long offeredBytes() {
    return offeredBytes;
  }

  /** Packets handed to the sink, copies included. */
  public long deliveredPackets() {
    return deliveredPackets;
  }

  /** Bytes handed to the sink. */
  public long deliveredBytes() {
    return deliveredBytes;
  }

  /** Packets dropped by the loss model. */
  public long droppedLoss() {
    return droppedLoss;
  }

  /** Packets dropped during a blackout. */
  public long droppedBlackout() {
    return droppedBlackout;
  }

  /** Packets tail-dropped at the queue limit. */
  public long droppedQueue() {
    return droppedQueue;
  }

  /** Packets dropped for being longer than the maximum size. */
  public long droppedSize() {
    return droppedSize;
  }

  /** All drops. */
  public long dropped() {
    return droppedLoss + droppedBlackout + droppedQueue + droppedSize;
  }

  /**
   * Copies the duplicate model decided on, including those a loss of their original cancelled (as
   * in netem; those count in {@link #droppedLoss()} too).
   */
  public long duplicated() {
    return duplicated;
  }

  /** Packets that had a bit flipped. */
  public long corrupted() {
    return corrupted;
  }

  /** Packets the reorder model sent to the head of the queue. */
  public long reordered() {
    return reordered;
  }

  /**
   * Packets delivered after a packet offered later had been delivered (RFC 4737's "reordered"),
   * whatever the cause: jitter in {@code REORDER} mode or the reorder model.
   */
  public long deliveredOutOfOrder() {
    return deliveredOutOfOrder;
  }

  /** Packets currently held (being delayed or waiting for the rate). */
  public int pendingPackets() {
    return pendingPackets;
  }

  /** Bytes currently held. */
  public long pendingBytes() {
    return pendingBytes;
  }

  /** The most packets held at once. */
  public int queueHighWaterPackets() {
    return queueHighWaterPackets;
  }

  /** The most bytes held at once. */
  public long queueHighWaterBytes() {
    return queueHighWaterBytes;
  }

  /** A detached, immutable copy of the counters. */
  public LinkStatsSnapshot snapshot() {
    return new LinkStatsSnapshot(
        offeredPackets,
        offeredBytes,
        deliveredPackets,
        deliveredBytes,
        droppedLoss,
        droppedBlackout,
        droppedQueue,
        droppedSize,
        duplicated,
        corrupted,
        reordered,
        deliveredOutOfOrder,
        pendingPackets,
        pendingBytes,
        queueHighWaterPackets,
        queueHighWaterBytes);
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
