package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order of the send path (issue 18's fast path), on an EmbeddedChannel whose event loop runs
 * queued tasks only when told: a session flushed outside a read batch sends at once, later flushes
 * of the same task are sent together by the flush task, and a batch's datagrams leave before the
 * sessions' timers are re-armed.
 */
class SendPathOrderTest {
  static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.1", 5001);

  EmbeddedKcp net;

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.finish();
    }
    LeakCheck.assertNoLeaks();
  }

  private static io.netty.buffer.ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  /**
   * On a real event loop (an EmbeddedChannel runs queued tasks after every flush of its own, which
   * would hide the task boundary): three sessions on one datagram channel flushed in one task.
   */
  @Test
  void aWriteOutsideAReadBatchLeavesAtOnceAndLaterOnesOfTheTaskTogether() throws Exception {
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      KcpClientCodec codec = new KcpClientCodecBuilder().config(KcpConfig.fast()).build();
      AtomicInteger parentFlushes = new AtomicInteger();
      Channel udp =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(
                              new ChannelOutboundHandlerAdapter() {
                                @Override
                                public void flush(ChannelHandlerContext ctx) {
                                  parentFlushes.incrementAndGet();
                                  ctx.flush();
                                }
                              },
                              codec);
                    }
                  })
              .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .sync()
              .channel();
      InetSocketAddress to = new InetSocketAddress(sink.getLocalAddress(), sink.getLocalPort());
      List<KcpChannel> sessions = new ArrayList<>();
      for (int conv = 1; conv <= 3; conv++) {
        sessions.add(
            KcpChannel.newBootstrap(udp)
                .remoteAddress(to)
                .conv(conv)
                .handler(new Recorder(false))
                .connect()
                .sync()
                .getNow());
      }
      // One task: after each flush, how many datagrams had the codec written, in how many flushes?
      List<String> seen =
          udp.eventLoop()
              .submit(
                  () -> {
                    long out0 = codec.metrics().datagramsOut();
                    int flushes0 = parentFlushes.get();
                    List<String> marks = new ArrayList<>();
                    for (KcpChannel ch : sessions) {
                      ch.writeAndFlush(text("m" + ch.conv()));
                      marks.add(
                          (codec.metrics().datagramsOut() - out0)
                              + "/"
                              + (parentFlushes.get() - flushes0));
                    }
                    udp.eventLoop()
                        .execute(
                            () ->
                                marks.add(
                                    (codec.metrics().datagramsOut() - out0)
                                        + "/"
                                        + (parentFlushes.get() - flushes0)));
                    return marks;
                  })
              .get(10, TimeUnit.SECONDS);
      // The task queued after ours runs after the flush task (FIFO): wait for its mark.
      udp.eventLoop().submit(() -> null).get(10, TimeUnit.SECONDS);
      assertEquals(
          List.of("1/1", "1/1", "1/1", "3/2"),
          udp.eventLoop().submit(() -> new ArrayList<>(seen)).get(10, TimeUnit.SECONDS),
          "datagrams/flushes: the first at once, the other two together after the task");
      udp.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void aBatchsDatagramsLeaveBeforeItsSessionsTimersAreArmed() {
    Recorder echo = new Recorder(true);
    RecordingListener listener = new RecordingListener();
    net =
        new EmbeddedKcp(
            new KcpServerCodecBuilder()
                .config(KcpConfig.fast())
                .handler(echo)
                .sessionListener(listener)
                .build());
    TestPeer peer = net.peer(new TestPeer(PEER, 7, KcpConfig.fast()));
    peer.send("one");
    net.step(30); // opened, echoed, acknowledged: nothing in flight
    KcpChildChannel session = (KcpChildChannel) listener.opened.get(0);
    assertFalse(session.engineTimer.isScheduled(), "quiet: no engine deadline");

    // At each flush of the datagram channel: was there a datagram to send, and was the session's
    // retransmission deadline already in the timer?
    List<String> atFlush = new ArrayList<>();
    net.channel
        .pipeline()
        .addFirst(
            new ChannelOutboundHandlerAdapter() {
              @Override
              public void flush(ChannelHandlerContext ctx) {
                atFlush.add(
                    (ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes() == 0
                            ? "empty"
                            : "datagrams")
                        + (session.engineTimer.isScheduled()
                            ? " timer-armed"
                            : " timer-not-armed"));
                ctx.flush();
              }
            });
    peer.send("two");
    peer.kcp.update(net.now());
    peer.kcp.flush();
    byte[] push = peer.outbox.poll();
    assertNotNull(push);
    net.inject(PEER, push); // one read batch: the echo is written and flushed in it
    assertEquals("datagrams timer-not-armed", atFlush.get(0), atFlush.toString());
    assertTrue(session.engineTimer.isScheduled(), "armed right after: the echo is in flight");
    assertEquals(List.of("one", "two"), echo.messagesSnapshot());
    net.exchange();
    assertEquals(List.of("one", "two"), peer.receivedText());
    assertNull(net.channel.readOutbound());
  }
}
