package io.kcpj.examples;

import io.kcpj.core.Kcp;
import io.kcpj.core.KcpConfig;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * The engine on its own: one KCP conversation over a plain {@link DatagramSocket}, no Netty. The
 * engine does no I/O and reads no clock; this loop gives it the time, the datagrams that arrive and
 * a callback for the datagrams it sends. One thread drives one peer.
 */
public final class KcpPeer implements AutoCloseable {
  private final DatagramSocket socket;
  private final SocketAddress peer;
  private final Kcp kcp;
  private final byte[] datagram = new byte[1500]; // one datagram (the MTU is 1400)
  private final byte[] message;

  /** A conversation {@code conv} with {@code peer} over {@code socket}, which this peer owns. */
  public KcpPeer(int conv, DatagramSocket socket, SocketAddress peer) {
    this.socket = socket;
    this.peer = peer;
    this.kcp =
        new Kcp(
            conv,
            KcpConfig.fast(),
            out -> {
              // `out` is the engine's own buffer, valid only during this call: send or copy it now.
              byte[] bytes = new byte[out.remaining()];
              out.get(bytes);
              try {
                socket.send(new DatagramPacket(bytes, bytes.length, peer));
              } catch (IOException e) {
                // A datagram that cannot be sent is a lost datagram: KCP retransmits it.
              }
            });
    this.message = new byte[kcp.maxMessageSize()];
  }

  /** Queues one message (copied); it leaves at the next {@link #poll()}. */
  public void send(byte[] bytes) {
    kcp.send(bytes, 0, bytes.length); // IllegalArgumentException above kcp.maxMessageSize()
  }

  /**
   * One turn of the loop: lets the engine send what is due, waits for a datagram until the engine
   * next needs the time (at most one interval, 10 ms in "fast"), feeds it in, and returns the next
   * whole message, or null if none is complete yet.
   */
  public byte[] poll() throws IOException {
    long now = System.currentTimeMillis();
    kcp.update(now); // new data, retransmissions, ACKs, window probes
    socket.setSoTimeout((int) Math.max(1, kcp.check(now) - now));
    DatagramPacket packet = new DatagramPacket(datagram, datagram.length);
    try {
      socket.receive(packet);
      if (packet.getSocketAddress().equals(peer)) {
        kcp.input(datagram, 0, packet.getLength()); // never throws: bad datagrams are counted
      }
    } catch (SocketTimeoutException quiet) {
      // nothing arrived: time to update again
    }
    int n = kcp.recv(message, 0, message.length); // a negative status when nothing is complete
    return n < 0 ? null : Arrays.copyOf(message, n);
  }

  @Override
  public void close() {
    socket.close();
  }
}
