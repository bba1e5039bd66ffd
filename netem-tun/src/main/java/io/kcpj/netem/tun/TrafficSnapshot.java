package io.kcpj.netem.tun;

import io.kcpj.netem.Direction;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable copy of a {@link TunBridge}'s traffic counters (see {@link TunBridge#traffic()}).
 *
 * <p>"Offered" counts what the sending kernel put on the wire: every IP packet read from the source
 * TUN device, before the {@link PacketPath} decides its fate. "Delivered" counts what was written
 * into the destination TUN device. With a lossy path, offered minus delivered is what the path
 * dropped (or still holds). Bytes are whole IP packets (IP + transport headers + payload).
 *
 * <p>To count an interval (one protocol run of a comparison), take a snapshot before and after and
 * use {@link #minus}. Immutable and thread-safe.
 */
public final class TrafficSnapshot {

  private final long[] values;

  TrafficSnapshot(long[] values) {
    this.values = values;
  }

  /** Packets of {@code protocol} read from the source TUN of {@code direction}. */
  public TrafficCount offered(Direction direction, IpProtocol protocol) {
    return count(TrafficCounters.OFFERED, direction, protocol);
  }

  /** Packets of {@code protocol} written into the destination TUN of {@code direction}. */
  public TrafficCount delivered(Direction direction, IpProtocol protocol) {
    return count(TrafficCounters.DELIVERED, direction, protocol);
  }

  /** All packets read from the source TUN of {@code direction}. */
  public TrafficCount offered(Direction direction) {
    return total(TrafficCounters.OFFERED, direction);
  }

  /** All packets written into the destination TUN of {@code direction}. */
  public TrafficCount delivered(Direction direction) {
    return total(TrafficCounters.DELIVERED, direction);
  }

  /** Writes into the destination TUN of {@code direction} that the kernel refused. */
  public long writeErrors(Direction direction) {
    return values[TrafficCounters.WRITE_ERRORS + direction.ordinal()];
  }

  /**
   * IPv6 packets among {@link #offered(Direction)} (0 when the bridge disabled IPv6 as it does).
   */
  public long ipv6PacketsOffered(Direction direction) {
    return values[TrafficCounters.IPV6_OFFERED + direction.ordinal()];
  }

  /** The counts of this snapshot minus those of an earlier one. */
  public TrafficSnapshot minus(TrafficSnapshot earlier) {
    Objects.requireNonNull(earlier, "earlier");
    long[] diff = new long[values.length];
    for (int i = 0; i < diff.length; i++) {
      diff[i] = values[i] - earlier.values[i];
    }
    return new TrafficSnapshot(diff);
  }

  private TrafficCount count(int kind, Direction direction, IpProtocol protocol) {
    int base = TrafficCounters.slot(kind, direction, protocol);
    return new TrafficCount(values[base], values[base + 1], values[base + 2]);
  }

  private TrafficCount total(int kind, Direction direction) {
    TrafficCount sum = TrafficCount.ZERO;
    for (IpProtocol protocol : IpProtocol.values()) {
      sum = sum.plus(count(kind, direction, protocol));
    }
    return sum;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrafficSnapshot other && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  /** A small table: one line per direction and protocol that saw traffic. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("TrafficSnapshot");
    for (Direction direction : Direction.values()) {
      for (IpProtocol protocol : IpProtocol.values()) {
        TrafficCount in = offered(direction, protocol);
        TrafficCount out = delivered(direction, protocol);
        if (in.packets() == 0 && out.packets() == 0) {
          continue;
        }
        sb.append(
            String.format(
                "%n  %-6s %-5s offered %d pkts / %d B (payload %d B), delivered %d pkts / %d B",
                direction,
                protocol,
                in.packets(),
                in.bytes(),
                in.payloadBytes(),
                out.packets(),
                out.bytes()));
      }
      if (writeErrors(direction) != 0 || ipv6PacketsOffered(direction) != 0) {
        sb.append(
            String.format(
                "%n  %-6s write errors %d, IPv6 packets %d",
                direction, writeErrors(direction), ipv6PacketsOffered(direction)));
      }
    }
    return sb.toString();
  }
}
