package io.kcpj.netty;

import java.util.Arrays;

/**
 * A binary min-heap of {@link TimerEntry}s by deadline with O(log n) insert, move and remove (each
 * entry knows its index). Event-loop confined; used by {@link SessionTimer}.
 */
final class DeadlineHeap {
  private TimerEntry[] heap = new TimerEntry[16];
  private int size;

  int size() {
    return size;
  }

  /** The earliest deadline, or {@code Long.MAX_VALUE} when empty. */
  long earliest() {
    return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
  }

  /** Puts {@code e} at {@code deadline}, moving it if present; MAX_VALUE removes it. */
  void set(TimerEntry e, long deadline) {
    if (deadline == Long.MAX_VALUE) {
      remove(e);
      return;
    }
    int i = e.index;
    if (i < 0) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      e.deadline = deadline;
      heap[size] = e;
      e.index = size;
      siftUp(size++);
      return;
    }
    long old = e.deadline;
    e.deadline = deadline;
    if (deadline < old) {
      siftUp(i);
    } else if (deadline > old) {
      siftDown(i);
    }
  }

  void remove(TimerEntry e) {
    int i = e.index;
    if (i < 0) {
      return;
    }
    e.index = -1;
    e.deadline = Long.MAX_VALUE;
    TimerEntry last = heap[--size];
    heap[size] = null;
    if (i < size) {
      heap[i] = last;
      last.index = i;
      siftDown(i);
      siftUp(last.index);
    }
  }

  /** The entry due first if its deadline is at or before {@code now}, removed; else null. */
  TimerEntry pollDue(long now) {
    if (size == 0 || heap[0].deadline > now) {
      return null;
    }
    TimerEntry first = heap[0];
    remove(first);
    return first;
  }

  private void siftUp(int i) {
    TimerEntry c = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      TimerEntry p = heap[parent];
      if (p.deadline <= c.deadline) {
        break;
      }
      heap[i] = p;
      p.index = i;
      i = parent;
    }
    heap[i] = c;
    c.index = i;
  }

  private void siftDown(int i) {
    TimerEntry c = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && heap[right].deadline < heap[child].deadline) {
        child = right;
      }
      if (c.deadline <= heap[child].deadline) {
        break;
      }
      heap[i] = heap[child];
      heap[i].index = i;
      i = child;
    }
    heap[i] = c;
    c.index = i;
  }
}
