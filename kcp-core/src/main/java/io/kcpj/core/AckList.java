package io.kcpj.core;

/**
 * The (sn, ts) pairs of PUSH segments received since the last flush, in arrival order: one ACK
 * segment is emitted for each at the next flush (ikcp's {@code acklist}). Two parallel int arrays
 * that grow by doubling and are reused after every flush. Confined to its engine.
 */
final class AckList {
  private int[] sns = new int[16];
  private int[] timestamps = new int[16];
  private int size;

  void add(int sn, int ts) {
    if (size == sns.length) {
      sns = java.util.Arrays.copyOf(sns, size * 2);
      timestamps = java.util.Arrays.copyOf(timestamps, size * 2);
    }
    sns[size] = sn;
    timestamps[size] = ts;
    size++;
  }

  int size() {
    return size;
  }

  int sn(int i) {
    return sns[i];
  }

  int ts(int i) {
    return timestamps[i];
  }

  void clear() {
    size = 0;
  }
}
