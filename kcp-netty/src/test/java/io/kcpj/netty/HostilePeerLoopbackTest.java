package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.wire.SegmentHeader;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile peers against a real server codec over real UDP on loopback (NIO): each test sends what
 * an attacker would, from a plain socket, and checks what the server does and sends back.
 */
class HostilePeerLoopbackTest {
  static final InetSocketAddress ANY_LOCAL = new InetSocketAddress("127.0.0.1", 0);

  @AfterEach
  void noLeaks() {
    LeakCheck.assertNoLeaks();
  }

  static ChannelHandler echo() {
    return new ChannelInitializer<KcpChannel>() {
      @Override
      protected void initChannel(KcpChannel ch) {
        ch.pipeline().addLast(new Recorder(true));
      }
    };
  }

  /**
   * Rewrites the fragment counts of the one-byte PUSH segments of a datagram to {@code frg}, in
   * order, and records the datagrams it rewrote.
   */
  static UnaryOperator<byte[]> fragmentCounts(int[] frg, List<byte[]> rewritten) {
    return d -> {
      int at = 0;
      int n = 0;
      while (at + SegmentHeader.HEADER_SIZE <= d.length) {
        int len = (int) SegmentHeader.len(d, at);
        if (SegmentHeader.cmd(d, at) == SegmentHeader.CMD_PUSH && len == 1 && n < frg.length) {
          d[at + SegmentHeader.FRG_OFFSET] = (byte) frg[n++];
        }
        at += SegmentHeader.HEADER_SIZE + len;
      }
      if (n == frg.length) {
        rewritten.add(d);
      }
      return d;
    };
  }

  /**
   * The datagram of issue 12's first finding: three in-order PUSH segments in one 75-byte datagram
   * whose fragment counts disagree (2, 5, 5). It once made the engine throw, and the codec log a
   * stack trace per datagram. Sent 500 times on one session, each time followed by an ordinary
   * message: nothing is thrown in the codec, nothing is logged at all, and every ordinary message
   * is still echoed.
   */
  @Test
  void inconsistentFragmentsNeitherThrowNorLogAndTheSessionKeepsEchoing() throws Exception {
    int rounds = 500;
    List<byte[]> hostile = new ArrayList<>();
    List<LogRecord> logged;
    KcpCodecMetrics m;
    try (LogCapture log = new LogCapture(Level.ALL);
        LoopbackServer server =
            new LoopbackServer(
                new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(echo()));
        UdpKcpPeer peer = new UdpKcpPeer(ANY_LOCAL, server.address(), 42, KcpConfig.fast())) {
      for (int i = 0; i < rounds; i++) {
        peer.rewrite = fragmentCounts(new int[] {2, 5, 5}, hostile);
        for (String part : List.of("a", "b", "c")) {
          peer.send(part.getBytes(StandardCharsets.UTF_8));
        }
        peer.flush();
        peer.rewrite = UnaryOperator.identity();
        byte[] ping = ("ping " + i).getBytes(StandardCharsets.UTF_8);
        peer.send(ping);
        peer.flush();
        int round = i;
        assertTrue(peer.runUntil(() -> peer.hasReceived(ping), 5_000), () -> "echo " + round);
      }
      m = server.codec.metrics();
      logged = List.copyOf(log.records);
    }
    assertEquals(rounds, hostile.size(), "every round sent the hostile datagram");
    assertEquals(75, hostile.get(0).length);
    assertEquals(0, m.datagramsDropped(KcpDropReason.INTERNAL_ERROR), m.toString());
    assertEquals(0, m.sessionFailures(), m.toString());
    assertEquals(1, m.sessionsOpened());
    assertEquals(1, m.sessionsOpen());
    assertEquals(
        List.of(),
        logged.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList(),
        "nothing logged, at any level");
  }

  /** A forged opening: PUSH sn 0 carrying {@code payload} bytes, window 128, una 0. */
  static byte[] opening(int conv, int payload) {
    byte[] b = new byte[SegmentHeader.HEADER_SIZE + payload];
    SegmentHeader.write(b, 0, conv, SegmentHeader.CMD_PUSH, 0, 128, 0, 0, 0, payload);
    return b;
  }

