package io.kcpj.netem.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.stats.Tolerance;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The proxy on real loopback sockets. No sleeping: the client waits on its socket with a timeout,
 * and every count and duration is bounded.
 */
class UdpProxyTest {
  private static final InetSocketAddress ANY_LOOPBACK =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  /** Round-trip times of the echoes received, in nanoseconds, keyed by packet number. */
  private static Map<Integer, Long> echo(InetSocketAddress proxy, int count, int window)
      throws IOException {
    Map<Integer, Long> rtts = new HashMap<>();
    Map<Integer, Long> outstanding = new HashMap<>();
    try (DatagramSocket client = new DatagramSocket(ANY_LOOPBACK)) {
      client.setSoTimeout(20);
      byte[] out = new byte[100];
      byte[] in = new byte[200];
      int next = 0;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while ((next < count || !outstanding.isEmpty()) && System.nanoTime() < deadline) {
        while (next < count && outstanding.size() < window) {
          ByteBuffer.wrap(out).putInt(0, next);
          // Stamp before sending, so a pause of this thread can only lengthen a measured RTT.
          outstanding.put(next, System.nanoTime());
          client.send(new DatagramPacket(out, out.length, proxy));
          next++;
        }
        try {
          DatagramPacket p = new DatagramPacket(in, in.length);
          client.receive(p);
          long now = System.nanoTime();
          int n = ByteBuffer.wrap(in).getInt(0);
          Long sent = outstanding.remove(n);
          if (sent != null) {
            rtts.put(n, now - sent);
          }
        } catch (SocketTimeoutException e) {
          // fall through to expiry
        }
        long now = System.nanoTime();
        outstanding.values().removeIf(sent -> now - sent > 300_000_000L); // presumed lost
      }
    }
    return rtts;
  }

  @Test
  void anEchoThroughTheProxyShowsTheConfiguredLossAndDelay() throws Exception {
    int count = 1000;
    double loss = 0.10;
    long oneWayMs = 20;
    try (EchoServer echo = new EchoServer()) {
      UdpProxy proxy =
          UdpProxy.builder()
              .listen(ANY_LOOPBACK)
              .target(echo.address())
              .profile(Profile.parse("delay=" + oneWayMs + "ms,loss=10%"))
              .seed(7)
              .start();
      Map<Integer, Long> rtts;
      try {
        rtts = echo(proxy.localAddress(), count, 50);
      } finally {
        proxy.close(); // stopped before its counters are read
      }
      assertNull(proxy.failure());
      ProxyCounters c = proxy.counters();
      // The proxy read every datagram the client sent, and the target's every echo.
      assertEquals(count, c.up().offeredPackets());
      assertEquals(c.up().deliveredPackets(), c.down().offeredPackets());
      assertEquals(1, c.mappings());
      // Loss per direction: binomial, 5 standard errors.
      assertWithinBinomial("up loss", loss, c.up().droppedLoss(), c.up().offeredPackets());
      assertWithinBinomial("down loss", loss, c.down().droppedLoss(), c.down().offeredPackets());
      // What the client saw: an echo survives both directions with probability 0.81.
      assertWithinBinomial("echo survival", (1 - loss) * (1 - loss), rtts.size(), count);
      assertEquals(c.down().deliveredPackets(), rtts.size());
      // Delay: never early (lower bound is exact), and the median within 20 ms of the configured
      // round trip (allowance for a loaded machine's scheduling; the proxy's own timer resolution
      // is 1 ms).
      List<Long> sorted = new ArrayList<>(rtts.values());
      Collections.sort(sorted);
      long rttMs = 2 * oneWayMs;
      assertTrue(sorted.get(0) >= rttMs * 1_000_000L, "an echo came back early: " + sorted.get(0));
      long median = sorted.get(sorted.size() / 2);
      assertTrue(median < (rttMs + 20) * 1_000_000L, "median round trip " + median + " ns");
    }
  }

  private static void assertWithinBinomial(String what, double p, long hits, long n) {
    Tolerance.assertWithin(what, p, hits / (double) n, Tolerance.binomialStandardError(p, n));
  }

  @Test
  void eachClientGetsItsOwnMappingAndUpstreamPort() throws Exception {
    try (EchoServer echo = new EchoServer();
        DatagramSocket a = new DatagramSocket(ANY_LOOPBACK);
        DatagramSocket b = new DatagramSocket(ANY_LOOPBACK)) {
      UdpProxy proxy = UdpProxy.builder().listen(ANY_LOOPBACK).target(echo.address()).start();
      try {
        for (DatagramSocket s : List.of(a, b, a)) {
          s.setSoTimeout(5000);
          s.send(new DatagramPacket(new byte[] {1}, 1, proxy.localAddress()));
          s.receive(new DatagramPacket(new byte[10], 10));
        }
      } finally {
        proxy.close(); // stopped before its counters are read
      }
      Set<InetSocketAddress> upstreams = new HashSet<>(echo.senders);
      assertEquals(2, upstreams.size());
      assertEquals(3, echo.senders.size());
      assertEquals(2, proxy.counters().mappings());
    }
  }

  @Test
  void anUpRebindingMakesTheTargetSeeTheClientMove() throws Exception {
    // 200 ms each way: the first packet is sent before the rebinding at 300 ms, the second
    // (sent when the first echo returns, about 400 ms in) after it.
    try (EchoServer echo = new EchoServer();
        UdpProxy proxy =
            UdpProxy.builder()
                .listen(ANY_LOOPBACK)
                .target(echo.address())
                .profile(Profile.parse("delay=200ms,up.rebind=300ms"))
                .start();
        DatagramSocket client = new DatagramSocket(ANY_LOOPBACK)) {
      client.setSoTimeout(5000);
      for (int i = 0; i < 2; i++) {
        client.send(new DatagramPacket(new byte[] {(byte) i}, 1, proxy.localAddress()));
        DatagramPacket p = new DatagramPacket(new byte[10], 10);
        client.receive(p);
        assertEquals(i, p.getData()[0], "the echo arrives back at the client");
      }
      assertEquals(2, echo.senders.size());
      assertNotEquals(echo.senders.get(0), echo.senders.get(1));
    }
  }

  @Test
  void theClockOriginIsTheNanoTimeOfTheProxysStart() throws Exception {
    long before = System.nanoTime();
    try (EchoServer echo = new EchoServer();
        UdpProxy proxy =
            UdpProxy.builder()
                .listen(ANY_LOOPBACK)
                .target(echo.address())
                .profile(Profile.parse("delay=1ms"))
                .start()) {
      long after = System.nanoTime();
      long origin = proxy.clockOriginNanos();
      assertTrue(
          origin - before >= 0 && after - origin >= 0,
          "time 0 of the timeline is taken while start() runs: "
              + (origin - before)
              + " ns after the call, "
              + (after - origin)
              + " ns before its return");
      assertEquals(origin, proxy.clockOriginNanos(), "fixed once started");
    }
  }

  @Test
  void aDownRebindingIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            UdpProxy.builder()
                .listen(ANY_LOOPBACK)
                .target(ANY_LOOPBACK)
                .profile(Profile.parse("down.rebind=1s"))
                .start());
  }
}
