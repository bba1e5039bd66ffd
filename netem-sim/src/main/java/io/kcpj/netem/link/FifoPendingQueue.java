package io.kcpj.netem.link;

/**
 * A growable ring of pending packets for a direction whose departures are already in offer order
 * ({@code FIFO} mode, a rate, or a constant delay): the link appends in non-decreasing time order,
 * and {@link #addFirst} (the reorder model) puts a packet at the head, clamping its time to the
 * head's so the ring stays sorted. Adding and removing are O(1), against the heap's O(log n).
 */
final class FifoPendingQueue extends PendingQueue {
  private long[] times = new long[16];
  private Object[] packets = new Object[16];
  private int[] sizes = new int[16];
  private long[] sequences = new long[16];
  private int head;
  private int count;

  @Override
  void addLast(long time, Object packet, int size, long sequence) {
    if (count == times.length) {
      grow();
    }
    if (count > 0) {
      long tail = times[(head + count - 1) & (times.length - 1)];
      if (time < tail) {
        throw new IllegalStateException(
            "FIFO queue needs non-decreasing times: " + time + " < " + tail);
      }
    }
    int i = (head + count) & (times.length - 1);
    put(i, time, packet, size, sequence);
    count++;
  }

  @Override
  void addFirst(long time, Object packet, int size, long sequence) {
    if (count == times.length) {
      grow();
    }
    if (count > 0) {
      time = Math.min(time, times[head]);
    }
    head = (head - 1) & (times.length - 1);
    put(head, time, packet, size, sequence);
    count++;
  }

  private void put(int i, long time, Object packet, int size, long sequence) {
    times[i] = time;
    packets[i] = packet;
    sizes[i] = size;
    sequences[i] = sequence;
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
    return times[head];
  }

  @Override
  int headSize() {
    return sizes[head];
  }

  @Override
  long headSequence() {
    return sequences[head];
  }

  @Override
  Object poll() {
    Object p = packets[head];
    packets[head] = null;
    head = (head + 1) & (times.length - 1);
    count--;
    return p;
  }

  private void grow() {
    int n = times.length;
    long[] t = new long[n * 2];
    Object[] p = new Object[n * 2];
    int[] s = new int[n * 2];
    long[] q = new long[n * 2];
    for (int k = 0; k < count; k++) {
      int i = (head + k) & (n - 1);
      t[k] = times[i];
      p[k] = packets[i];
      s[k] = sizes[i];
      q[k] = sequences[i];
    }
    times = t;
    packets = p;
    sizes = s;
    sequences = q;
    head = 0;
  }
}
