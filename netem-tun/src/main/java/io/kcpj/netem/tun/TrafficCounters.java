package io.kcpj.netem.tun;

import io.kcpj.netem.Direction;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The bridge's live counters: per direction and {@link IpProtocol}, packets/bytes/payload bytes
 * read from the source TUN ("offered") and written into the destination TUN ("delivered"), plus
 * write errors and IPv6 packets per direction.
 *
 * <p><b>Threading:</b> single writer (the bridge thread) with release stores; any thread may take a
 * {@link #snapshot()} (acquire loads). Each value in a snapshot is exact at some instant, but a
 * snapshot taken while packets flow is not one consistent cut across all values.
 */
final class TrafficCounters {

  static final int FIELDS = 3; // packets, bytes, payloadBytes
  static final int OFFERED = 0;
  static final int DELIVERED = 1;
  private static final int PROTOCOLS = IpProtocol.values().length;
  private static final int DIRECTIONS = Direction.values().length;
  static final int FLOW_SLOTS = 2 * DIRECTIONS * PROTOCOLS * FIELDS;
  static final int WRITE_ERRORS = FLOW_SLOTS;
  static final int IPV6_OFFERED = WRITE_ERRORS + DIRECTIONS;
  static final int SIZE = IPV6_OFFERED + DIRECTIONS;

  private final AtomicLongArray values = new AtomicLongArray(SIZE);

  static int slot(int kind, Direction direction, IpProtocol protocol) {
    return ((kind * DIRECTIONS + direction.ordinal()) * PROTOCOLS + protocol.ordinal()) * FIELDS;
  }

  /** Counts a packet read from the source TUN of {@code direction}. Bridge thread only. */
  void offered(Direction direction, byte[] p, int off, int len) {
    count(OFFERED, direction, p, off, len);
    if (IpHeaders.version(p, off, len) == 6) {
      add(IPV6_OFFERED + direction.ordinal(), 1);
    }
  }

  /** Counts a packet written into the destination TUN of {@code direction}. Bridge thread only. */
  void delivered(Direction direction, byte[] p, int off, int len) {
    count(DELIVERED, direction, p, off, len);
  }

  /** Counts a failed write into the destination TUN of {@code direction}. Bridge thread only. */
  void writeError(Direction direction) {
    add(WRITE_ERRORS + direction.ordinal(), 1);
  }

  private void count(int kind, Direction direction, byte[] p, int off, int len) {
    int base = slot(kind, direction, IpHeaders.protocol(p, off, len));
    add(base, 1);
    add(base + 1, len);
    add(base + 2, IpHeaders.payloadLength(p, off, len));
  }

  private void add(int index, long delta) {
    // single writer: a plain read and a release store suffice
    values.setRelease(index, values.getPlain(index) + delta);
  }

  /** A copy of all values; any thread. */
  TrafficSnapshot snapshot() {
    long[] copy = new long[SIZE];
    for (int i = 0; i < SIZE; i++) {
      copy[i] = values.getAcquire(i);
    }
    return new TrafficSnapshot(copy);
  }
}
