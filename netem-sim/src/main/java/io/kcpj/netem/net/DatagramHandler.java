package io.kcpj.netem.net;

import java.net.InetSocketAddress;

/**
 * Receives the datagrams that reach an {@link Endpoint}, on the thread that runs the network's
 * scheduler, at their delivery time.
 */
@FunctionalInterface
public interface DatagramHandler {
  /**
   * A datagram arrived.
   *
   * @param source the sender's address as this endpoint sees it (it changes after a rebinding;
   *     replying to it reaches the sender)
   * @param data the payload; the handler owns it and may keep or modify it
   */
  void receive(InetSocketAddress source, byte[] data);
}
