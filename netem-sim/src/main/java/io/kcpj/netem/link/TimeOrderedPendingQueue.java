package io.kcpj.netem.link;

import java.util.Arrays;

/**
 * A binary min-heap of pending packets keyed by (time, order) for {@code REORDER} mode. Entries
 * live in slots (parallel arrays, recycled through a free list); the heap orders slot indices, so a
 * sift moves one {@code int}. {@link #addLast} gets increasing positive orders, {@link #addFirst}
 * decreasing negative ones, so ties leave as documented in {@link PendingQueue}.
 */
final class TimeOrderedPendingQueue extends PendingQueue {
  private long[] times = new long[16];
  private long[] orders = new long[16];
  private Object[] packets = new Object[16];
  private int[] sizes = new int[16];
  private long[] sequences = new long[16];
  private int[] freeSlots = new int[16];
  private int freeCount;
  private int slotsUsedEver;
  private int[] heap = new int[16];
  private int count;
  private long nextLastOrder = 1;
  private long nextFirstOrder = -1;

  @Override
  void addLast(long time, Object packet, int size, long sequence) {
    insert(time, nextLastOrder++, packet, size, sequence);
  }

  @Override
  void addFirst(long time, Object packet, int size, long sequence) {
    insert(time, nextFirstOrder--, packet, size, sequence);
  }

  private void insert(long time, long order, Object packet, int size, long sequence) {
    int slot = allocateSlot();
    times[slot] = time;
    orders[slot] = order;
    packets[slot] = packet;
    sizes[slot] = size;
    sequences[slot] = sequence;
    if (count == heap.length) {
      heap = Arrays.copyOf(heap, count * 2);
    }
    int i = count++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      int ps = heap[parent];
      if (!less(slot, ps)) {
        break;
      }
      heap[i] = ps;
      i = parent;
    }
    heap[i] = slot;
  }

  private int allocateSlot() {
    if (freeCount > 0) {
      return freeSlots[--freeCount];
    }
    if (slotsUsedEver == times.length) {
      int n = times.length * 2;
      times = Arrays.copyOf(times, n);
      orders = Arrays.copyOf(orders, n);
      packets = Arrays.copyOf(packets, n);
      sizes = Arrays.copyOf(sizes, n);
      sequences = Arrays.copyOf(sequences, n);
      freeSlots = Arrays.copyOf(freeSlots, n);
    }
    return slotsUsedEver++;
  }

  private boolean less(int a, int b) {
    long ta = times[a];
    long tb = times[b];
    return ta < tb || (ta == tb && orders[a] < orders[b]);
  }

  @Override
  boolean isEmpty() {
    return count == 0;
  }

  @Override
  int size() {
    return count;
  }

  @Override
  long headTime() {
    return times[heap[0]];
  }

  @Override
  int headSize() {
    return sizes[heap[0]];
  }

  @Override
  long headSequence() {
    return sequences[heap[0]];
  }

  @Override
  Object poll() {
    int top = heap[0];
    Object p = packets[top];
    packets[top] = null;
    freeSlots[freeCount++] = top;
    int last = heap[--count];
    if (count > 0) {
      int i = 0;
      int half = count >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        int cs = heap[child];
        int right = child + 1;
        if (right < count && less(heap[right], cs)) {
          child = right;
          cs = heap[right];
        }
        if (!less(cs, last)) {
          break;
        }
        heap[i] = cs;
        i = child;
      }
      heap[i] = last;
    }
    return p;
  }
}
