package io.kcpj.netty;

import io.kcpj.core.Kcp;
import io.kcpj.core.KcpConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A KCP peer over a plain {@link DatagramSocket} driven by the test's thread: a kcp-core engine
 * whose datagrams may be rewritten on their way out ({@link #rewrite}), as a hostile client would.
 * It waits only on its socket (a receive with a timeout), never by sleeping.
 */
final class UdpKcpPeer implements AutoCloseable {
  final DatagramSocket socket;
  final InetSocketAddress server;
  final Kcp kcp;
  final List<byte[]> received = new ArrayList<>();

  /** Applied to every datagram the engine sends. */
  UnaryOperator<byte[]> rewrite = UnaryOperator.identity();

  private final byte[] buffer = new byte[65536];

  UdpKcpPeer(InetSocketAddress local, InetSocketAddress server, int conv, KcpConfig config)
      throws IOException {
    this.socket = new DatagramSocket(local);
    this.server = server;
    this.kcp =
        new Kcp(
            conv,
            config,
            out -> {
              byte[] d = new byte[out.remaining()];
              out.get(d);
              d = rewrite.apply(d);
              try {
                socket.send(new DatagramPacket(d, d.length, server));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  static long now() {
    return System.nanoTime() / 1_000_000L;
  }

  void send(byte[] message) {
    kcp.send(message, 0, message.length);
  }

  /** Sends what is queued now, in as few datagrams as the engine makes. */
  void flush() {
    kcp.update(now());
    kcp.flush();
  }

  /**
   * Drives the engine and reads datagrams until {@code done} holds; false if {@code boundMillis}
   * passed first.
   */
  boolean runUntil(BooleanSupplier done, long boundMillis) throws IOException {
    long end = now() + boundMillis;
    while (!done.getAsBoolean()) {
      long now = now();
      if (now >= end) {
        return false;
      }
      kcp.update(now);
      long wait = Math.max(1, Math.min(kcp.check(now) - now, end - now));
      socket.setSoTimeout((int) wait);
      DatagramPacket p = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException quiet) {
        continue;
      }
      kcp.update(now());
      kcp.input(buffer, 0, p.getLength());
      for (int size; (size = kcp.peekSize()) >= 0; ) {
        byte[] m = new byte[size];
        kcp.recv(m, 0, size);
        received.add(m);
      }
      kcp.flush(); // acknowledge at once
    }
    return true;
  }

  boolean hasReceived(byte[] message) {
    return received.stream().anyMatch(m -> Arrays.equals(m, message));
  }

  @Override
  public void close() {
    socket.close();
  }
}
