package io.kcpj.netem.link;

/**
 * The packets one direction holds, ordered by delivery time, with the packet's size and offer
 * number alongside, stored in parallel arrays so that holding a packet allocates nothing.
 *
 * <p>Two implementations: {@link FifoPendingQueue} (a ring, whenever departures are already in
 * offer order: {@code FIFO} mode, a rate, or a constant delay) and {@link TimeOrderedPendingQueue}
 * (a binary heap, when jitter may reorder). Entries with equal times leave in insertion order,
 * except that {@link #addFirst} entries leave before everything with the same time. Confined to the
 * link's thread.
 */
abstract class PendingQueue {

  /** Adds a packet leaving at {@code time}, after every held packet with the same time. */
  abstract void addLast(long time, Object packet, int size, long sequence);

  /**
   * Adds a packet that jumps to the head (netem's reorder): it leaves at {@code time} before every
   * held packet with the same or a later time.
   */
  abstract void addFirst(long time, Object packet, int size, long sequence);

  abstract boolean isEmpty();

  abstract int size();

  /** The head's delivery time (the queue must not be empty). */
  abstract long headTime();

  /** The head's size in bytes. */
  abstract int headSize();

  /** The head's offer number. */
  abstract long headSequence();

  /** Removes the head and returns its packet. */
  abstract Object poll();
}
