package io.kcpj.netem.net;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A datagram crossing a {@link VirtualNetwork}: the source address the receiver sees (after any
 * rebinding), the destination endpoint's address, and the payload.
 *
 * <p>The payload array is owned by whoever holds the datagram: the network copies the sender's
 * bytes when it is sent, and the receiving endpoint's handler gets the array to keep.
 *
 * @param source the source address as the receiver sees it
 * @param destination the receiving endpoint's own address
 * @param data the payload (not copied by this record)
 */
public record Datagram(InetSocketAddress source, InetSocketAddress destination, byte[] data) {
  /** Checks the fields are present. */
  public Datagram {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(data, "data");
  }

  /** The same addresses with another payload. */
  public Datagram withData(byte[] newData) {
    return new Datagram(source, destination, newData);
  }
}
