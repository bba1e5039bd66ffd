package io.kcpj.core;

/**
 * A bounded free list of {@link Segment}s, so an engine in steady state allocates nothing.
 *
 * <p>Segments are handed out with a payload array of at least the requested size and, normally,
 * exactly {@code segmentCapacity} (the engine's mss). A released segment whose array is smaller
 * than the current capacity (after an mtu change) is dropped for the garbage collector. The pool
 * keeps at most {@code maxPooled} segments: enough to recycle one window's worth per flush, not so
 * many that an idle session holds a large cache. Confined to its engine's thread.
 */
final class SegmentPool {
  private Segment[] free = new Segment[16];
  private int size;
  private int segmentCapacity;
  private int maxPooled;

  SegmentPool(int segmentCapacity, int maxPooled) {
    this.segmentCapacity = segmentCapacity;
    this.maxPooled = maxPooled;
  }

  /** A segment whose payload holds at least {@code len} bytes, all bookkeeping reset. */
  Segment acquire(int len) {
    Segment s;
    if (size > 0 && len <= segmentCapacity) {
      s = free[--size];
      free[size] = null;
    } else {
      s = new Segment(Math.max(len, segmentCapacity));
    }
    s.frg = 0;
    s.ts = 0;
    s.sn = 0;
    s.len = 0;
    s.resendAt = 0;
    s.rto = 0;
    s.fastAck = 0;
    s.transmissions = 0;
    s.copies = 0;
    s.retransmittedAt = 0;
    s.spuriousCounted = false;
    s.cmd = io.kcpj.core.wire.SegmentHeader.CMD_PUSH;
    return s;
  }

  void release(Segment s) {
    if (size < maxPooled && s.data.length >= segmentCapacity) {
      if (size == free.length) {
        Segment[] bigger = new Segment[Math.min(maxPooled, free.length * 2)];
        System.arraycopy(free, 0, bigger, 0, size);
        free = bigger;
      }
      free[size++] = s;
    }
  }

  /** Called when the mss changes: pooled segments that are now too small are discarded. */
  void setSegmentCapacity(int capacity) {
    this.segmentCapacity = capacity;
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (free[i].data.length >= capacity) {
        free[kept++] = free[i];
      }
    }
    for (int i = kept; i < size; i++) {
      free[i] = null;
    }
    size = kept;
  }

  void setMaxPooled(int maxPooled) {
    this.maxPooled = maxPooled;
    while (size > maxPooled) {
      free[--size] = null;
    }
  }

  int pooled() {
    return size;
  }
}