  /** Reads everything queued on {@code socket}; returns the bytes. */
  static long drain(DatagramSocket socket) throws IOException {
    byte[] buf = new byte[65536];
    long bytes = 0;
    socket.setSoTimeout(50);
    for (; ; ) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException empty) {
        return bytes;
      }
      bytes += p.getLength();
    }
  }

  /**
   * Bytes received by {@code victims} sockets (each at its own 127.0.0.x address) that each sent
   * {@code sends} copies of one 124-byte opening to a server that answers every message with ten
   * times its size (like a stats request), until the server gave up on them. Returns {sent,
   * received}.
   */
  static long[] reflect(boolean antiAmplification, int victims, int sends) throws Exception {
    long sent = 0;
    long received = 0;
    List<DatagramSocket> sockets = new ArrayList<>();
    try (LoopbackServer server =
        new LoopbackServer(
            new KcpServerCodecBuilder()
                .config(KcpConfig.fast())
                .option(KcpChannelOption.UNVALIDATED_TIMEOUT_MILLIS, 1_500L)
                .option(KcpChannelOption.ANTI_AMPLIFICATION, antiAmplification)
                .handler(new KcpServerAdmissionTest.Amplifier(10)))) {
      for (int v = 0; v < victims; v++) {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0." + (10 + v), 0));
        sockets.add(s);
        byte[] open = opening(1000 + v, 100);
        for (int i = 0; i < sends; i++) {
          s.send(new DatagramPacket(open, open.length, server.address()));
          sent += open.length;
        }
      }
      assertTrue(
          server.events.awaitClosed(victims, 20_000), () -> "closed: " + server.events.closed);
      for (String c : server.events.closed) {
        assertTrue(c.endsWith(":UNVALIDATED_TIMEOUT"), c);
      }
      for (DatagramSocket s : sockets) {
        received += drain(s);
      }
    } finally {
      for (DatagramSocket s : sockets) {
        s.close();
      }
    }
    return new long[] {sent, received};
  }

  /**
   * Issue 12's reflection finding: a forged source once received 11× (echo) to 22.6× (stats) the
   * bytes "it" sent. Twenty forged sources here, each sending its opening three times to a server
   * that answers with ten times the bytes: with the limit on (the default) each receives at most
   * three times what it sent, retransmissions included; with it off, the same run amplifies.
   */
  @Test
  void anUnvalidatedSourceReceivesAtMostThreeTimesItsBytes() throws Exception {
    long[] limited = reflect(true, 20, 3);
    assertTrue(limited[1] > 0, "the server did answer (ACKs and what fits)");
    assertTrue(
        limited[1] <= 3 * limited[0],
        limited[1] + " bytes received for " + limited[0] + " sent (limit on)");
    long[] unlimited = reflect(false, 20, 3);
    assertTrue(
        unlimited[1] > 3 * unlimited[0],
        "the scenario amplifies when the limit is off: "
            + unlimited[1]
            + " bytes received for "
            + unlimited[0]);
    System.out.printf(
        "reflection: limit on %.2fx, off %.2fx%n",
        (double) limited[1] / limited[0], (double) unlimited[1] / unlimited[0]);
  }

  /**
   * Issue 12's zero-window finding: a session whose peer advertises a zero window forever, while
   * sending one small datagram now and then, once stayed open for ever holding what it was sent.
   * Here the peer validates (it acknowledges the first echo), then advertises window 0, sends a
   * request (whose echo the server must queue) and a window update every 500 ms: the session closes
   * with NO_PROGRESS after the configured 2 s.
   */
  @Test
  void aZeroWindowSessionClosesWithNoProgress() throws Exception {
    try (LoopbackServer server =
            new LoopbackServer(
                new KcpServerCodecBuilder()
                    .config(KcpConfig.fast())
                    .option(KcpChannelOption.NO_PROGRESS_TIMEOUT_MILLIS, 2_000L)
                    .handler(echo()));
        DatagramSocket s = new DatagramSocket(ANY_LOCAL)) {
      int conv = 77;
      byte[] open = opening(conv, 16);
      s.send(new DatagramPacket(open, open.length, server.address()));
      // Wait for the echo (a PUSH with sn 0 from the server).
      byte[] buf = new byte[2048];
      int echoTs = -1;
      s.setSoTimeout(5_000);
      while (echoTs < 0) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        for (int at = 0; at + SegmentHeader.HEADER_SIZE <= p.getLength(); ) {
          if (SegmentHeader.cmd(buf, at) == SegmentHeader.CMD_PUSH
              && SegmentHeader.sn(buf, at) == 0) {
            echoTs = SegmentHeader.ts(buf, at);
          }
          at += SegmentHeader.HEADER_SIZE + (int) SegmentHeader.len(buf, at);
        }
      }
      // Acknowledge it (the session is validated) with window 0, then ask for more.
      byte[] ackAndRequest = new byte[2 * SegmentHeader.HEADER_SIZE + 16];
      SegmentHeader.write(ackAndRequest, 0, conv, SegmentHeader.CMD_ACK, 0, 0, echoTs, 0, 1, 0);
      SegmentHeader.write(
          ackAndRequest,
          SegmentHeader.HEADER_SIZE,
          conv,
          SegmentHeader.CMD_PUSH,
          0,
          0,
          0,
          1,
          1,
          16);
      s.send(new DatagramPacket(ackAndRequest, ackAndRequest.length, server.address()));
      long queuedAt = System.nanoTime();
      byte[] windowUpdate = new byte[SegmentHeader.HEADER_SIZE];
      SegmentHeader.write(windowUpdate, 0, conv, SegmentHeader.CMD_WINS, 0, 0, 0, 0, 1, 0);
      while (!server.events.awaitClosed(1, 500)) {
        s.send(new DatagramPacket(windowUpdate, windowUpdate.length, server.address()));
        assertTrue(System.nanoTime() - queuedAt < 10_000_000_000L, "closed within 10 s");
      }
      long closedAfterMillis = (System.nanoTime() - queuedAt) / 1_000_000L;
      assertEquals(List.of(conv + ":NO_PROGRESS"), server.events.closed);
      assertTrue(server.events.opened.get(0).isValidated(), "validated by the acknowledgement");
      assertTrue(closedAfterMillis >= 1_900, "closed after " + closedAfterMillis + " ms");
      assertEquals(1, server.codec.metrics().sessionsClosed(KcpCloseReason.NO_PROGRESS));
    }
  }
}
