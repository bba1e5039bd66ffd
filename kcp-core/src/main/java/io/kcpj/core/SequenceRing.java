package io.kcpj.core;

/**
 * Segments keyed by sequence number on a power-of-two ring: the engine's send buffer (sn in {@code
 * [sndUna, sndNxt)}) and receive buffer (sn in {@code [rcvNxt, rcvNxt + window)}).
 *
 * <p>Where ikcp walks a linked list to find, insert or remove an sn, this finds the slot in O(1);
 * walking the live range in sn order visits the same segments in the same order as ikcp's list. The
 * caller keeps the range no wider than {@link #capacity()} (it calls {@link #ensureSpan} before
 * widening it), so two live sequence numbers never share a slot. Confined to its engine.
 */
final class SequenceRing {
  private Segment[] slots;
  private int mask;
  private int count;

  SequenceRing(int initialSpan) {
    int cap = Integer.highestOneBit(Math.max(2, initialSpan - 1)) << 1;
    slots = new Segment[cap];
    mask = cap - 1;
  }

  int capacity() {
    return slots.length;
  }

  /** How many segments are held. */
  int count() {
    return count;
  }

  Segment get(int sn) {
    return slots[sn & mask];
  }

  /** Stores {@code s} under {@code sn}; the slot must be empty. */
  void put(int sn, Segment s) {
    slots[sn & mask] = s;
    count++;
  }

  /** Removes and returns the segment under {@code sn}, or null. */
  Segment remove(int sn) {
    int i = sn & mask;
    Segment s = slots[i];
    if (s != null) {
      slots[i] = null;
      count--;
    }
    return s;
  }

  /**
   * Makes every sn in {@code [from, from + span)} map to its own slot, re-placing the segments
   * currently held for sns in {@code [from, liveEnd)}. Allocates only when the ring must grow.
   */
  void ensureSpan(int from, int liveEnd, int span) {
    if (span <= slots.length) {
      return;
    }
    int cap = Integer.highestOneBit(span - 1) << 1;
    Segment[] bigger = new Segment[cap];
    int newMask = cap - 1;
    for (int sn = from; Seq.before(sn, liveEnd); sn++) {
      Segment s = slots[sn & mask];
      if (s != null && s.sn == sn) {
        bigger[sn & newMask] = s;
      }
    }
    slots = bigger;
    mask = newMask;
  }
}
