package io.kcpj.netem.net;

import io.kcpj.netem.link.PacketAdapter;
import java.util.Arrays;

/**
 * {@link PacketAdapter} for {@link Datagram}s: a duplicate and a corrupted datagram each get their
 * own copy of the payload, so every delivered payload is owned by its receiver alone.
 */
final class DatagramAdapter implements PacketAdapter<Datagram> {
  static final DatagramAdapter INSTANCE = new DatagramAdapter();

  private DatagramAdapter() {}

  @Override
  public int length(Datagram packet) {
    return packet.data().length;
  }

  @Override
  public Datagram duplicate(Datagram packet) {
    return packet.withData(packet.data().clone());
  }

  @Override
  public Datagram corrupt(Datagram packet, int index, int bit) {
    byte[] c = Arrays.copyOf(packet.data(), packet.data().length);
    c[index] ^= (byte) (1 << bit);
    return packet.withData(c);
  }
}
