package io.kcpj.bench.perf;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.KcpCounters;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpClientCodec;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.internal.StageTrace;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The load generator of {@code kcpj perf client}. Each session sends ECHO messages at a fixed rate
 * on a schedule (a random phase per session); the round trip of each is measured from its
 * <em>scheduled</em> send time, so a stalled sender or server shows up in the percentiles instead
 * of hiding (no coordinated omission). Sessions are spread over {@code sockets} datagram channels
 * (one per session by default: servers that key sessions by address need that) and {@code threads}
 * event loops; each event loop paces its own sessions from one priority queue and records into its
 * own histogram, merged at the end. The server's CPU time and counts come from STATS requests on a
 * separate control session, before and after the measured interval.
 *
 * <p><b>Any echo peer.</b> The control session's first request is a STATS_REQUEST followed by an
 * ECHO. A kcpj perf server answers with a STATS_REPLY; any other KCP echo server (kcp-go's, say)
 * echoes both. Without a STATS_REPLY within {@link PerfProtocol#STATS_PROBE_MILLIS} of the first
 * answer, the run goes on with client-side figures only (RTTs, rates, the client's own wire bytes
 * and CPU; a bulk run's goodput from the echoed bytes) and the result says so ({@code server_stats:
 * false} and a note).
 *
 * <p><b>Pacing.</b> A session's message leaves at its scheduled time, not at the next tick of a
 * coarse clock: when the next send is at least {@value #DENSE_GAP_NANOS} ns away the event loop's
 * timer is set for exactly that time (to the nanosecond on epoll and io_uring, whose timers are
 * timerfds; NIO's selector wakes in whole milliseconds). Denser schedules (many sessions) are sent
 * on a {@value #DENSE_GAP_NANOS} ns tick, as every earlier version did. How late each send left is
 * reported ({@code send_lag_*}): it is part of every RTT, and the measurement's own share of it.
 *
 * <p><b>Protocols.</b> {@link Protocol#KCP} (the default) sends each message on a KCP session;
 * {@link Protocol#UDP} sends the same messages as plain datagrams ({@link PerfRawUdp}), through the
 * same pacer, event loops and server, to measure the floor that kcpj adds to. The control session
 * is KCP in both. With {@code floor} a KCP run also measures the floor in the same window: each KCP
 * session gets a raw twin on a socket of its own, on the same schedule shifted by half a period, so
 * that the two never wait for each other and every change of the machine's load falls on both (the
 * shift applies from the measured rate on). The server's figures (CPU, echoes) then cover both.
 *
 * <p><b>Connecting.</b> Before any load, the control session asks the server for its STATS and
 * waits up to {@link Settings#connectTimeout()} for any answer. Its socket is connected to the
 * server, so the kernel reports an ICMP "port unreachable" as an error: the run then fails at once
 * with a {@link PortUnreachableException} ("connection refused"); without any answer it fails with
 * a {@link SocketTimeoutException}; an unresolved address fails with an {@link
 * UnknownHostException}. Each message is one sentence a command line can print as it is.
 *
 * <p><b>A long run.</b> The control session is quiet between its STATS requests (the warm-up, the
 * settling and the measured window), and a server closes a session that sends nothing for its idle
 * timeout ({@code KcpChannelOption.IDLE_TIMEOUT_MILLIS}, 60 s by default): a later STATS request
 * would then go unanswered. So while it waits the client sends a STATS request every {@value
 * #CONTROL_KEEPALIVE_SECONDS} s on the control session and drops the reply (the server answers in
 * order, so each reply is matched to its request).
 */
public final class PerfClient {
  /**
   * How often a waiting client sends a keepalive STATS request (well under a 60 s idle timeout).
   */
  static final long CONTROL_KEEPALIVE_SECONDS = 20;

  // StageTrace stages of the perf tool (kcp-netty's are below 20).
  /** Client: a KCP message (made) is about to be written (writeAndFlush). */
  static final int TRACE_KCP_SEND = 20;

  /** Client: the KCP message's writeAndFlush returned. */
  static final int TRACE_KCP_SENT = 21;

  /** Client: a KCP echo reached its session's handler. */
  static final int TRACE_KCP_ECHOED = 22;

  /** Client: a raw datagram (made) is about to be written. */
  static final int TRACE_RAW_SEND = 23;

  /** Client: the raw datagram's writeAndFlush returned. */
  static final int TRACE_RAW_SENT = 24;

  /** Client: a raw echo was read. */
  static final int TRACE_RAW_ECHOED = 25;

  /** Server: a raw datagram was read. */
  static final int TRACE_SERVER_RAW_READ = 26;

  /** Server: the raw echoes' flush returned. */
  static final int TRACE_SERVER_RAW_FLUSHED = 27;

  /** Server: a KCP message reached the echo handler. */
  static final int TRACE_SERVER_KCP_DELIVERED = 28;

  /** What carries the load sessions' messages. */
  public enum Protocol {
    /** One KCP session per load session (the default). */
    KCP,
    /** Plain datagrams, no KCP: the floor ({@link PerfRawUdp}). */
    UDP;

    /** The name on the command line and in reports: {@code kcp} or {@code udp}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Sends due within this many ns of each other are sent on one tick of this period; a next send
   * further away gets a timer of its own, set for its exact time.
   */
  static final long DENSE_GAP_NANOS = 1_000_000L;

  /**
   * What to run. The unmeasured lead-in is {@code warmup} at {@code warmupRate}, then {@code
   * settle} at {@code rate}; the measured window of {@code duration} follows. {@code
   * connectTimeout} bounds the wait for the server's first answer.
   */
  public record Settings(
      InetSocketAddress server,
      int sessions,
      int sockets,
      int threads,
      double rate,
      int size,
      Duration duration,
      Duration warmup,
      KcpConfig config,
      boolean bulk,
      int conv,
      String transport,
      double warmupRate,
      Duration settle,
      Duration connectTimeout) {

    /** The connect timeout when none is given. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** As the canonical constructor, with {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public Settings(
        InetSocketAddress server,
        int sessions,
        int sockets,
        int threads,
        double rate,
        int size,
        Duration duration,
        Duration warmup,
        KcpConfig config,
        boolean bulk,
        int conv,
        String transport,
        double warmupRate,
        Duration settle) {
      this(
          server,
          sessions,
          sockets,
          threads,
          rate,
          size,
          duration,
          warmup,
          config,
          bulk,
          conv,
          transport,
          warmupRate,
          settle,
          DEFAULT_CONNECT_TIMEOUT);
    }

    /** As the canonical constructor, warming up at the measured rate, with no settling time. */
    public Settings(
        InetSocketAddress server,
        int sessions,
        int sockets,
        int threads,
        double rate,
        int size,
        Duration duration,
        Duration warmup,
        KcpConfig config,
        boolean bulk,
        int conv,
        String transport) {
      this(
          server,
          sessions,
          sockets,
          threads,
          rate,
          size,
          duration,
          warmup,
          config,
          bulk,
          conv,
          transport,
          rate,
          Duration.ZERO,
          DEFAULT_CONNECT_TIMEOUT);
    }
  }

  private final Settings s;
  private final Protocol protocol;
  private final boolean floor;
  private PerfLayers layers = PerfLayers.NONE;
  private boolean busyPolling;
  private long controlKeepAliveNanos = TimeUnit.SECONDS.toNanos(CONTROL_KEEPALIVE_SECONDS);

  /** Whether the peer answers STATS (a kcpj perf server), known once connected. */
  private boolean serverStats;

  private MultiThreadIoEventLoopGroup group;
  private PerfTransport transport;
  private final List<Channel> sockets = new ArrayList<>();
  private final List<KcpClientCodec> codecs = new ArrayList<>();
  private final Map<EventLoop, Pacer> pacers = new HashMap<>();
  private final SocketErrors socketErrors = new SocketErrors();

  /** Raw sockets (UDP protocol): datagrams and bytes, for the report's wire counts. */
  private final LongAdder rawDatagramsOut = new LongAdder();

  private final LongAdder rawBytesOut = new LongAdder();
  private final LongAdder rawBytesIn = new LongAdder();

  /** Until then sessions send at the warm-up rate, after it at the measured rate. */
  private volatile long warmUntil = Long.MAX_VALUE;

  private volatile long measureFrom = Long.MAX_VALUE;
  private volatile long measureUntil = Long.MAX_VALUE;
  private volatile boolean stopSending;

  /** A client of {@code settings} on KCP. */
  public PerfClient(Settings settings) {
    this(settings, Protocol.KCP);
  }

  /**
   * A client of {@code settings} whose load travels by {@code protocol} ({@link Protocol#UDP}: the
   * raw floor; a load run only, not {@code bulk}).
   *
   * @throws IllegalArgumentException for a bulk run on {@link Protocol#UDP}
   */
  public PerfClient(Settings settings, Protocol protocol) {
    this(settings, protocol, false);
  }

  /**
   * A client of {@code settings} whose load travels by {@code protocol}; with {@code floor} (KCP
   * only) each session has a raw-UDP twin measured in the same window (see the class doc), and the
   * result carries the floor's figures ({@link PerfResult#withFloor}).
   *
   * @throws IllegalArgumentException for a bulk run other than plain KCP, or a floor beside UDP
   */
  public PerfClient(Settings settings, Protocol protocol, boolean floor) {
    if (settings.bulk() && (protocol != Protocol.KCP || floor)) {
      throw new IllegalArgumentException("a bulk run measures KCP only (no raw UDP floor)");
    }
    if (floor && protocol != Protocol.KCP) {
      throw new IllegalArgumentException(
          "the floor is measured beside KCP, not beside " + protocol);
    }
    this.s = settings;
    this.protocol = protocol;
    this.floor = floor;
  }

  /** The sessions' datagram layers ({@code --fec}, {@code --crypt}); none by default. */
  public PerfClient layers(PerfLayers layers) {
    this.layers = java.util.Objects.requireNonNull(layers, "layers");
    return this;
  }

  /**
   * Whether the client's event loops busy-poll ({@link PerfTransport#withBusyPolling()}); off by
   * default. Call before {@link #run()}.
   */
  public PerfClient busyPolling(boolean busyPolling) {
    this.busyPolling = busyPolling;
    return this;
  }

  /** The control session's keepalive interval (tests shorten it); call before {@link #run()}. */
  PerfClient controlKeepAlive(Duration every) {
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("keepalive interval must be positive, got " + every);
    }
    this.controlKeepAliveNanos = every.toNanos();
    return this;
  }

  /**
   * Runs the whole measurement and returns its result.
   *
   * @throws UnknownHostException if the server's address is unresolved
   * @throws PortUnreachableException if nothing listens on the server's port
   * @throws SocketTimeoutException if the server does not answer in time
   */
  public PerfResult run() throws Exception {
    if (s.server().isUnresolved()) {
      throw new UnknownHostException(s.server().getHostString());
    }
    transport = PerfTransport.select(s.transport());
    if (busyPolling) {
      transport = transport.withBusyPolling();
    }
    group = new MultiThreadIoEventLoopGroup(s.threads(), transport.ioHandlerFactory);
    try {
      return s.bulk() ? runBulk() : runLoad();
    } finally {
      for (Channel c : sockets) {
        c.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /**
   * With secure sessions, what a missing answer most likely means (a server that cannot
   * authenticate the handshake drops it without a word); null without.
   */
  private String secureHint() {
    if (!layers.secure()) {
      return null;
    }
    String keys =
        layers.psk() != null && layers.pin() != null
            ? "--psk or --pin"
            : layers.pin() != null ? "--pin (not the server's public key?)" : "--psk";
    return " (the secure handshake got no answer: wrong "
        + keys
        + " for this server, a server not in secure mode, or none running there)";
  }

  private KcpChannel open(ChannelInboundHandlerAdapter handler, int socketIndex) throws Exception {
    while (sockets.size() <= socketIndex) {
      KcpClientCodec codec =
          layers
              .apply(new KcpClientCodecBuilder())
              .config(layers.kcpConfig(s.config()))
              .maxSessions(Math.max(1, s.sessions()))
              .option(KcpChannelOption.SEND_QUEUE_CAP, 65_536)
              .build();
      boolean control = sockets.isEmpty();
      Bootstrap b =
          transport
              .configure(new Bootstrap().group(group), 1 << 20)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ChannelHandler secure = layers.newClientLayer(); // --psk
                      if (secure != null) {
                        ch.pipeline().addLast(secure);
                      }
                      ch.pipeline().addLast(codec, socketErrors);
                    }
                  });
      InetSocketAddress local =
          new InetSocketAddress(
              s.server().getAddress().isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0", 0);
      // The control socket is connected, so that an ICMP "port unreachable" comes back as an
      // error (an unconnected UDP socket never hears of it): a refused port fails fast.
      Channel udp = (control ? b.connect(s.server(), local) : b.bind(local)).sync().channel();
      sockets.add(udp);
      codecs.add(codec);
    }
    io.kcpj.netty.KcpChannelBootstrap b =
        KcpChannel.newBootstrap(sockets.get(socketIndex))
            .remoteAddress(s.server())
            .handler(handler);
    if (s.conv() != 0) {
      b.conv(s.conv()); // servers that expect one fixed conv (e.g. java-Kcp's default)
    }
    return awaitConnect(b.connect(), handler instanceof Control ? (Control) handler : null);
  }

  /**
   * Waits for a session's connect future. Plain KCP completes it at once; under the secure layer it
   * completes when the handshake does, or fails with the layer's reason, so the wait is bounded by
   * {@link Settings#connectTimeout()} (and, for the control session, ends early if the server's
   * port is unreachable).
   */
  private KcpChannel awaitConnect(Future<KcpChannel> connecting, Control control) throws Exception {
    CompletableFuture<KcpChannel> done = new CompletableFuture<>();
    connecting.addListener(
        f -> {
          if (f.isSuccess()) {
            done.complete(connecting.getNow());
          } else {
            done.completeExceptionally(f.cause());
          }
        });
    if (control != null) {
      control.answered.whenComplete(
          (v, e) -> {
            if (e != null) {
              done.completeExceptionally(e); // port unreachable
            }
          });
    }
    try {
      return done.get(s.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      connecting.cancel(false);
      throw Control.noAnswer(s.server(), s.connectTimeout(), secureHint());
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof Exception ? (Exception) c : e;
    }
  }

  /**
   * Binds the raw datagram channel with index {@code socketIndex} (UDP protocol), opening the ones
   * before it, each delivering echoes to {@code senders} by session id.
   */
  private Channel openRaw(int socketIndex, Sender[] senders) throws Exception {
    while (sockets.size() <= socketIndex) {
      Bootstrap b =
          transport
              .configure(new Bootstrap().group(group), 1 << 20)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(new PerfRawUdp.ClientSocket(senders, rawBytesIn), socketErrors);
                    }
                  });
      InetSocketAddress local =
          new InetSocketAddress(
              s.server().getAddress().isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0", 0);
      sockets.add(b.bind(local).sync().channel());
    }
    return sockets.get(socketIndex);
  }

  /**
   * Opens the control session, waits for the server's first answer and learns whether it answers
   * STATS (see the class doc).
   */
  private KcpChannel connect(Control control) throws Exception {
    KcpChannel ch = open(control, 0);
    serverStats = control.awaitAnswer(ch, s.connectTimeout(), s.server(), secureHint());
    return ch;
  }

  private PerfResult runLoad() throws Exception {
    Control control = new Control();
    socketErrors.control = control;
    KcpChannel controlChannel = connect(control);
    int firstSocket = 1;
    long period = Math.max(1, (long) (1e9 / s.rate()));
    // The warm-up may run faster (e.g. to get every server JIT-compiled before a slow workload).
    long warmPeriod = s.warmupRate() > 0 ? Math.max(1, (long) (1e9 / s.warmupRate())) : period;
    List<Sender> senders = new ArrayList<>();
    int n = s.sessions();
    // Senders 0..n-1 carry the run's protocol; with a floor, n..2n-1 are their raw twins, on raw
    // sockets opened after the KCP ones (so codecs.get(i) stays the codec of socket i).
    Sender[] byId = new Sender[floor ? 2 * n : n];
    for (int i = 0; i < byId.length; i++) {
      boolean raw = protocol == Protocol.UDP || i >= n;
      Sender sender = new Sender(i, raw, i >= n ? FLOOR : MAIN);
      byId[i] = sender;
      Channel ch =
          i >= n
              ? openRaw(firstSocket + s.sockets() + ((i - n) % s.sockets()), byId)
              : raw
                  ? openRaw(firstSocket + (i % s.sockets()), byId)
                  : open(sender, firstSocket + (i % s.sockets()));
      sender.channel = ch;
      sender.pacer = pacers.computeIfAbsent(ch.eventLoop(), Pacer::new);
      sender.period = period;
      sender.warmPeriod = warmPeriod;
      if (i >= n) {
        sender.twinOf = byId[i - n];
        sender.shift = period / 2;
      }
      senders.add(sender);
    }
    // Every session is open: start the schedules (random phases) shortly from now.
    long t0 = System.nanoTime() + 200_000_000L;
    warmUntil = t0 + s.warmup().toNanos();
    measureFrom = warmUntil + s.settle().toNanos();
    measureUntil = measureFrom + s.duration().toNanos();
    for (Sender sender : senders) {
      sender.nextAt =
          sender.twinOf != null
              ? sender.twinOf.nextAt
              : t0 + ThreadLocalRandom.current().nextLong(Math.min(period, warmPeriod));
      sender.shiftIfMeasuredRate();
      sender.channel.eventLoop().execute(() -> sender.pacer.add(sender));
    }
    for (Pacer p : pacers.values()) {
      p.loop.execute(p::start);
    }
    waitUntil(measureFrom, control, controlChannel);
    PerfProtocol.ServerStats before =
        serverStats ? control.request(controlChannel, s.server()) : null;
    long clientCpuBefore = PerfProtocol.processCpuNanos();
    KcpCounters clientBefore = clientCounters();
    long wallBefore = System.nanoTime();
    waitUntil(measureUntil, control, controlChannel);
    stopSending = true;
    // Let the last scheduled messages come back (bounded).
    long graceUntil = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < graceUntil && outstanding() > 0) {
      Thread.sleep(20);
    }
    PerfProtocol.ServerStats after =
        serverStats ? control.request(controlChannel, s.server()) : null;
    long wallAfter = System.nanoTime();
    long clientCpuAfter = PerfProtocol.processCpuNanos();
    KcpCounters clientAfter = clientCounters();

    Tally main = collect(MAIN);
    int open = 0;
    for (KcpClientCodec c : codecs) {
      open += c.metrics().sessionsOpen();
    }
    if (protocol == Protocol.UDP) {
      open += s.sessions(); // raw sessions are not a codec's: each is its schedule
    }
    KcpCounters wire = delta(clientBefore, clientAfter);
    PerfResult result =
        PerfResult.load(
            s,
            protocol.label(),
            transport.description(),
            main.histogram,
            main.sendLag,
            main.sent,
            main.received,
            main.skipped,
            open - 1,
            s.duration().toNanos(),
            wallAfter - wallBefore,
            before,
            after,
            clientCpuAfter - clientCpuBefore,
            wire);
    if (!floor) {
      return result;
    }
    Tally twins = collect(FLOOR);
    PerfResult floorResult =
        PerfResult.load(
            s,
            Protocol.UDP.label(),
            transport.description(),
            twins.histogram,
            twins.sendLag,
            twins.sent,
            twins.received,
            twins.skipped,
            s.sessions(),
            s.duration().toNanos(),
            wallAfter - wallBefore,
            before,
            after,
            clientCpuAfter - clientCpuBefore,
            wire);
    return result.withFloor(floorResult);
  }

  /** The sum over the event loops of one tally ({@link #MAIN} or {@link #FLOOR}). */
  private Tally collect(int which) throws Exception {
    Tally sum = new Tally();
    for (Pacer p : pacers.values()) {
      Tally t = p.loop.submit(() -> p.tallies[which].copy()).get(10, TimeUnit.SECONDS);
      sum.histogram.add(t.histogram);
      sum.sendLag.add(t.sendLag);
      sum.sent += t.sent;
      sum.received += t.received;
      sum.skipped += t.skipped;
    }
    return sum;
  }

  private long outstanding() throws Exception {
    long n = 0;
    for (Pacer p : pacers.values()) {
      n +=
          p.loop
              .submit(() -> p.tallies[MAIN].outstanding() + p.tallies[FLOOR].outstanding())
              .get(10, TimeUnit.SECONDS);
    }
    return n;
  }

  private PerfResult runBulk() throws Exception {
    Control control = new Control();
    socketErrors.control = control;
    KcpChannel controlChannel = connect(control);
    Bulk bulk = new Bulk();
    KcpChannel ch = open(bulk, 1);
    long start = System.nanoTime();
    measureFrom = start + s.warmup().toNanos() + s.settle().toNanos(); // bulk: one lead-in
    measureUntil = measureFrom + s.duration().toNanos();
    ch.eventLoop().execute(() -> bulk.fill(ch));
    waitUntil(measureFrom, control, controlChannel);
    PerfProtocol.ServerStats before =
        serverStats ? control.request(controlChannel, s.server()) : null;
    long echoedBefore = bulk.echoedBytes.sum();
    long clientCpuBefore = PerfProtocol.processCpuNanos();
    KcpCounters clientBefore = clientCounters();
    long wallBefore = System.nanoTime();
    waitUntil(measureUntil, control, controlChannel);
    PerfProtocol.ServerStats after =
        serverStats ? control.request(controlChannel, s.server()) : null;
    long wallAfter = System.nanoTime();
    long echoedBytes = bulk.echoedBytes.sum() - echoedBefore;
    stopSending = true;
    return PerfResult.bulk(
        s,
        wallAfter - wallBefore,
        before,
        after,
        PerfProtocol.processCpuNanos() - clientCpuBefore,
        delta(clientBefore, clientCounters()),
        echoedBytes);
  }

  private KcpCounters clientCounters() {
    KcpCounters total = new KcpCounters();
    total.datagramsOut = rawDatagramsOut.sum(); // raw sockets (UDP protocol); 0 on KCP
    total.bytesOut = rawBytesOut.sum();
    total.bytesIn = rawBytesIn.sum();
    for (int i = 1; i < codecs.size(); i++) { // the control socket's traffic is not counted
      codecs.get(i).metrics().engineCounters().addTo(total);
    }
    return total;
  }

  private static KcpCounters delta(KcpCounters before, KcpCounters after) {
    KcpCounters d = after.snapshot();
    d.bytesIn -= before.bytesIn;
    d.bytesOut -= before.bytesOut;
    d.datagramsIn -= before.datagramsIn;
    d.datagramsOut -= before.datagramsOut;
    d.retransmittedSegments -= before.retransmittedSegments;
    d.fastRetransmittedSegments -= before.fastRetransmittedSegments;
    d.lostSegments -= before.lostSegments;
    d.payloadBytesReceived -= before.payloadBytesReceived;
    d.payloadBytesSent -= before.payloadBytesSent;
    return d;
  }

  /**
   * Sleeps until {@code nanoTime}, keeping the control session alive meanwhile: a STATS request
   * whenever it has been quiet for the keepalive interval (see the class doc).
   */
  private void waitUntil(long nanoTime, Control control, KcpChannel controlChannel)
      throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      if (System.nanoTime() - control.lastRequestNanos >= controlKeepAliveNanos) {
        control.keepAlive(controlChannel);
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
    }
  }

  /** The tally of the run's own sessions. */
  static final int MAIN = 0;

  /** The tally of the raw twins (with a floor). */
  static final int FLOOR = 1;

  /** What one group of sessions measured in the window: RTTs, send lags and counts. */
  static final class Tally {
    final Histogram histogram = new Histogram(1, 60_000_000L, 3);

    /** How late each measured message left (µs after its scheduled time). */
    final Histogram sendLag = new Histogram(1, 60_000_000L, 3);

    long sent;
    long received;
    long skipped;

    long outstanding() {
      return sent - received;
    }

    Tally copy() {
      Tally t = new Tally();
      t.histogram.add(histogram);
      t.sendLag.add(sendLag);
      t.sent = sent;
      t.received = received;
      t.skipped = skipped;
      return t;
    }
  }

  /** One event loop's sessions, paced from a priority queue by next send time; its tallies. */
  final class Pacer {
    final EventLoop loop;
    final PriorityQueue<Sender> queue =
        new PriorityQueue<>((a, b) -> Long.compare(a.nextAt, b.nextAt));
    final Tally[] tallies = {new Tally(), new Tally()};

    Pacer(EventLoop loop) {
      this.loop = loop;
    }

    void add(Sender sender) {
      queue.add(sender);
    }

    void start() {
      sendDue();
    }

    /**
     * Sends what is due, then sets the timer: for the next send's own time when it is at least
     * {@link #DENSE_GAP_NANOS} away (a thin schedule leaves on time), else one tick from now.
     */
    private void sendDue() {
      if (stopSending) {
        return;
      }
      long now = System.nanoTime();
      Sender due;
      while ((due = queue.peek()) != null && due.nextAt <= now) {
        queue.poll();
        if (due.nextAt >= measureFrom && due.nextAt < measureUntil) {
          tallies[due.tally].sendLag.recordValue(
              Math.min(Math.max(1, (now - due.nextAt) / 1000), 60_000_000L));
        }
        due.send();
        due.nextAt += due.nextAt < warmUntil ? due.warmPeriod : due.period;
        due.shiftIfMeasuredRate();
        queue.add(due);
        now = System.nanoTime();
      }
      Sender next = queue.peek();
      if (next != null) {
        // Dense (due within a tick): one tick from now takes whatever falls due meanwhile.
        long delay = Math.max(next.nextAt - now, DENSE_GAP_NANOS);
        loop.schedule(this::sendDue, delay, TimeUnit.NANOSECONDS);
      }
    }

    void record(int tally, long scheduledAt, long now) {
      if (scheduledAt >= measureFrom && scheduledAt < measureUntil) {
        Tally t = tallies[tally];
        t.received++;
        t.histogram.recordValue(Math.min(Math.max(1, (now - scheduledAt) / 1000), 60_000_000L));
      }
    }
  }

  /**
   * One load session: sends on its schedule, records each echo. Runs on its event loop. On KCP it
   * is its session's handler; on raw UDP its socket's {@link PerfRawUdp.ClientSocket} hands it the
   * echoes.
   */
  final class Sender extends ChannelInboundHandlerAdapter {
    final int id;

    /** Plain datagrams ({@link PerfRawUdp}) rather than a KCP session. */
    final boolean raw;

    /** Which of its pacer's tallies it counts in: {@link #MAIN} or {@link #FLOOR}. */
    final int tally;

    /** A floor twin's KCP session, whose schedule it follows shifted by {@link #shift}. */
    Sender twinOf;

    /** Added once to the schedule when it reaches the measured rate (a twin: half a period). */
    long shift;

    /** Its KCP session, or its raw datagram channel (UDP protocol). */
    Channel channel;

    Pacer pacer;
    long nextAt;
    long period;

    /** The send period during the warm-up. */
    long warmPeriod;

    Sender(int id, boolean raw, int tally) {
      this.id = id;
      this.raw = raw;
      this.tally = tally;
    }

    /** Applies {@link #shift} once, at the first send time at the measured rate. */
    void shiftIfMeasuredRate() {
      if (shift != 0 && nextAt >= warmUntil) {
        nextAt += shift;
        shift = 0;
      }
    }

    void send() {
      if (!channel.isActive()) {
        return;
      }
      boolean inWindow = nextAt >= measureFrom && nextAt < measureUntil;
      if (!channel.isWritable()) {
        // The engine's queue is above its high water mark: the offered load exceeds what this
        // session carries. Skip (and count) rather than queue without bound.
        if (inWindow) {
          pacer.tallies[tally].skipped++;
        }
        return;
      }
      if (inWindow) {
        pacer.tallies[tally].sent++;
      }
      if (raw) {
        ByteBuf d = PerfRawUdp.datagram(channel.alloc(), PerfProtocol.ECHO, id, nextAt, s.size());
        rawDatagramsOut.increment();
        rawBytesOut.add(d.readableBytes());
        if (StageTrace.ON) {
          StageTrace.mark(TRACE_RAW_SEND);
        }
        channel.writeAndFlush(new DatagramPacket(d, s.server()), channel.voidPromise());
        if (StageTrace.ON) {
          StageTrace.mark(TRACE_RAW_SENT);
        }
        return;
      }
      ByteBuf m = PerfProtocol.message(channel.alloc(), PerfProtocol.ECHO, id, nextAt, s.size());
      if (StageTrace.ON) {
        StageTrace.mark(TRACE_KCP_SEND);
      }
      channel.writeAndFlush(m, channel.voidPromise());
      if (StageTrace.ON) {
        StageTrace.mark(TRACE_KCP_SENT);
      }
    }

    /** The echo of the message scheduled at {@code stamp} came back (on the event loop). */
    void echoed(long stamp) {
      pacer.record(tally, stamp, System.nanoTime());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf m = (ByteBuf) msg;
      try {
        if (PerfProtocol.type(m) == PerfProtocol.ECHO) {
          if (StageTrace.ON) {
            StageTrace.mark(TRACE_KCP_ECHOED);
          }
          echoed(PerfProtocol.stamp(m));
        }
      } finally {
        m.release();
      }
    }
  }

  /**
   * The bulk session: keeps the engine's queue full of SINK messages while writable. A kcpj perf
   * server drops them; a plain echo peer returns them, and their bytes are counted.
   */
  final class Bulk extends ChannelInboundHandlerAdapter {
    final LongAdder echoedBytes = new LongAdder();

    void fill(KcpChannel ch) {
      // Flushing each message lets the channel update isWritable() from the engine's queue.
      while (ch.isWritable() && !stopSending) {
        ch.writeAndFlush(
            PerfProtocol.message(ch.alloc(), PerfProtocol.SINK, 0, 0, s.size()), ch.voidPromise());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      System.err.println("bulk session: " + cause);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        fill((KcpChannel) ctx.channel());
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf m = (ByteBuf) msg;
      echoedBytes.add(m.readableBytes());
      m.release();
    }
  }

  /** The control session: one STATS request at a time. */
  static final class Control extends ChannelInboundHandlerAdapter {
    /** How long a STATS reply may take once the server has answered before. */
    private static final long STATS_TIMEOUT_SECONDS = 15;

    private volatile CompletableFuture<PerfProtocol.ServerStats> pending;
    private final CompletableFuture<Void> answered = new CompletableFuture<>();

    /**
     * Replies still due to keepalive requests: they come before the reply to any later request (one
     * KCP session, answered in order) and are dropped. Written by the waiting thread, read and
     * decremented on the event loop.
     */
    private final AtomicInteger keepAliveRepliesDue = new AtomicInteger();

    /** When the last request (STATS or keepalive) was sent, System.nanoTime(). */
    volatile long lastRequestNanos = System.nanoTime();

    /** Sends a STATS request whose reply is dropped: traffic that keeps the session open. */
    void keepAlive(KcpChannel ch) {
      lastRequestNanos = System.nanoTime();
      keepAliveRepliesDue.incrementAndGet();
      ch.writeAndFlush(
          PerfProtocol.message(ch.alloc(), PerfProtocol.STATS_REQUEST, -1, 0, PerfProtocol.HEADER));
    }

    /**
     * Sends a STATS request and an ECHO, waits up to {@code timeout} for any message back (a STATS
     * reply, or an echo from a plain echo peer), then up to {@link PerfProtocol#STATS_PROBE_MILLIS}
     * for a STATS reply.
     *
     * @return whether the peer answered STATS (a kcpj perf server)
     * @throws PortUnreachableException if the kernel reports the port unreachable meanwhile
     * @throws SocketTimeoutException if nothing comes back in time
     */
    boolean awaitAnswer(KcpChannel ch, Duration timeout, InetSocketAddress server, String hint)
        throws Exception {
      CompletableFuture<PerfProtocol.ServerStats> stats = new CompletableFuture<>();
      pending = stats;
      lastRequestNanos = System.nanoTime();
      ch.write(
          PerfProtocol.message(ch.alloc(), PerfProtocol.STATS_REQUEST, -1, 0, PerfProtocol.HEADER));
      ch.writeAndFlush(
          PerfProtocol.message(ch.alloc(), PerfProtocol.ECHO, -1, 0, PerfProtocol.HEADER));
      try {
        answered.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw noAnswer(server, timeout, hint);
      } catch (ExecutionException e) {
        throw rethrow(e);
      }
      try {
        stats.get(PerfProtocol.STATS_PROBE_MILLIS, TimeUnit.MILLISECONDS);
        return true;
      } catch (TimeoutException e) {
        return false; // an echo peer: client-side figures only
      } catch (ExecutionException e) {
        throw rethrow(e);
      }
    }

    PerfProtocol.ServerStats request(KcpChannel ch, InetSocketAddress server) throws Exception {
      CompletableFuture<PerfProtocol.ServerStats> f = new CompletableFuture<>();
      pending = f;
      lastRequestNanos = System.nanoTime();
      ch.writeAndFlush(
          PerfProtocol.message(ch.alloc(), PerfProtocol.STATS_REQUEST, -1, 0, PerfProtocol.HEADER));
      try {
        return f.get(STATS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new SocketTimeoutException(
            "no STATS reply from "
                + address(server)
                + " within "
                + STATS_TIMEOUT_SECONDS
                + "s (the server answered before: it stopped, or the path lost every packet)");
      } catch (ExecutionException e) {
        throw rethrow(e);
      }
    }

    /** The socket reported the server's port unreachable: fail whatever waits. */
    void refused(InetSocketAddress server, Throwable cause) {
      PortUnreachableException e =
          new PortUnreachableException(
              "connection refused: nothing listens on UDP " + address(server));
      e.initCause(cause);
      answered.completeExceptionally(e);
      CompletableFuture<PerfProtocol.ServerStats> p = pending;
      if (p != null) {
        p.completeExceptionally(e);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf m = (ByteBuf) msg;
      try {
        answered.complete(null);
        if (m.readableBytes() >= PerfProtocol.HEADER
            && PerfProtocol.type(m) == PerfProtocol.STATS_REPLY
            && pending != null) {
          if (keepAliveRepliesDue.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return; // a keepalive's reply (released below)
          }
          try {
            pending.complete(PerfProtocol.ServerStats.read(m));
          } catch (IllegalArgumentException malformed) {
            pending.completeExceptionally(malformed); // the run fails with the reason
          }
        }
      } finally {
        m.release();
      }
    }

    /** The one line for a server that did not answer within {@code timeout}. */
    static SocketTimeoutException noAnswer(
        InetSocketAddress server, Duration timeout, String hint) {
      return new SocketTimeoutException(
          "no answer from "
              + address(server)
              + " within "
              + format(timeout)
              + (hint != null
                  ? hint
                  : " (is a kcpj perf server or a KCP echo server running there, and is UDP let"
                      + " through?)"));
    }

    private static Exception rethrow(ExecutionException e) {
      Throwable c = e.getCause();
      return c instanceof Exception ? (Exception) c : e;
    }

    private static String address(InetSocketAddress a) {
      return a.getHostString() + ":" + a.getPort();
    }

    private static String format(Duration d) {
      return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
  }

  /**
   * The last handler of each client datagram channel: a refused port on the (connected) control
   * socket fails the run; other socket errors are counted and the latest kept, never logged.
   */
  @Sharable
  final class SocketErrors extends ChannelInboundHandlerAdapter {
    volatile Control control;
    final LongAdder errors = new LongAdder();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof PortUnreachableException && control != null) {
        control.refused(s.server(), cause);
      } else {
        errors.increment();
      }
    }
  }
}
