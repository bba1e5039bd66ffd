package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.wire.SegmentHeader;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's lock-out: 20,000 forged openings once filled the session table and refused every
 * legitimate client until the idle timeout (60 s) freed slots. Here a server with default settings
 * takes 20,000 openings from 500 addresses (the whole of 127.0.0.0/8 is loopback, so sockets bound
 * to 127.1.x.y stand for forged sources; they never acknowledge anything), and a legitimate client
 * must get its first echo within one second both halfway through the flood and after it, and the
 * first client must still be served after the flood (validated sessions are never evicted).
 */
class SpoofedFloodLoopbackTest {
  static final int OPENINGS = 20_000;
  static final int SOURCES = 500;

  /** Forged datagrams in flight at once: paced so that loopback's socket buffer never drops. */
  static final int WINDOW = 128;

  MultiThreadIoEventLoopGroup clientGroup;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (clientGroup != null) {
      clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
    LeakCheck.assertNoLeaks();
  }

  /** A legitimate client: one session whose echoes arrive in {@link #echoes}. */
  final class Client {
    final LinkedBlockingQueue<String> echoes = new LinkedBlockingQueue<>();
    final KcpChannel session;

    Client(InetSocketAddress server) throws InterruptedException {
      Channel udp =
          new Bootstrap()
              .group(clientGroup)
              .channel(NioDatagramChannel.class)
              .handler(new KcpClientCodecBuilder().build()) // default settings
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      session =
          KcpChannel.newBootstrap(udp)
              .remoteAddress(server)
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      ByteBuf b = (ByteBuf) msg;
                      echoes.add(b.toString(StandardCharsets.UTF_8));
                      b.release();
                    }
                  })
              .connect()
              .sync()
              .getNow();
    }

    /** Sends {@code text}; returns ms until its echo arrived, or -1 if none within 5 s. */
    long echoMillis(String text) throws InterruptedException {
      long start = System.nanoTime();
      session.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
      String echo = echoes.poll(5, TimeUnit.SECONDS);
      if (echo == null) {
        return -1;
      }
      assertEquals(text, echo);
      return (System.nanoTime() - start) / 1_000_000L;
    }
  }

  @Test
  void aLegitimateClientGetsInWithinOneSecondDuringAndAfterAFloodOfForgedOpenings()
      throws Exception {
    clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    List<DatagramChannel> forged = new ArrayList<>();
    try (LoopbackServer server =
        new LoopbackServer(
            new KcpServerCodecBuilder().handler(HostilePeerLoopbackTest.echo()),
            new KcpSessionListener() {})) {
      for (int i = 0; i < SOURCES; i++) {
        DatagramChannel s = DatagramChannel.open();
        s.bind(new InetSocketAddress("127.1." + (i / 250) + "." + (1 + i % 250), 0));
        forged.add(s);
      }
      AtomicInteger sent = new AtomicInteger();
      AtomicReference<Throwable> floodFailure = new AtomicReference<>();
      Thread flood =
          new Thread(
              () -> {
                try {
                  flood(server, forged, sent);
                } catch (Throwable e) {
                  floodFailure.set(e);
                }
              },
              "flood");
      flood.start();
      // Halfway through: the server's table has been full of forged sessions for a while.
      synchronized (sent) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sent.get() < OPENINGS / 2 + 2_000 && flood.isAlive() && System.nanoTime() < end) {
          sent.wait(1_000);
        }
      }
      assertTrue(sent.get() > OPENINGS / 2, "the flood got halfway: " + sent.get());
      Client during = new Client(server.address());
      long duringMillis = during.echoMillis("hello during the flood");
      flood.join(TimeUnit.SECONDS.toMillis(120));
      assertNull(floodFailure.get());
      assertEquals(OPENINGS, sent.get());
      Client after = new Client(server.address());
      long afterMillis = after.echoMillis("hello after the flood");
      long againMillis = during.echoMillis("still here after the flood");
      KcpCodecMetrics m = server.codec.metrics();
      System.out.printf(
          "flood: first echo %d ms during, %d ms after; the first client again %d ms; %s%n",
          duringMillis, afterMillis, againMillis, m);
      assertTrue(duringMillis >= 0 && duringMillis < 1_000, "during: " + duringMillis + " ms");
      assertTrue(afterMillis >= 0 && afterMillis < 1_000, "after: " + afterMillis + " ms");
      assertTrue(againMillis >= 0, "the first client's session survived the flood");
      assertEquals(OPENINGS + 2, m.sessionsOpened(), "every forged opening got a session");
      assertEquals(2, m.sessionsValidated());
      assertEquals(0, m.sessionsRejected());
      // Every forged session left by eviction or by the unvalidated timeout (5 s), or is still
      // there, unvalidated; the table was full, so evictions made room for later openings.
      assertEquals(
          OPENINGS,
          m.sessionsEvicted()
              + m.sessionsClosed(KcpCloseReason.UNVALIDATED_TIMEOUT)
              + m.sessionsUnvalidated());
      assertTrue(m.sessionsEvicted() > 0, "the table was full at some point");
    } finally {
      for (DatagramChannel s : forged) {
        s.close();
      }
    }
  }

  /** Sends the forged openings round-robin over the sources, at most {@link #WINDOW} unread. */
  static void flood(LoopbackServer server, List<DatagramChannel> sources, AtomicInteger sent)
      throws IOException, InterruptedException {
    ByteBuffer opening = ByteBuffer.allocate(SegmentHeader.HEADER_SIZE + 16);
    InetSocketAddress target = server.address();
    for (int i = 0; i < OPENINGS; i++) {
      // Wait until the server has read all but WINDOW of what was sent (no sleeping).
      if (i >= WINDOW && !server.reads.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the server stopped reading after " + i);
      }
      byte[] b = new byte[SegmentHeader.HEADER_SIZE + 16];
      SegmentHeader.write(b, 0, 1_000_000 + i, SegmentHeader.CMD_PUSH, 0, 128, 0, 0, 0, 16);
      opening.clear();
      opening.put(b).flip();
      sources.get(i % sources.size()).send(opening, target);
      synchronized (sent) {
        sent.incrementAndGet();
        sent.notifyAll();
      }
    }
  }
}
