package io.kcpj.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.Kcp;
import io.kcpj.core.KcpConfig;
import io.kcpj.netty.KcpDeadLinkException;
import io.kcpj.netty.KcpSendQueueFullException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The perf server stays quiet under overload: an echo for a session that is not writable is dropped
 * and counted, refused writes and session or handler errors are counted instead of reaching the end
 * of the pipeline (where Netty logs each with a stack trace), and the summary has at most one line
 * per cause per interval.
 */
class PerfServerDropsTest {

  private static ByteBuf echo(int id) {
    return PerfProtocol.message(UnpooledByteBufAllocator.DEFAULT, PerfProtocol.ECHO, id, 0, 64);
  }

  @Test
  void anEchoIntoAnUnwritableChannelIsDroppedAndCounted() throws Exception {
    try (PerfServer server =
        new PerfServer(new InetSocketAddress("127.0.0.1", 0), KcpConfig.fast(), 10)) {
      EmbeddedChannel ch = new EmbeddedChannel(server.handlerForTests());
      ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
      ch.write(Unpooled.wrappedBuffer(new byte[10])); // pending, above the high mark
      assertTrue(!ch.isWritable());
      ByteBuf refused = echo(1);
      ch.writeInbound(refused);
      assertEquals(0, refused.refCnt(), "the dropped echo was released");
      assertEquals(1, server.drops().count(PerfDrops.Cause.UNWRITABLE));
      assertEquals(0, server.echoed());
      ((ByteBuf) ch.readOutbound()).release(); // the 10 bytes, flushed by channelReadComplete
      assertTrue(ch.isWritable());

      ByteBuf answered = echo(2);
      ch.writeInbound(answered);
      assertSame(answered, ch.readOutbound(), "a writable session gets its echo");
      answered.release();
      assertEquals(1, server.echoed());
      assertEquals(1, server.drops().count(PerfDrops.Cause.UNWRITABLE));
      ch.checkException();
      assertTrue(!ch.finish());
    }
  }

  @Test
  void refusedWritesAndErrorsAreCountedNotPassedOn() throws Exception {
    try (PerfServer server =
        new PerfServer(new InetSocketAddress("127.0.0.1", 0), KcpConfig.fast(), 10)) {
      EmbeddedChannel ch = new EmbeddedChannel(server.handlerForTests());
      for (int i = 0; i < 1000; i++) {
        ch.pipeline().fireExceptionCaught(new KcpSendQueueFullException(1, 4096, 4096));
      }
      ch.pipeline().fireExceptionCaught(new KcpDeadLinkException(7, "10.0.0.1:4000", 20));
      ch.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));
      ch.checkException(); // nothing reached the tail of the pipeline (which logs each one)
      assertEquals(1000, server.drops().count(PerfDrops.Cause.REFUSED_WRITE));
      assertEquals(1, server.drops().count(PerfDrops.Cause.SESSION_ERROR));
      assertEquals(1, server.drops().count(PerfDrops.Cause.HANDLER_ERROR));

      List<String> lines = server.drops().summary(Duration.ofSeconds(10));
      assertEquals(3, lines.size(), lines.toString());
      assertTrue(
          lines
              .get(0)
              .startsWith(
                  "1000 writes refused by a session in the last 10s (latest:"
                      + " KcpSendQueueFullException"),
          lines.get(0));
      assertTrue(lines.get(2).endsWith("(latest: IllegalStateException: a bug)"), lines.get(2));
      assertEquals(List.of(), server.drops().summary(Duration.ofSeconds(10)), "nothing new");
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aClientThatNeverReadsIsDroppedToWhileAnotherIsServed() throws Exception {
    try (PerfServer server =
            new PerfServer(new InetSocketAddress("127.0.0.1", 0), KcpConfig.fast(), 10);
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      InetSocketAddress to = server.localAddress();
      // A raw engine that acknowledges what arrives but never takes it out of its receive queue:
      // its window closes, so the server's echoes pile up in its send queue.
      Kcp client =
          new Kcp(
              0x1234,
              KcpConfig.fast(),
              datagram -> {
                byte[] b = new byte[datagram.remaining()];
                datagram.get(b);
                try {
                  socket.send(new DatagramPacket(b, b.length, to));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      client.setWindowSize(1024, 128);
      socket.setSoTimeout(2);
      byte[] in = new byte[2048];
      int sent = 0;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (server.drops().count(PerfDrops.Cause.UNWRITABLE) == 0
          && System.nanoTime() < deadline) {
        if (sent < 2000 && client.waitSnd() < 512) {
          ByteBuf m = echo(sent++);
          client.send(ByteBufUtil.getBytes(m), 0, m.readableBytes());
          m.release();
        }
        long now = System.nanoTime() / 1_000_000L;
        client.update(now);
        try {
          DatagramPacket p = new DatagramPacket(in, in.length);
          socket.receive(p);
          client.input(ByteBuffer.wrap(in, 0, p.getLength()));
        } catch (SocketTimeoutException idle) {
          // nothing arrived: go on sending and updating
        }
      }
      assertTrue(
          server.drops().count(PerfDrops.Cause.UNWRITABLE) > 0,
          "echoes dropped: sent " + sent + ", echoed " + server.echoed());
      assertEquals(1, server.codec().metrics().sessionsOpen(), "the session is kept");

      // A healthy client is still answered in full.
      PerfClient.Settings s =
          new PerfClient.Settings(
              to,
              1,
              1,
              1,
              50,
              100,
              Duration.ofMillis(600),
              Duration.ofMillis(200),
              KcpConfig.fast(),
              false,
              0,
              "nio");
      PerfResult r = new PerfClient(s).run();
      assertEquals(r.number("sent"), r.number("received"), r.toTable());
      assertTrue(r.number("sent") > 0, r.toTable());
    }
  }
}
