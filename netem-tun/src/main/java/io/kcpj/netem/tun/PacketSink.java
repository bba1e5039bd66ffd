package io.kcpj.netem.tun;

import io.kcpj.netem.Direction;

/**
 * Where a {@link PacketPath} hands a packet that has survived the path: the bridge writes it into
 * the destination TUN device, i.e. into the kernel network stack of the destination namespace.
 *
 * <p><b>Threading:</b> call {@link #deliver} only on the bridge thread, that is from inside {@link
 * PacketPath#offer} or {@link PacketPath#runDue}. A call from any other thread throws {@link
 * IllegalStateException}: the sink writes through a single reusable native buffer.
 *
 * <p><b>Buffer ownership:</b> the bytes are copied before {@code deliver} returns; the caller keeps
 * ownership of {@code packet} and may reuse or modify it afterwards. The same array may be
 * delivered more than once (duplication).
 */
public interface PacketSink {

  /**
   * Writes {@code packet[offset, offset + length)}, one raw IP packet (no link-layer header, no TUN
   * packet-information prefix), into the destination TUN device now.
   *
   * @return {@code true} if the kernel accepted the packet; {@code false} if the write failed
   *     (counted in {@link TrafficSnapshot#writeErrors(Direction)}; a malformed packet is rejected
   *     by the kernel this way). Never throws for a kernel refusal.
   * @throws IllegalStateException if called from a thread other than the bridge thread
   * @throws IndexOutOfBoundsException if the range is outside {@code packet}
   * @throws IllegalArgumentException if {@code length} is 0 or larger than 65535
   */
  boolean deliver(byte[] packet, int offset, int length);
}
