package io.kcpj.netem.time;

import java.util.Arrays;

/**
 * An indexed binary min-heap of timers ordered by (deadline, arming sequence): the event queue of
 * both schedulers. Each entry remembers its heap slot, so re-arming or cancelling a timer is O(log
 * n) without a search and without allocation.
 *
 * <p>Not thread-safe; the owning scheduler provides the confinement or the lock.
 */
final class TimerHeap {

  /** One heap entry: a reusable timer's scheduling state. */
  abstract static class Entry {
    long deadline;
    long sequence;
    int heapIndex = -1;

    final boolean inHeap() {
      return heapIndex >= 0;
    }
  }

  private Entry[] entries = new Entry[16];
  private int size;
  private long nextSequence;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The earliest entry, or {@code null} when empty. */
  Entry peek() {
    return size == 0 ? null : entries[0];
  }

  /** Inserts or moves {@code e} to {@code deadline}; it sorts after entries armed earlier. */
  void schedule(Entry e, long deadline) {
    e.deadline = deadline;
    e.sequence = nextSequence++;
    if (e.inHeap()) {
      int i = e.heapIndex;
      siftUp(i);
      siftDown(e.heapIndex);
    } else {
      if (size == entries.length) {
        entries = Arrays.copyOf(entries, size * 2);
      }
      entries[size] = e;
      e.heapIndex = size;
      size++;
      siftUp(size - 1);
    }
  }

  /** Removes {@code e} if present. */
  void remove(Entry e) {
    int i = e.heapIndex;
    if (i < 0) {
      return;
    }
    size--;
    Entry last = entries[size];
    entries[size] = null;
    e.heapIndex = -1;
    if (i != size) {
      entries[i] = last;
      last.heapIndex = i;
      siftUp(i);
      siftDown(last.heapIndex);
    }
  }

  /** Removes and returns the earliest entry (the heap must not be empty). */
  Entry poll() {
    Entry top = entries[0];
    remove(top);
    return top;
  }

  private static boolean less(Entry a, Entry b) {
    return a.deadline < b.deadline || (a.deadline == b.deadline && a.sequence < b.sequence);
  }

  private void siftUp(int i) {
    Entry e = entries[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Entry p = entries[parent];
      if (!less(e, p)) {
        break;
      }
      entries[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    entries[i] = e;
    e.heapIndex = i;
  }

  private void siftDown(int i) {
    Entry e = entries[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      Entry c = entries[child];
      int right = child + 1;
      if (right < size && less(entries[right], c)) {
        child = right;
        c = entries[right];
      }
      if (!less(c, e)) {
        break;
      }
      entries[i] = c;
      c.heapIndex = i;
      i = child;
    }
    entries[i] = e;
    e.heapIndex = i;
  }
}
