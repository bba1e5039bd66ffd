package io.kcpj.netem.rate;

/**
 * A bottleneck rate in bits per second with a per-packet overhead (netem's {@code rate RATE
 * [PACKETOVERHEAD]}, without cells).
 *
 * <p>A packet's wire length is {@code length + overhead} bytes; its transmission time is {@code
 * wire · 8 · 10^9 / bitsPerSecond} nanoseconds, rounded down. With a rate, a packet's departure is
 * {@code max(now + delay, previous departure) + transmission time} (as netem; see
 * netem-sim/MODELS.md), so the link never sends faster than the rate.
 *
 * <p>Profile syntax: {@code rate=1mbit} (units {@code bit, kbit, mbit, gbit}, decimal) and {@code
 * overhead=28}. Immutable.
 */
public final class RateLimit {
  private final long bitsPerSecond;
  private final int overheadBytes;

  private RateLimit(long bitsPerSecond, int overheadBytes) {
    if (bitsPerSecond <= 0) {
      throw new IllegalArgumentException("rate must be > 0 bit/s, got " + bitsPerSecond);
    }
    if (overheadBytes < 0) {
      throw new IllegalArgumentException("per-packet overhead must be >= 0, got " + overheadBytes);
    }
    this.bitsPerSecond = bitsPerSecond;
    this.overheadBytes = overheadBytes;
  }

  /** {@code bitsPerSecond} with no per-packet overhead. */
  public static RateLimit bitsPerSecond(long bitsPerSecond) {
    return new RateLimit(bitsPerSecond, 0);
  }

  /** {@code kbit} kilobits (1000 bits) per second. */
  public static RateLimit kbit(long kbit) {
    return new RateLimit(Math.multiplyExact(kbit, 1000L), 0);
  }

  /** The same rate with {@code bytes} of overhead added to every packet's length. */
  public RateLimit withOverhead(int bytes) {
    return new RateLimit(bitsPerSecond, bytes);
  }

  /** The rate in bits per second. */
  public long bitsPerSecond() {
    return bitsPerSecond;
  }

  /** Bytes added to each packet's length for the rate (headers, framing). */
  public int overheadBytes() {
    return overheadBytes;
  }

  /** The transmission time of a packet of {@code length} bytes, in nanoseconds. */
  public long transmitNanos(int length) {
    long wireBits = (length + (long) overheadBytes) * 8L;
    if (wireBits <= Long.MAX_VALUE / 1_000_000_000L) {
      return wireBits * 1_000_000_000L / bitsPerSecond;
    }
    return (long) (wireBits * 1e9 / bitsPerSecond);
  }

  /** The rate in the profile syntax, e.g. {@code 780kbit}. */
  public String toSpec() {
    if (bitsPerSecond % 1_000_000_000L == 0) {
      return bitsPerSecond / 1_000_000_000L + "gbit";
    }
    if (bitsPerSecond % 1_000_000L == 0) {
      return bitsPerSecond / 1_000_000L + "mbit";
    }
    if (bitsPerSecond % 1_000L == 0) {
      return bitsPerSecond / 1_000L + "kbit";
    }
    return bitsPerSecond + "bit";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RateLimit
        && ((RateLimit) o).bitsPerSecond == bitsPerSecond
        && ((RateLimit) o).overheadBytes == overheadBytes;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bitsPerSecond) * 31 + overheadBytes;
  }

  @Override
  public String toString() {
    return toSpec() + (overheadBytes == 0 ? "" : " +" + overheadBytes + "B/packet");
  }
}
