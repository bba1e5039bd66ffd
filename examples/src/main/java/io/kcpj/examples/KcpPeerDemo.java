package io.kcpj.examples;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Two {@link KcpPeer}s on loopback UDP in one thread: one sends "hello", the other prints it. */
public final class KcpPeerDemo {
  public static void main(String[] args) throws IOException {
    System.out.println(exchange("hello", Duration.ofSeconds(5)));
  }

  /**
   * Sends {@code text} from one peer to the other over real loopback sockets and returns what
   * arrived, or null if nothing did within {@code timeout}.
   */
  public static String exchange(String text, Duration timeout) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(loopback, 0));
        DatagramSocket b = new DatagramSocket(new InetSocketAddress(loopback, 0));
        KcpPeer alice = new KcpPeer(1, a, b.getLocalSocketAddress());
        KcpPeer bob = new KcpPeer(1, b, a.getLocalSocketAddress())) {
      alice.send(text.getBytes(StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        alice.poll(); // sends, then receives bob's ACK
        byte[] received = bob.poll();
        if (received != null) {
          return new String(received, StandardCharsets.UTF_8);
        }
      }
      return null;
    }
  }
}
