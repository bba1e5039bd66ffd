package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.JitterMode;
import io.kcpj.netem.loss.BernoulliLoss;
import io.kcpj.netem.netty.NetemHandler;
import io.kcpj.netem.profile.DirectionProfile;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real UDP sockets on loopback: 100 client sessions (over one client datagram channel) each send
 * 1,000 messages of varying size to an echo server and check that every echo arrives exactly once
 * and in order — on a clean link, and through netem-sim's {@link NetemHandler} with 10 % loss and
 * 0–20 ms reordering jitter on both sides. NIO always; epoll and io_uring when the native transport
 * is available (otherwise the variant is skipped through an assumption that gives Netty's
 * unavailability cause).
 */
class LoopbackIntegrationTest {
  static final int SESSIONS = Integer.getInteger("kcpj.it.sessions", 100);
  static final int MESSAGES = 1_000;

  /** Socket buffers (capped by net.core.rmem_max): paranoid leak detection makes reads slow. */
  static final int SOCKET_BUFFER = 4 << 20;

  /** Messages each session keeps in flight (an application-level window). */
  static final int OUTSTANDING = Integer.getInteger("kcpj.it.outstanding", 16);

  MultiThreadIoEventLoopGroup group;

  @AfterEach
  void tearDown() throws Exception {
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
    LeakCheck.assertNoLeaks();
  }

