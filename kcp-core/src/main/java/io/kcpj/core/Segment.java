package io.kcpj.core;

/**
 * One KCP segment held by an engine: header fields, retransmission bookkeeping and the payload.
 *
 * <p>Owned by exactly one {@link Kcp} and by exactly one of its queues at a time; recycled through
 * its {@link SegmentPool}. Never escapes the engine. {@code data} has room for at least {@code len}
 * bytes and usually for a whole mss, so stream-mode appends and reuse do not allocate.
 */
final class Segment {
  int frg;
  int ts;
  int sn;
  int len;

  /** Time (ms, wrapping) at or after which the segment is retransmitted. */
  int resendAt;

  /** This segment's own retransmission timeout, backed off on each timeout. */
  int rto;

  /** How many later segments were acknowledged while this one was not. */
  int fastAck;

  /** How many times this segment was transmitted. */
  int transmissions;

  byte[] data;

  Segment(int capacity) {
    this.data = new byte[capacity];
  }

  /** Makes room for {@code capacity} bytes, keeping the first {@code len} (a rare slow path). */
  void ensureCapacity(int capacity) {
    if (data.length < capacity) {
      byte[] bigger = new byte[capacity];
      System.arraycopy(data, 0, bigger, 0, len);
      data = bigger;
    }
  }
}
