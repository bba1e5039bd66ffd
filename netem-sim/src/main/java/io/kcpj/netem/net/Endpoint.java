package io.kcpj.netem.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A host on a {@link VirtualNetwork}: it has an address, sends datagrams to other endpoints through
 * the links configured between them, and hands what arrives to its {@link DatagramHandler}.
 *
 * <p>Sending copies the caller's bytes (so a {@code ByteBuffer} valid only during a callback, like
 * KCP's output, is fine). Confined to the network's scheduler thread.
 */
public final class Endpoint {
  private final VirtualNetwork network;
  private final InetSocketAddress address;
  private DatagramHandler handler;
  private boolean closed;
  private long received;
  private long sent;

  Endpoint(VirtualNetwork network, InetSocketAddress address, DatagramHandler handler) {
    this.network = network;
    this.address = address;
    this.handler = handler;
  }

  /** This endpoint's own address. */
  public InetSocketAddress address() {
    return address;
  }

  /** Sets (or replaces) the handler of arriving datagrams. */
  public Endpoint onReceive(DatagramHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * Sends {@code length} bytes of {@code data} from {@code offset} to {@code destination} (an
   * endpoint's address, or an address it was rebound to) at the scheduler's current time.
   *
   * @throws IllegalArgumentException if no endpoint has that address or no link joins them
   * @throws IllegalStateException if this endpoint is closed
   */
  public void send(InetSocketAddress destination, byte[] data, int offset, int length) {
    if (closed) {
      throw new IllegalStateException("endpoint " + address + " is closed");
    }
    Objects.checkFromIndexSize(offset, length, data.length);
    sent++;
    network.send(this, destination, Arrays.copyOfRange(data, offset, offset + length));
  }

  /** Sends all of {@code data}; see {@link #send(InetSocketAddress, byte[], int, int)}. */
  public void send(InetSocketAddress destination, byte[] data) {
    send(destination, data, 0, data.length);
  }

  /** Sends the remaining bytes of {@code data} (its position is not moved). */
  public void send(InetSocketAddress destination, ByteBuffer data) {
    byte[] copy = new byte[data.remaining()];
    data.duplicate().get(copy);
    if (closed) {
      throw new IllegalStateException("endpoint " + address + " is closed");
    }
    sent++;
    network.send(this, destination, copy);
  }

  /** Datagrams sent by this endpoint. */
  public long sentCount() {
    return sent;
  }

  /** Datagrams delivered to this endpoint. */
  public long receivedCount() {
    return received;
  }

  /** Stops receiving (later arrivals are discarded) and sending. */
  public void close() {
    closed = true;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  void deliver(InetSocketAddress source, byte[] data) {
    if (closed || handler == null) {
      return;
    }
    received++;
    handler.receive(source, data);
  }

  @Override
  public String toString() {
    return "Endpoint " + address;
  }
}
