package io.kcpj.netty.secure;

import static io.kcpj.netty.secure.SecureLayerLoopbackTest.await;
import static io.kcpj.netty.secure.SecureLayerLoopbackTest.fill;
import static io.kcpj.netty.secure.SecureLayerLoopbackTest.onLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.netty.NetemHandler;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's latency proof: a healthy secure client sends a request every 20 ms (50 Hz, each timed
 * from its scheduled send time) while, in alternate rounds, an attacker sends the server {@value
 * #ATTACK_PER_TICK} datagrams every {@value #ATTACK_TICK_MILLIS} ms, forged as {@link
 * SecureLayerAttackTest} forges them from the healthy client's own records captured on the wire as
 * they leave its socket: the latest record replayed as captured; a forged KCP data segment (PUSH),
 * a forged ACK with window 0 and a forged window announcement (WINS, window 0), each under the
 * captured header with a packet number just ahead of the highest seen (inside the replay window)
 * and a random tag. The plain-KCP attacks were exactly these: forged ACKs that made the
 * server drop unacknowledged echoes, forged data delivered as the client's, a forged zero window
 * that raised p99 15x.
 *
 * <p>Asserted: every attack datagram is dropped and counted (the server's secure drop count rises
 * by exactly the number sent, and the server's application sees only the client's requests), every
 * request is answered exactly once (0 lost), no forgery starts a path validation, and the median of
 * the attack rounds' p99s is within 1.2x the median of the quiet rounds' p99s ({@value
 * #ROUND_SAMPLES} requests, 2.5 s, per round; with an even number of rounds of each kind the median
 * is the lower of the two middle values, for both kinds). The rounds are interleaved (quiet,
 * attack, quiet, ...) so that both kinds see the same machine; each round prints its figures.
 *
 * <p>The healthy client's path has 20 ms of delay each way (netem-sim's Netty handler under its
 * secure layer), so that its round trip is a WAN's rather than loopback's few hundred microseconds,
 * which a shared 2-core machine cannot hold to 1.2x whatever the server does; an accepted forgery
 * would still show (a forged ACK loses an echo until its retransmission, a forged zero window
 * stalls the sender for a window probe's interval, hundreds of ms). The bound is asserted unless
 * the one-minute load average at the start exceeds twice the processors (as in {@code
 * MemoryBudgetProcessTest}; the test prints which); {@code -Dkcpj.test.latencyBound=true} asserts
 * it whatever the load, {@code false} never. The drop and loss assertions hold always.
 *
 * <p><b>Spoofing.</b> Where the test may open a raw socket (root or {@code CAP_NET_RAW}, as in CI)
 * the attacker writes the IP and UDP headers itself with the healthy client's own address and port
 * as source, so its datagrams are indistinguishable from the client's on the wire; elsewhere it
 * sends from its own socket (the forgeries then also come from an address the session does not
 * use). The test prints which. See docs/secure-sessions.md section 14.
 */
@Tag("slow")
class SecureAttackLatencyTest {
  static final byte[] PSK = fill(32, 7);
  static final KcpConfig KCP =
      KcpConfig.parse("fast,mtu=" + (1400 - SecureWire.TRANSPORT_OVERHEAD));
  static final long PERIOD_NANOS = 20_000_000L;
  static final int ROUNDS = Integer.getInteger("kcpj.test.rounds", 8);
  static final int ROUND_SAMPLES = Integer.getInteger("kcpj.test.roundSamples", 125);
  static final int ATTACK_TICK_MILLIS = 5;
  static final int ATTACK_PER_TICK = 4;
  static final double BOUND = 1.2;

  MultiThreadIoEventLoopGroup serverGroup;
  MultiThreadIoEventLoopGroup clientGroup;
  ScheduledExecutorService attackClock;
  Attacker attacker;

  @AfterEach
  void stop() throws Exception {
    if (attackClock != null) {
      attackClock.shutdownNow();
      attackClock.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (attacker != null) {
      attacker.close();
    }
    if (clientGroup != null) {
      clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
    if (serverGroup != null) {
      serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void forgedAcksDataWindowsAndReplaysAreDroppedAndLeaveTheP99Alone() throws Exception {
    String bound = latencyBound(Double.parseDouble(loadAverage()));
    System.out.println("latency bound: " + bound);
    serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    AtomicLong delivered = new AtomicLong();
    Capture capture = new Capture();
    SecureServerLayer layer =
        new SecureServerLayer(SecureServerConfig.builder().psk(PSK).build(), false, 1_000, 100);
    KcpServerCodec codec =
        new KcpServerCodecBuilder()
            .config(KCP)
            .handler(
                new ChannelInitializer<KcpChannel>() {
                  @Override
                  protected void initChannel(KcpChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                delivered.incrementAndGet();
                                ctx.write(msg);
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
            .group(serverGroup)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(layer, codec);
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    InetSocketAddress to = (InetSocketAddress) server.localAddress();
    Healthy client = new Healthy(to, capture);
    client.measure(100); // warm-up: the paths compile, the capture fills

    SecureFloodLoopbackTest.RawSpoofer raw = SecureFloodLoopbackTest.RawSpoofer.open();
    attacker =
        new Attacker(
            to, capture, client.session.conv(), client.sentTotal, raw, client.localAddress);
    System.out.println(
        raw != null
            ? "attacker: raw socket, spoofing the client's address " + client.localAddress
            : "attacker: its own socket (no raw socket without root or CAP_NET_RAW)");
    attackClock = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "attack"));
    SecureCounters before = onLoop(server, () -> SecureLayerAttackTest.copy(layer.counters()));
    long deliveredBefore = delivered.get();
    List<Long> quiet = new ArrayList<>();
    List<Long> attacked = new ArrayList<>();
    int requests = 0;
    for (int r = 0; r < ROUNDS; r++) {
      boolean attack = r % 2 == 1;
      ScheduledFuture<?> attacking =
          attack
              ? attackClock.scheduleAtFixedRate(
                  attacker::tick, 0, ATTACK_TICK_MILLIS, TimeUnit.MILLISECONDS)
              : null;
      int sentBefore = attacker.sent.get();
      String load = loadAverage();
      List<Long> rtts = client.measure(ROUND_SAMPLES);
      if (attacking != null) {
        attacking.cancel(false);
        // Waits for a tick in progress, so that what it sent belongs to this round.
        attackClock.submit(() -> null).get(10, TimeUnit.SECONDS);
      }
      requests += ROUND_SAMPLES;
      long p99 = percentile(rtts, 0.99);
      (attack ? attacked : quiet).add(p99);
      System.out.printf(
          "round %d %-6s: p50 %.1f p99 %.1f max %.1f ms; client send lateness p99 %.1f ms;"
              + " attack datagrams %d; load %s%n",
          r,
          attack ? "attack" : "quiet",
          percentile(rtts, 0.5) / 1e6,
          p99 / 1e6,
          percentile(rtts, 1.0) / 1e6,
          percentile(client.lateness, 0.99) / 1e6,
          attacker.sent.get() - sentBefore,
          load);
    }
    final int attacks = attacker.sent.get();
    await(
        server,
        () -> layer.counters().totalDrops() - before.totalDrops() >= attacks,
        "all " + attacks + " attack datagrams counted as drops");
    SecureCounters after = onLoop(server, () -> SecureLayerAttackTest.copy(layer.counters()));
    long quietMedian = percentile(quiet, 0.5);
    long attackMedian = percentile(attacked, 0.5);
    double ratio = (double) attackMedian / quietMedian;
    System.out.printf(
        "p99 median of rounds: quiet %.1f ms, attack %.1f ms, ratio %.2f (bound %.1f, %s);"
            + " attack datagrams %d (%d replays), dropped %d; requests %d, answered %d,"
            + " delivered to the server's application %d%n",
        quietMedian / 1e6,
        attackMedian / 1e6,
        ratio,
        BOUND,
        bound,
        attacks,
        attacker.replays.get(),
        after.totalDrops() - before.totalDrops(),
        requests,
        client.answeredTotal.get(),
        delivered.get() - deliveredBefore);

    assertTrue(attacks > 1_000, "the attack ran: " + attacks);
    assertEquals(attacks, after.totalDrops() - before.totalDrops(), "drops: " + after);
    assertEquals(requests, delivered.get() - deliveredBefore, "the server's application saw");
    assertEquals(0, client.duplicates.get(), "answers received twice");
    assertEquals(requests + 100, client.answeredTotal.get(), "every request answered once");
    assertEquals(1, onLoop(server, layer::sessionCount));
    assertEquals(
        0, after.pathChallengesSent - before.pathChallengesSent, "no forgery moved the path");
    if (bound.startsWith("asserted")) {
      assertTrue(
          ratio <= BOUND,
          String.format(
              "p99 under attack (median of rounds) %.1f ms > %.1f x %.1f ms",
              attackMedian / 1e6, BOUND, quietMedian / 1e6));
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  /**
   * Whether the latency bound is asserted: {@code -Dkcpj.test.latencyBound=true} or {@code false}
   * decides; by default it is asserted unless the one-minute load average when the test starts
   * exceeds twice the processors (MemoryBudgetProcessTest's gate).
   */
  static String latencyBound(double load) {
    String mode = System.getProperty("kcpj.test.latencyBound", "auto");
    int cpus = Runtime.getRuntime().availableProcessors();
    if (mode.equals("true")) {
      return "asserted (-Dkcpj.test.latencyBound=true)";
    }
    if (mode.equals("false")) {
      return "skipped (-Dkcpj.test.latencyBound=false)";
    }
    if (load > 2 * cpus) {
      return "skipped: load average " + load + " > 2 x " + cpus + " processors at the start";
    }
    return "asserted (load average " + load + ", " + cpus + " processors)";
  }

  static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  static long percentile(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /**
   * Next to the client's socket: keeps the healthy client's latest records as they leave (what a
   * sniffer on the path sees) for the attacker.
   */
  static final class Capture extends ChannelOutboundHandlerAdapter {
    final ConcurrentLinkedDeque<byte[]> records = new ConcurrentLinkedDeque<>();
    final AtomicInteger size = new AtomicInteger();
    final AtomicLong highest = new AtomicLong();

    @Override
    public boolean isSharable() {
      return false;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof DatagramPacket) {
        DatagramPacket d = (DatagramPacket) msg;
        ByteBuf b = d.content();
        if (b.readableBytes() >= SecureWire.MIN_TRANSPORT_SIZE
            && (b.getByte(b.readerIndex()) & 0xff) == SecureWire.TYPE_TRANSPORT) {
          byte[] r = ByteBufUtil.getBytes(b);
          highest.accumulateAndGet(SecureLayerAttackTest.packetNumber(r), Math::max);
          records.addLast(r);
          if (size.incrementAndGet() > 32) {
            records.pollFirst();
            size.decrementAndGet();
          }
        }
      }
      ctx.write(msg, promise);
    }
  }

  /**
   * Sends forged and replayed records, one tick at a time: through a raw socket with the healthy
   * client's own address and port as source when it may open one, else from its own socket.
   */
  static final class Attacker implements AutoCloseable {
    final InetSocketAddress to;
    final Capture capture;
    final int conv;
    final Random random = new Random(16);
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger replays = new AtomicInteger();
    final DatagramSocket socket;

    /**
     * The healthy client's requests so far: each is one KCP segment each way, so this is where both
     * directions' sequence numbers are. A worst-case attacker knows it (on plain KCP it reads it
     * off the wire); forgeries just ahead of it are the ones that would hurt if accepted.
     */
    final AtomicLong streamPosition;

    final SecureFloodLoopbackTest.RawSpoofer raw;
    final InetSocketAddress spoofed;

    Attacker(
        InetSocketAddress to,
        Capture capture,
        int conv,
        AtomicLong streamPosition,
        SecureFloodLoopbackTest.RawSpoofer raw,
        InetSocketAddress spoofed)
        throws IOException {
      this.raw = raw;
      this.spoofed = spoofed;
      this.to = to;
      this.capture = capture;
      this.conv = conv;
      this.streamPosition = streamPosition;
      this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    void tick() {
      try {
        byte[] d = capture.records.peekLast();
        if (d == null) {
          return;
        }
        long ahead = capture.highest.get() + 1 + random.nextInt(64);
        // The next few sequence numbers: a forged PUSH there would be delivered in place of the
        // client's next request (which the server would then discard as a duplicate); a forged
        // ACK there (its una too) would make the server forget echoes the client has not got.
        int sn = (int) streamPosition.get() + random.nextInt(4);
        // Replay, exactly as captured.
        send(d);
        replays.incrementAndGet();
        // Forged data, ACK with window 0, window announcement (WINS) with window 0.
        send(forged(d, ahead, SecureLayerAttackTest.kcpSegment(conv, 81, sn)));
        send(forged(d, ahead + 1, SecureLayerAttackTest.kcpSegment(conv, 82, sn)));
        send(forged(d, ahead + 2, SecureLayerAttackTest.kcpSegment(conv, 84, sn)));
        sent.addAndGet(ATTACK_PER_TICK);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      socket.close();
      if (raw != null) {
        raw.close();
      }
    }

    void send(byte[] d) throws Exception {
      if (raw != null) {
        raw.sendFrom(spoofed, java.nio.ByteBuffer.wrap(d), to);
      } else {
        SecureLayerAttackTest.send(socket, to, d);
      }
    }

    /** A record with {@code d}'s header, packet number {@code pn}, {@code body}, a random tag. */
    byte[] forged(byte[] d, long pn, byte[] body) {
      byte[] f = new byte[SecureWire.TRANSPORT_HEADER_SIZE + 1 + body.length + 16];
      System.arraycopy(d, 0, f, 0, SecureWire.TRANSPORT_HEADER_SIZE);
      int o = SecureWire.TRANSPORT_PACKET_NUMBER_OFFSET;
      for (int i = 0; i < 4; i++) {
        f[o + i] = (byte) (pn >>> (8 * i));
      }
      System.arraycopy(body, 0, f, SecureWire.TRANSPORT_HEADER_SIZE + 1, body.length);
      for (int i = f.length - 16; i < f.length; i++) {
        f[i] = (byte) random.nextInt();
      }
      return f;
    }
  }

  /** The healthy client: one secure session over a 20 ms-each-way path. */
  final class Healthy {
    final KcpChannel session;
    final InetSocketAddress localAddress;
    final ConcurrentLinkedQueue<Long> rtts = new ConcurrentLinkedQueue<>();
    final List<Long> lateness = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentHashMap<Long, Boolean> outstanding = new ConcurrentHashMap<>();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicLong answeredTotal = new AtomicLong();
    final AtomicLong sentTotal = new AtomicLong();
    volatile CountDownLatch answered;

    Healthy(InetSocketAddress server, Capture capture) throws Exception {
      DirectionProfile delay =
          DirectionProfile.builder().delay(DelayModel.constant(20_000_000L)).build();
      SecureClientLayer layer =
          new SecureClientLayer(SecureClientConfig.builder().psk(PSK).build());
      Channel udp =
          new Bootstrap()
              .group(clientGroup)
              .channel(NioDatagramChannel.class)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(
                              // The capture sees records as they leave the socket, after the
                              // path's delay: a replay then always follows its original. (Under
                              // the delay the attacker would race the path: its "replay" arrived
                              // first, was accepted as the genuine record it is, and the original
                              // was dropped as the replay.)
                              capture,
                              NetemHandler.builder().inbound(delay).outbound(delay).seed(1).build(),
                              layer,
                              new KcpClientCodecBuilder().config(KCP).build());
                    }
                  })
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      localAddress = (InetSocketAddress) udp.localAddress();
      session =
          KcpChannel.newBootstrap(udp)
              .remoteAddress(server)
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      ByteBuf answer = (ByteBuf) msg;
                      long scheduled = answer.getLong(answer.readerIndex());
                      answer.release();
                      if (outstanding.remove(scheduled) == null) {
                        duplicates.incrementAndGet();
                        return;
                      }
                      rtts.add(System.nanoTime() - scheduled);
                      answeredTotal.incrementAndGet();
                      answered.countDown();
                    }
                  })
              .connect()
              .sync()
              .getNow();
    }

    /** Sends {@code n} requests at 50 Hz stamped with their scheduled times; their round trips. */
    List<Long> measure(int n) throws Exception {
      rtts.clear();
      lateness.clear();
      answered = new CountDownLatch(n);
      long start = System.nanoTime() + PERIOD_NANOS;
      int[] sent = new int[1];
      ScheduledFuture<?> sending =
          session
              .eventLoop()
              .scheduleAtFixedRate(
                  () -> {
                    if (sent[0] < n) {
                      long scheduled = start + sent[0]++ * PERIOD_NANOS;
                      lateness.add(System.nanoTime() - scheduled);
                      outstanding.put(scheduled, Boolean.TRUE);
                      ByteBuf request = session.alloc().buffer(10);
                      request.writeLong(scheduled).writeZero(2);
                      session.writeAndFlush(request);
                      sentTotal.incrementAndGet();
                    }
                  },
                  Math.max(0, start - System.nanoTime()),
                  PERIOD_NANOS,
                  TimeUnit.NANOSECONDS);
      long limit = n * PERIOD_NANOS + TimeUnit.SECONDS.toNanos(20);
      boolean all = answered.await(limit, TimeUnit.NANOSECONDS);
      sending.cancel(false);
      assertTrue(all, "answers missing: " + answered.getCount() + " of " + n);
      return new ArrayList<>(rtts);
    }
  }
}
