package io.kcpj.netem.netty;

import io.kcpj.netem.link.PacketAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;

/**
 * {@link PacketAdapter} for Netty {@link DatagramPacket}s, with reference counting:
 *
 * <ul>
 *   <li>length: the content's readable bytes;
 *   <li>duplicate: {@link DatagramPacket#retainedDuplicate()}: shares the memory, adds one
 *       reference, so each copy is released on its own;
 *   <li>corrupt: copies the content into a new buffer from the same allocator, flips the bit in the
 *       copy and releases the original (a shared or read-only buffer is never written);
 *   <li>release: {@link DatagramPacket#release()}.
 * </ul>
 */
final class DatagramPacketAdapter implements PacketAdapter<DatagramPacket> {
  static final DatagramPacketAdapter INSTANCE = new DatagramPacketAdapter();

  private DatagramPacketAdapter() {}

  @Override
  public int length(DatagramPacket packet) {
    return packet.content().readableBytes();
  }

  @Override
  public DatagramPacket duplicate(DatagramPacket packet) {
    return packet.retainedDuplicate();
  }

  @Override
  public DatagramPacket corrupt(DatagramPacket packet, int index, int bit) {
    ByteBuf content = packet.content();
    ByteBuf copy = content.copy();
    try {
      int at = copy.readerIndex() + index;
      copy.setByte(at, copy.getByte(at) ^ (1 << bit));
      return packet.replace(copy);
    } finally {
      packet.release();
    }
  }

  @Override
  public void release(DatagramPacket packet) {
    packet.release();
  }
}
