package io.kcpj.netem.tun;

/**
 * Packets and bytes counted at the bridge for one direction and protocol (or a sum of them).
 *
 * @param packets number of IP packets
 * @param bytes wire bytes: whole IP packets, IP header + transport header + payload (no link-layer
 *     framing, which a TUN device does not have)
 * @param payloadBytes transport payload bytes: {@code bytes} minus the IP header and, for TCP and
 *     UDP, minus the transport header (TCP options included); for other protocols everything after
 *     the IP header
 */
public record TrafficCount(long packets, long bytes, long payloadBytes) {

  /** No packets. */
  public static final TrafficCount ZERO = new TrafficCount(0, 0, 0);

  /** Header bytes: {@code bytes - payloadBytes}. */
  public long headerBytes() {
    return bytes - payloadBytes;
  }

  /** The element-wise sum. */
  public TrafficCount plus(TrafficCount other) {
    return new TrafficCount(
        packets + other.packets, bytes + other.bytes, payloadBytes + other.payloadBytes);
  }

  /** The element-wise difference (for counting an interval between two snapshots). */
  public TrafficCount minus(TrafficCount other) {
    return new TrafficCount(
        packets - other.packets, bytes - other.bytes, payloadBytes - other.payloadBytes);
  }
}
