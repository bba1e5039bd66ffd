package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stream mode ({@link KcpChannelOption#STREAM_MODE}): a byte stream framed with Netty's own codecs,
 * and writes larger than one KCP message.
 */
class StreamModeTest {
  /** 127 fragments of mss 1400 − 24: the largest message of the default engine. */
  static final int MESSAGE_LIMIT = 127 * (1400 - 24);

  static final int SESSIONS = 4;
  static final int FRAMES = 250;
  static final int MAX_FRAME = 20_000;
  static final int OUTSTANDING = 8;
  static final double LOSS = 0.05;
  static final long SEED = 0x5EED_F4A3L;

  MultiThreadIoEventLoopGroup group;
  EmbeddedKcp net;

  @AfterEach
  void tearDown() throws Exception {
    if (net != null) {
      net.finish();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
    LeakCheck.assertNoLeaks();
  }

  /**
   * The same write of {@code MESSAGE_LIMIT + 1} bytes on two sessions of one client codec: the
   * message-mode session fails it with {@link KcpMessageTooLargeException} and stays usable (that
   * half is also covered on the server side by {@code KcpServerCodecTest}); the stream-mode session
   * carries every byte, in order, to a stream-mode peer.
   */
  @Test
  void aWriteAboveTheMessageLimitFailsInMessageModeButStreamsInStreamMode() {
    KcpConfig fast = KcpConfig.fast();
    KcpConfig fastStream = fast.toBuilder().streamMode(true).build();
    net = new EmbeddedKcp(new KcpClientCodecBuilder().config(fast).build());
    InetSocketAddress server = new InetSocketAddress("10.9.9.9", 4000);
    TestPeer messagePeer = net.peer(new TestPeer(server, 1, fast));
    TestPeer streamPeer = net.peer(new TestPeer(server, 2, fastStream));
    Recorder recorder = new Recorder(false);
    KcpChannel messages =
        KcpChannel.newBootstrap(net.channel)
            .remoteAddress(server)
            .conv(1)
            .handler(recorder)
            .connect()
            .getNow();
    KcpChannel stream =
        KcpChannel.newBootstrap(net.channel)
            .remoteAddress(server)
            .conv(2)
            .option(KcpChannelOption.STREAM_MODE, true)
            .handler(recorder)
            .connect()
            .getNow();
    assertEquals(false, messages.config().getOption(KcpChannelOption.STREAM_MODE));
    assertEquals(true, stream.config().getOption(KcpChannelOption.STREAM_MODE));

    byte[] big = new byte[MESSAGE_LIMIT + 1];
    new SplittableRandom(SEED).nextBytes(big);
    ChannelFuture refused = messages.writeAndFlush(Unpooled.wrappedBuffer(big));
    ChannelFuture streamed = stream.writeAndFlush(Unpooled.wrappedBuffer(big));
    net.channel.runPendingTasks();
    assertInstanceOf(KcpMessageTooLargeException.class, refused.cause());
    assertTrue(streamed.isSuccess(), () -> "stream-mode write failed: " + streamed.cause());
    assertTrue(messages.isActive());

    messages.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {42})); // still usable
    net.step(2_000);
    assertEquals(1, messagePeer.received.size());
    assertArrayEquals(new byte[] {42}, messagePeer.received.get(0));
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    for (byte[] chunk : streamPeer.received) {
      got.writeBytes(chunk);
    }
    assertEquals(big.length, got.size(), "bytes delivered in stream mode");
    assertArrayEquals(big, got.toByteArray());
    assertTrue(streamPeer.received.size() > 1, "a stream arrives in pieces, not as one message");
    assertNull(stream.closeReason());
  }

  /**
   * Stream mode: a small write, then in the same flush one that, after topping up the small write's
   * segment, still needs more than {@code maxFragments} segments. The engine takes such a send only
   * in part (as ikcp_send), so the channel must feed it in pieces: every byte of both writes
   * arrives, in order.
   */
  @Test
  void aStreamWriteAfterAPartialSegmentLosesNoBytes() {
    KcpConfig fastStream = KcpConfig.fast().toBuilder().streamMode(true).build();
    net = new EmbeddedKcp(new KcpClientCodecBuilder().config(fastStream).build());
    InetSocketAddress server = new InetSocketAddress("10.9.9.9", 4000);
    TestPeer peer = net.peer(new TestPeer(server, 3, fastStream));
    KcpChannel stream =
        KcpChannel.newBootstrap(net.channel)
            .remoteAddress(server)
            .conv(3)
            .handler(new Recorder(false))
            .connect()
            .getNow();
    byte[] small = new byte[10];
    byte[] large = new byte[MESSAGE_LIMIT + 2_000];
    SplittableRandom random = new SplittableRandom(SEED + 1);
    random.nextBytes(small);
    random.nextBytes(large);
    ChannelFuture first = stream.write(Unpooled.wrappedBuffer(small));
    ChannelFuture second =
        stream.writeAndFlush(Unpooled.directBuffer(large.length).writeBytes(large));
    net.channel.runPendingTasks();
    assertTrue(first.isSuccess(), () -> "first write: " + first.cause());
    assertTrue(second.isSuccess(), () -> "second write: " + second.cause());
    net.step(2_000);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(small);
    expected.writeBytes(large);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    for (byte[] chunk : peer.received) {
      got.writeBytes(chunk);
    }
    assertEquals(expected.size(), got.size(), "bytes delivered");
    assertArrayEquals(expected.toByteArray(), got.toByteArray());
  }

  /**
   * Real UDP on loopback (NIO) through netem-sim's {@link io.kcpj.netem.netty.NetemHandler} on both
   * datagram channels (5 % loss, 0–20 ms reordering jitter): {@value #SESSIONS} stream-mode
   * sessions, each with {@link LengthFieldPrepender} and {@link LengthFieldBasedFrameDecoder} on
   * both ends, send {@value #FRAMES} frames of seeded random sizes 1..{@value #MAX_FRAME} bytes to
   * an echo server; every echoed frame must arrive exactly once, in order, byte-identical.
   */
  @Test
  void framedStreamsOverALossyReorderingLinkArriveExactlyOnceInOrder() throws Exception {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    KcpConfig config = KcpConfig.parse("fast,wnd=128");
    AtomicInteger serverFrames = new AtomicInteger();
    RecordingListener serverEvents = new RecordingListener();
    KcpServerCodec serverCodec =
        new KcpServerCodecBuilder()
            .config(config)
            .option(KcpChannelOption.STREAM_MODE, true)
            .sessionListener(serverEvents)
            .handler(
                new ChannelInitializer<KcpChannel>() {
                  @Override
                  protected void initChannel(KcpChannel ch) {
                    framing(ch.pipeline())
                        .addLast(
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                serverFrames.incrementAndGet();
                                ctx.write(msg); // the frame goes back through the prepender
                              }

                              @Override
                              public void channelReadComplete(ChannelHandlerContext ctx) {
                                ctx.flush();
                              }
                            });
                  }
                })
            .build();
    Channel server =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, LoopbackIntegrationTest.SOCKET_BUFFER)
            .option(ChannelOption.SO_SNDBUF, LoopbackIntegrationTest.SOCKET_BUFFER)
            .handler(
                LoopbackIntegrationTest.pipeline(
                    LoopbackIntegrationTest.impairment(11, LOSS), serverCodec))
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    KcpClientCodec clientCodec =
        new KcpClientCodecBuilder()
            .config(config)
            .option(KcpChannelOption.STREAM_MODE, true)
            .build();
    Channel client =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, LoopbackIntegrationTest.SOCKET_BUFFER)
            .option(ChannelOption.SO_SNDBUF, LoopbackIntegrationTest.SOCKET_BUFFER)
            .handler(
                LoopbackIntegrationTest.pipeline(
                    LoopbackIntegrationTest.impairment(12, LOSS), clientCodec))
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();

    CountDownLatch done = new CountDownLatch(SESSIONS);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    List<FrameChecker> checkers = new ArrayList<>();
    List<KcpChannel> sessions = new ArrayList<>();
    for (int s = 0; s < SESSIONS; s++) {
      FrameChecker checker = new FrameChecker(s, done, problems);
      KcpChannel ch =
          KcpChannel.newBootstrap(client)
              .remoteAddress((InetSocketAddress) server.localAddress())
              .handler(
                  new ChannelInitializer<KcpChannel>() {
                    @Override
                    protected void initChannel(KcpChannel ch) {
                      framing(ch.pipeline()).addLast(checker);
                    }
                  })
              .connect()
              .sync()
              .getNow();
      checkers.add(checker);
      sessions.add(ch);
    }
    for (int s = 0; s < SESSIONS; s++) {
      KcpChannel ch = sessions.get(s);
      FrameChecker checker = checkers.get(s);
      ch.eventLoop().execute(() -> checker.start(ch));
    }
    boolean finished = done.await(100, TimeUnit.SECONDS);
    assertTrue(problems.isEmpty(), () -> "problems: " + problems);
    StringBuilder progress = new StringBuilder();
    for (int s = 0; s < SESSIONS; s++) {
      progress
          .append("session ")
          .append(s)
          .append(" at frame ")
          .append(checkers.get(s).next)
          .append(" waitSnd=")
          .append(sessions.get(s).waitSnd())
          .append('\n');
    }
    assertTrue(
        finished,
        () ->
            "not finished:\n"
                + progress
                + "server: "
                + serverCodec.metrics()
                + "\nclient: "
                + clientCodec.metrics());
    System.out.println(
        "stream mode, loss "
            + LOSS
            + ": server "
            + serverCodec.metrics()
            + "\nclient "
            + clientCodec.metrics());

    assertEquals(SESSIONS * FRAMES, serverFrames.get(), "every frame reached the server once");
    for (KcpChannel ch : serverEvents.opened) {
      assertEquals(true, ch.config().getOption(KcpChannelOption.STREAM_MODE));
    }
    assertEquals(SESSIONS, serverEvents.opened.size());
    KcpCodecMetrics sm = serverCodec.metrics();
    assertTrue(
        sm.engineCounters().repeatedSegments
                + clientCodec.metrics().engineCounters().retransmittedSegments
            > 0,
        "the lossy link caused retransmissions");
    client.close().sync();
    server.close().sync();
  }

  /** Both ends: a 4-byte length before each frame, and frames cut back out of the stream. */
  static ChannelPipeline framing(ChannelPipeline p) {
    return p.addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4))
        .addLast(new LengthFieldPrepender(4));
  }

  /** Frame {@code index} of {@code session}: seeded random size 1..MAX_FRAME and bytes. */
  static byte[] frame(int session, int index) {
    SplittableRandom r = new SplittableRandom(SEED * 31 + session * 100_003L + index);
    byte[] b = new byte[1 + r.nextInt(MAX_FRAME)];
    r.nextBytes(b);
    return b;
  }

  /** Sends a session's frames, OUTSTANDING at a time, and checks each echo against the next. */
  static final class FrameChecker extends ChannelInboundHandlerAdapter {
    private final int session;
    private final CountDownLatch done;
    private final ConcurrentLinkedQueue<String> problems;
    volatile int next;
    private int sent;

    FrameChecker(int session, CountDownLatch done, ConcurrentLinkedQueue<String> problems) {
      this.session = session;
      this.done = done;
      this.problems = problems;
    }

    void start(KcpChannel ch) {
      while (sent < OUTSTANDING && sent < FRAMES) {
        ch.write(Unpooled.wrappedBuffer(frame(session, sent++)));
      }
      ch.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        if (next >= FRAMES) {
          problems.add(
              "session " + session + ": an extra frame of " + b.readableBytes() + " bytes");
          return;
        }
        byte[] expected = frame(session, next);
        byte[] got = new byte[b.readableBytes()];
        b.readBytes(got);
        if (!java.util.Arrays.equals(expected, got)) {
          problems.add(
              "session "
                  + session
                  + " frame "
                  + next
                  + ": got "
                  + got.length
                  + " bytes, expected "
                  + expected.length
                  + (got.length == expected.length ? " (same length, different bytes)" : ""));
          next = FRAMES; // the stream is out of step: stop checking this session
          done.countDown();
          return;
        }
        if (++next == FRAMES) {
          done.countDown();
        }
        if (sent < FRAMES) {
          ctx.writeAndFlush(Unpooled.wrappedBuffer(frame(session, sent++)));
        }
      } finally {
        b.release();
      }
    }
  }
}
