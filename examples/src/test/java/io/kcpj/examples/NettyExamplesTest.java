package io.kcpj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kcpj.netty.KcpServerCodec;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's Netty examples, run over real loopback UDP on ephemeral ports: the echo server and
 * client, stream mode with framing, read coalescing, and (where epoll is available) the
 * SO_REUSEPORT server.
 */
class NettyExamplesTest {
  EventLoopGroup clients;
  EventLoopGroup servers;

  @BeforeEach
  void setUp() {
    clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (EventLoopGroup g : new EventLoopGroup[] {clients, servers}) {
      if (g != null) {
        g.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
      }
    }
  }

  private static InetSocketAddress loopback(Channel server) {
    return new InetSocketAddress(
        "127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
  }

  @Test
  void theEchoClientGetsItsMessagesBackFromTheEchoServer() throws Exception {
    servers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    InetSocketAddress server = loopback(EchoServer.start(servers, 0));
    for (String text : List.of("hello", "κcp ✓", "x".repeat(10_000))) {
      assertEquals(text, EchoClient.echo(clients, server, text));
    }
  }

  @Test
  void streamModeFramesComeBackWholeIncludingOnesLargerThanAKcpMessage() throws Exception {
    servers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    InetSocketAddress server = loopback(StreamModeEcho.start(servers, 0));
    SplittableRandom random = new SplittableRandom(5);
    List<byte[]> frames = new ArrayList<>();
    for (int size : new int[] {1, 1_000, 20_000, 300_000, 7}) { // 300 kB: > 174,752, one message
      byte[] frame = new byte[size];
      random.nextBytes(frame);
      frames.add(frame);
    }
    List<byte[]> echoed = StreamModeEcho.echoFrames(clients, server, frames);
    assertEquals(frames.size(), echoed.size(), "frames echoed");
    for (int i = 0; i < frames.size(); i++) {
      assertArrayEquals(frames.get(i), echoed.get(i), "frame " + i);
    }
  }

  @Test
  void theReadCoalescingServerEchoes() throws Exception {
    servers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    InetSocketAddress server = loopback(ReadCoalescingServer.start(servers, 0));
    for (int i = 0; i < 5; i++) {
      assertEquals("message " + i, EchoClient.echo(clients, server, "message " + i));
    }
  }

  @Test
  void theBusyPollingEchoServerEchoes() throws Exception {
    servers = BusyPollingEchoServer.group();
    InetSocketAddress server = loopback(BusyPollingEchoServer.start(servers, 0));
    for (int i = 0; i < 5; i++) {
      assertEquals("busy " + i, EchoClient.echo(clients, server, "busy " + i));
    }
  }

  @Test
  void theSecureEchoServerEchoesOverASecureSession() throws Exception {
    servers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    byte[] psk = new byte[32];
    java.util.Arrays.fill(psk, (byte) 5);
    InetSocketAddress server = loopback(SecureEcho.start(servers, 0, psk));
    for (int i = 0; i < 3; i++) {
      assertEquals("secure " + i, SecureEcho.echo(clients, server, psk, "secure " + i));
    }
  }

  @Test
  void theHalfCloseClientReadsEveryAnswerAfterShuttingItsOutputThenClosesWithShutdown()
      throws Exception {
    servers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    byte[] psk = new byte[32];
    java.util.Arrays.fill(psk, (byte) 6);
    InetSocketAddress server = loopback(HalfCloseExample.start(servers, 0, psk));
    List<String> requests = List.of("a", "bb", "x".repeat(5_000), "dddd");
    assertEquals(
        List.of("1 bytes", "2 bytes", "5000 bytes", "4 bytes", "SHUTDOWN"),
        HalfCloseExample.ask(clients, server, psk, requests));
  }

  @Test
  void eachSessionOfTheReusePortServerLivesOnExactlyOneCodec() throws Exception {
    Assumptions.assumeTrue(
        Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
    servers = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    ReusePortServer.Server started = ReusePortServer.start(servers, 0);
    List<KcpServerCodec> codecs = started.codecs();
    assertEquals(2, codecs.size());
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", started.port());
    int clientCount = 12; // each on its own client socket: its own 4-tuple
    for (int i = 0; i < clientCount; i++) {
      assertEquals("client " + i, EchoClient.echo(clients, server, "client " + i));
    }
    long opened = codecs.stream().mapToLong(c -> c.metrics().sessionsOpened()).sum();
    assertEquals(clientCount, opened, "sessions opened over all codecs");
    assertEquals(clientCount, ReusePortServer.sessionsOpen(codecs), "sessions open");
  }
}
