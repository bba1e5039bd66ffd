package io.kcpj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The engine quick start, run: two {@link KcpPeer}s over real loopback UDP sockets. */
class KcpPeerTest {

  @Test
  void theDemoDeliversHello() throws Exception {
    assertEquals("hello", KcpPeerDemo.exchange("hello", Duration.ofSeconds(10)));
  }

  /**
   * 200 seeded messages of 1 byte to 20 kB (up to 15 fragments each) in both directions at once:
   * each arrives whole, exactly once, in order.
   */
  @Test
  void messagesOfManyFragmentsArriveWholeAndInOrderBothWays() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    SplittableRandom random = new SplittableRandom(11);
    List<byte[]> toBob = new ArrayList<>();
    List<byte[]> toAlice = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      toBob.add(randomBytes(random, 1 + random.nextInt(20_000)));
      toAlice.add(randomBytes(random, 1 + random.nextInt(20_000)));
    }
    try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(loopback, 0));
        DatagramSocket b = new DatagramSocket(new InetSocketAddress(loopback, 0));
        KcpPeer alice = new KcpPeer(7, a, b.getLocalSocketAddress());
        KcpPeer bob = new KcpPeer(7, b, a.getLocalSocketAddress())) {
      toBob.forEach(alice::send);
      toAlice.forEach(bob::send);
      List<byte[]> atBob = new ArrayList<>();
      List<byte[]> atAlice = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while ((atBob.size() < toBob.size() || atAlice.size() < toAlice.size())
          && System.nanoTime() < deadline) {
        byte[] m = alice.poll();
        if (m != null) {
          atAlice.add(m);
        }
        m = bob.poll();
        if (m != null) {
          atBob.add(m);
        }
      }
      assertSameMessages(toBob, atBob);
      assertSameMessages(toAlice, atAlice);
    }
  }

  private static byte[] randomBytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static void assertSameMessages(List<byte[]> sent, List<byte[]> received) {
    assertEquals(sent.size(), received.size(), "messages delivered");
    for (int i = 0; i < sent.size(); i++) {
      assertArrayEquals(sent.get(i), received.get(i), "message " + i);
    }
  }
}
