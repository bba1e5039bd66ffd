package io.kcpj.netem.rate;

/**
 * The bound on the packets one direction holds, in packets and/or bytes; a packet that would exceed
 * it is tail-dropped (and counted as a queue drop).
 *
 * <p>As netem's {@code limit}, the queue is everything the direction holds: packets waiting for the
 * rate <em>and</em> packets being delayed. Size it for {@code rate × delay} plus the buffer you
 * want to model. Unlike netem (whose default 1000 packets silently drops when rate × delay exceeds
 * it) the default here is {@link #UNLIMITED}, and a limit is always explicit.
 *
 * <p>A packet of {@code n} bytes is dropped if the direction already holds {@code packets} packets,
 * or if its held bytes plus {@code n} would exceed {@code bytes}. 0 means "no limit" for either
 * bound. Profile syntax: {@code queue=100p}, {@code queue=64kib}, {@code queue=100p:64kib} (sizes
 * as {@link io.kcpj.netem.profile.Quantities}: {@code kb} = 1,000, {@code kib} = 1,024). Immutable.
 */
public final class QueueLimit {
  /** No bound at all. */
  public static final QueueLimit UNLIMITED = new QueueLimit(0, 0);

  private final int packets;
  private final long bytes;

  private QueueLimit(int packets, long bytes) {
    if (packets < 0 || bytes < 0) {
      throw new IllegalArgumentException("queue limits must be >= 0 (0 = none)");
    }
    this.packets = packets;
    this.bytes = bytes;
  }

  /** At most {@code packets} packets (0 = no packet bound) and {@code bytes} bytes (0 = none). */
  public static QueueLimit of(int packets, long bytes) {
    return new QueueLimit(packets, bytes);
  }

  /** At most {@code packets} packets. */
  public static QueueLimit packets(int packets) {
    return new QueueLimit(packets, 0);
  }

  /** At most {@code bytes} bytes. */
  public static QueueLimit bytes(long bytes) {
    return new QueueLimit(0, bytes);
  }

  /** The packet bound, 0 for none. */
  public int packets() {
    return packets;
  }

  /** The byte bound, 0 for none. */
  public long bytes() {
    return bytes;
  }

  /** Whether neither bound is set. */
  public boolean isUnlimited() {
    return packets == 0 && bytes == 0;
  }

  /** Whether a packet of {@code size} bytes must be dropped given what is held. */
  public boolean rejects(int heldPackets, long heldBytes, int size) {
    return (packets > 0 && heldPackets >= packets) || (bytes > 0 && heldBytes + size > bytes);
  }

  /**
   * The limit in the profile syntax ({@code none}, {@code 100p}, {@code 1500b}, {@code 64kb},
   * {@code 100p:64kib}): the largest unit that shows the bytes exactly, decimal before binary.
   */
  public String toSpec() {
    if (isUnlimited()) {
      return "none";
    }
    String b = sizeSpec(bytes);
    if (packets > 0 && bytes > 0) {
      return packets + "p:" + b;
    }
    return packets > 0 ? packets + "p" : b;
  }

  private static String sizeSpec(long bytes) {
    long[] units = {1_000_000_000L, 1L << 30, 1_000_000L, 1L << 20, 1_000L, 1L << 10};
    String[] names = {"gb", "gib", "mb", "mib", "kb", "kib"};
    for (int i = 0; i < units.length; i++) {
      if (bytes % units[i] == 0) {
        return bytes / units[i] + names[i];
      }
    }
    return bytes + "b";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueueLimit
        && ((QueueLimit) o).packets == packets
        && ((QueueLimit) o).bytes == bytes;
  }

  @Override
  public int hashCode() {
    return packets * 31 + Long.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toSpec();
  }
}
