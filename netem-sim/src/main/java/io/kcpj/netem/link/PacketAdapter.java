package io.kcpj.netem.link;

import java.util.Arrays;

/**
 * How a link handles its packet type {@code P}: its length, a duplicate copy, a corrupted version,
 * and what to do with a dropped packet. This keeps the link generic: a {@code byte[]} (raw IP
 * packets from a TUN device, datagrams in the proxy), a {@code VirtualNetwork} datagram, or a Netty
 * {@code DatagramPacket} all fit.
 *
 * <p><b>Ownership.</b> When a packet is offered, the link owns it until it hands it to the {@link
 * PacketSink} (which then owns it) or drops it (then it calls {@link #release(Object)}). {@link
 * #duplicate(Object)} must return a packet the link can own independently, and {@link
 * #corrupt(Object, int, int)} takes ownership of its argument and returns the packet to carry on
 * with.
 *
 * <p>Implementations are called on the thread that drives the link.
 */
public interface PacketAdapter<P> {

  /** The packet's length in bytes (for the rate, the queue bound and the size limit). */
  int length(P packet);

  /** A second, independently owned packet with the same content (the duplicate copy). */
  P duplicate(P packet);

  /**
   * The packet with bit {@code bit} (0..7) of byte {@code index} (0..length-1) flipped. Takes
   * ownership of {@code packet}; must not modify memory another packet may share (copy first).
   */
  P corrupt(P packet, int index, int bit);

  /** The link dropped {@code packet}: release what it holds. The default does nothing. */
  default void release(P packet) {}

  /**
   * {@code byte[]} packets whose length is the array length. A duplicate delivers the <em>same</em>
   * array twice and a corrupted packet is a fresh copy, so the caller's array is never modified;
   * receivers must treat delivered arrays as read-only (or use {@link #byteArrayCopies()}).
   * Allocates nothing except on corruption.
   */
  static PacketAdapter<byte[]> byteArrays() {
    return ByteArrays.SHARED;
  }

  /**
   * {@code byte[]} packets where every delivery owns its array: a duplicate is a copy and a
   * corrupted packet is a fresh copy, so a receiver may modify what it gets. The offered array is
   * delivered as is (the caller gives it up when offering).
   */
  static PacketAdapter<byte[]> byteArrayCopies() {
    return ByteArrays.COPIES;
  }

  /** The two {@code byte[]} adapters; use {@link #byteArrays()} and {@link #byteArrayCopies()}. */
  enum ByteArrays implements PacketAdapter<byte[]> {
    /** Duplicates share the array; see {@link PacketAdapter#byteArrays()}. */
    SHARED {
      @Override
      public byte[] duplicate(byte[] packet) {
        return packet;
      }
    },
    /** Duplicates are copies; see {@link PacketAdapter#byteArrayCopies()}. */
    COPIES {
      @Override
      public byte[] duplicate(byte[] packet) {
        return packet.clone();
      }
    };

    @Override
    public int length(byte[] packet) {
      return packet.length;
    }

    @Override
    public byte[] corrupt(byte[] packet, int index, int bit) {
      byte[] c = Arrays.copyOf(packet, packet.length);
      c[index] ^= (byte) (1 << bit);
      return c;
    }
  }
}
