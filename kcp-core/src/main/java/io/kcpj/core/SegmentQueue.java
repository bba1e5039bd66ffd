package io.kcpj.core;

/**
 * A FIFO of {@link Segment}s on a growable power-of-two ring (the engine's send queue and receive
 * queue). O(1) at both ends, indexable from the head, no per-element node. Grows by doubling when
 * full, which only happens while a queue reaches a new high-water mark. Confined to its engine.
 */
final class SegmentQueue {
  private Segment[] ring;
  private int mask;
  private int head;
  private int size;

  SegmentQueue(int initialCapacity) {
    int cap = Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1;
    ring = new Segment[cap];
    mask = cap - 1;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The i-th segment from the head (0 = head). */
  Segment get(int i) {
    return ring[(head + i) & mask];
  }

  Segment peekFirst() {
    return size == 0 ? null : ring[head];
  }

  Segment peekLast() {
    return size == 0 ? null : ring[(head + size - 1) & mask];
  }

  void addLast(Segment s) {
    if (size == ring.length) {
      grow();
    }
    ring[(head + size) & mask] = s;
    size++;
  }

  Segment pollFirst() {
    if (size == 0) {
      return null;
    }
    Segment s = ring[head];
    ring[head] = null;
    head = (head + 1) & mask;
    size--;
    return s;
  }

  private void grow() {
    Segment[] bigger = new Segment[ring.length * 2];
    for (int i = 0; i < size; i++) {
      bigger[i] = ring[(head + i) & mask];
    }
    ring = bigger;
    mask = bigger.length - 1;
    head = 0;
  }
}