  @ParameterizedTest(name = "{0}, loss {1}, read coalescing {2} us")
  @CsvSource({
    "nio, 0.0, 0",
    "epoll, 0.0, 0",
    "io_uring, 0.0, 0",
    "nio, 0.10, 0",
    "epoll, 0.10, 0",
    "io_uring, 0.10, 0",
    "nio, 0.0, 500",
    "epoll, 0.10, 1000"
  })
  void hundredSessionsThousandMessagesExactlyOnceInOrder(
      String transport, double loss, long coalescingMicros) throws Exception {
    IoHandlerFactory io;
    Class<? extends DatagramChannel> channelClass;
    if (transport.equals("epoll")) {
      Assumptions.assumeTrue(
          Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
      io = EpollIoHandler.newFactory();
      channelClass = EpollDatagramChannel.class;
    } else if (transport.equals("io_uring")) {
      Assumptions.assumeTrue(
          IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
      io = IoUringIoHandler.newFactory();
      channelClass = IoUringDatagramChannel.class;
    } else {
      io = NioIoHandler.newFactory();
      channelClass = NioDatagramChannel.class;
    }
    group = new MultiThreadIoEventLoopGroup(2, io);
    KcpConfig config = KcpConfig.parse("fast,wnd=128");
    boolean lossy = loss > 0;

    RecordingListener serverEvents = new RecordingListener();
    Duration coalescing = Duration.ofNanos(coalescingMicros * 1_000);
    KcpServerCodec serverCodec =
        new KcpServerCodecBuilder()
            .config(config)
            .readCoalescing(coalescing)
            .sessionListener(serverEvents)
            .handler(
                new ChannelInitializer<KcpChannel>() {
                  @Override
                  protected void initChannel(KcpChannel ch) {
                    ch.pipeline().addLast(new Echo());
                  }
                })
            .build();
    Channel server =
        new Bootstrap()
            .group(group)
            .channel(channelClass)
            .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
            .handler(pipeline(lossy ? impairment(1, loss) : null, serverCodec))
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();

    KcpClientCodec clientCodec =
        new KcpClientCodecBuilder().config(config).readCoalescing(coalescing).build();
    Channel client =
        new Bootstrap()
            .group(group)
            .channel(channelClass)
            .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
            .handler(pipeline(lossy ? impairment(2, loss) : null, clientCodec))
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();

    assertEquals(channelClass, server.getClass(), "the server runs on " + transport);
    assertEquals(channelClass, client.getClass(), "the client runs on " + transport);
    InetSocketAddress serverAddress = (InetSocketAddress) server.localAddress();
    CountDownLatch done = new CountDownLatch(SESSIONS);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    List<KcpChannel> sessions = new ArrayList<>();
    List<Checker> checkers = new ArrayList<>();
    for (int s = 0; s < SESSIONS; s++) {
      Checker checker = new Checker(s, MESSAGES, done, problems);
      checkers.add(checker);
      KcpChannel ch =
          KcpChannel.newBootstrap(client)
              .remoteAddress(serverAddress)
              .handler(checker)
              .connect()
              .sync()
              .getNow();
      sessions.add(ch);
    }
    for (int s = 0; s < SESSIONS; s++) {
      KcpChannel ch = sessions.get(s);
      int session = s;
      Checker checker = checkers.get(s);
      ch.eventLoop().execute(() -> checker.start(ch));
    }
    long started = System.nanoTime();
    long timeout = lossy ? 120 : 60;
    boolean finished = done.await(timeout, TimeUnit.SECONDS);
    System.out.println(
        transport
            + " loss "
            + loss
            + ": "
            + SESSIONS
            + " sessions done in "
            + (System.nanoTime() - started) / 1_000_000
            + " ms");
    assertTrue(problems.isEmpty(), () -> "problems: " + problems);
    assertTrue(
        finished,
        () ->
            "sessions not finished: "
                + done.getCount()
                + "\n"
                + diagnose(sessions, checkers)
                + "\nserver: "
                + serverCodec.metrics()
                + "\nclient: "
                + clientCodec.metrics());

    KcpCodecMetrics sm = serverCodec.metrics();
    System.out.println(
        transport + " loss " + loss + ": server " + sm + "\nclient " + clientCodec.metrics());
    assertEquals(SESSIONS, sm.sessionsOpened());
    assertEquals(SESSIONS, sm.sessionsOpen());
    assertEquals(0, sm.datagramsDropped(KcpDropReason.MALFORMED));
    assertEquals(0, sm.datagramsDropped(KcpDropReason.SESSION_LIMIT));
    assertEquals(0, sm.datagramsDropped(KcpDropReason.ENGINE_REJECTED));
    assertTrue(sm.readBursts() > 0 && sm.readBursts() <= sm.datagramsIn(), sm.toString());
    if (coalescingMicros > 0) {
      assertTrue(sm.readPauses() > 0, "reading was paused between bursts: " + sm);
    } else {
      assertEquals(0, sm.readPauses());
    }
    // UNKNOWN_CONV drops are legitimate when a session's first datagram is lost (kernel drops
    // included): a later one arrives first and is dropped until sn 0 is retransmitted.
    if (lossy) {
      assertTrue(
          sm.engineCounters().repeatedSegments
                  + clientCodec.metrics().engineCounters().retransmittedSegments
              > 0,
          "a lossy link causes retransmissions");
    }
    client.close().sync();
    server.close().sync();
    // channelInactive runs in a task the close queues after completing its future: a no-op
    // submitted now runs after that task has been queued, so the metrics below see it.
    server.eventLoop().submit(() -> {}).sync();
    assertEquals(SESSIONS, serverCodec.metrics().sessionsClosed(KcpCloseReason.PARENT_CLOSED));
  }

  /**
   * netem-sim's Netty handler on a datagram channel's inbound side: Bernoulli loss and a uniform
   * 0–20 ms delay that reorders (netem-like jitter), seeded.
   */
  static ChannelHandler impairment(long seed, double loss) {
    return NetemHandler.builder()
        .inbound(
            DirectionProfile.builder()
                .loss(BernoulliLoss.of(loss))
                .delay(
                    DelayModel.uniform(
                        TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(10)))
                .jitterMode(JitterMode.REORDER)
                .build())
        .seed(seed)
        .build();
  }

  static String diagnose(List<KcpChannel> sessions, List<Checker> checkers) {
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < sessions.size() && shown < 5; i++) {
      if (checkers.get(i).next < checkers.get(i).messages) {
        KcpChannel ch = sessions.get(i);
        sb.append("session ")
            .append(i)
            .append(" at ")
            .append(checkers.get(i).next)
            .append(" waitSnd=")
            .append(ch.waitSnd())
            .append(" srtt=")
            .append(ch.srtt())
            .append(' ')
            .append(ch.counters())
            .append('\n');
        shown++;
      }
    }
    return sb.toString();
  }

  static ChannelHandler pipeline(ChannelHandler lossy, ChannelHandler codec) {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        if (lossy != null) {
          ch.pipeline().addLast(lossy);
        }
        ch.pipeline().addLast(codec);
      }
    };
  }

  /** Echoes every message back on the same session. */
  @ChannelHandler.Sharable
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }

  /** Checks the echoes of one session: session id, sequence, length and content. */
  static final class Checker extends ChannelInboundHandlerAdapter {
    private final int session;
    final int messages;
    private final CountDownLatch done;
    private final ConcurrentLinkedQueue<String> problems;
    volatile int next;
    private int sent;

    /** Keeps OUTSTANDING messages in flight: a new one leaves as each echo returns. */
    void start(KcpChannel ch) {
      while (sent < OUTSTANDING && sent < messages) {
        ch.write(message(ch.alloc(), session, sent++));
      }
      ch.flush();
    }

    Checker(
        int session, int messages, CountDownLatch done, ConcurrentLinkedQueue<String> problems) {
      this.session = session;
      this.messages = messages;
      this.done = done;
      this.problems = problems;
    }

    /** 8 bytes (session, seq) then seq-dependent padding: 8..3000 bytes, some multi-fragment. */
    static ByteBuf message(io.netty.buffer.ByteBufAllocator alloc, int session, int seq) {
      int padding = (seq * 37) % 300 + (seq % 50 == 0 ? 2_700 : 0);
      ByteBuf b = alloc.buffer(8 + padding);
      b.writeInt(session).writeInt(seq);
      b.writeBytes(padding(seq, padding)); // in bulk: paranoid leak detection records each access
      return b;
    }

    static byte[] padding(int seq, int length) {
      byte[] p = new byte[length];
      for (int i = 0; i < length; i++) {
        p[i] = (byte) (seq + i);
      }
      return p;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        int s = b.readInt();
        int seq = b.readInt();
        int expectedPadding = (seq * 37) % 300 + (seq % 50 == 0 ? 2_700 : 0);
        if (s != session || seq != next || b.readableBytes() != expectedPadding) {
          problems.add(
              "session "
                  + session
                  + ": got ("
                  + s
                  + ", "
                  + seq
                  + ", "
                  + b.readableBytes()
                  + " bytes), expected seq "
                  + next);
          return;
        }
        byte[] got = new byte[expectedPadding];
        b.readBytes(got);
        if (!java.util.Arrays.equals(got, padding(seq, expectedPadding))) {
          problems.add("session " + session + " seq " + seq + ": corrupt content");
          return;
        }
        if (++next == messages) {
          done.countDown();
        }
        if (sent < messages) {
          ctx.writeAndFlush(message(ctx.alloc(), session, sent++));
        }
      } finally {
        b.release();
      }
    }
  }

  static Supplier<String> describe(KcpCodecMetrics m) {
    return m::toString;
  }
}
