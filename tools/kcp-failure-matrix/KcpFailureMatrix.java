import io.kcpj.core.KcpConfig;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureDrop;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.proxy.UdpProxy;
import io.kcpj.netem.timeline.Scope;
import io.kcpj.netem.timeline.Timeline;
import io.kcpj.netty.KcpChannel;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpClientCodecBuilder;
import io.kcpj.netty.KcpDropReason;
import io.kcpj.netty.KcpServerCodec;
import io.kcpj.netty.KcpServerCodecBuilder;
import io.kcpj.netty.KcpSessionLayerEvent;
import io.kcpj.netty.secure.SecureClientLayer;
import io.kcpj.netty.secure.SecureServerLayer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.Future;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The kcpj columns of the README's failure matrix measured with real UDP sockets in real time: the
 * same six failures, stream and options as {@code FailureMatrixTest} (virtual time), but a real
 * kcp-netty server in a process of its own, a real kcp-netty client in this one, and netem-sim's
 * {@link UdpProxy} between them (20 ms each way, its timeline makes the blackouts and the NAT
 * rebinding).
 *
 * <pre>
 * javac -d target/kfm -cp bench/target/kcpj.jar tools/kcp-failure-matrix/KcpFailureMatrix.java
 * java -cp bench/target/kcpj.jar:target/kfm KcpFailureMatrix run secure|plain SCENARIO
 * </pre>
 *
 * Prints one line: the mode, the scenario and the cell, "client: ...; server: ...", in the virtual
 * table's words. {@code run.sh} runs every scenario of both modes at once. The server process is
 * started by the runner ({@code server} mode; it reads commands on stdin and prints its events with
 * their {@code System.nanoTime()}, which is the machine's monotonic clock and so comparable across
 * the two processes). It is started as {@code KcpFailureMatrix} on this process's class path, so
 * the class must be compiled (not run as a source file).
 */
public final class KcpFailureMatrix {
  static final byte[] PSK = fill(32, 1);
  static final byte[] RESET_KEY = fill(32, 2);
  static final long ONE_WAY_MS = 20;
  static final long PERIOD_MS = 50;
  static final long WARM_UP_MS = 20_000;
  static final long HORIZON_MS = 400_000;
  static final long FOREVER_MS = 3_600_000;
  static final KcpConfig PLAIN = KcpConfig.fast();
  static final KcpConfig SECURE =
      KcpConfig.fast().toBuilder()
          .mtu(KcpConfig.fast().mtu() - SecureWire.TRANSPORT_OVERHEAD)
          .build();

  /** The failures: the first six are the README's rows, the last two variants of the first. */
  enum Failure {
    SERVER_KILLED(0, true),
    SERVER_RESTARTED(0, true),
    BLACKOUT_30S(30_000, true),
    NAT_REBINDING(0, true),
    CLIENT_VANISHED(0, true),
    PARTITION_90S(90_000, true),
    /** SIGKILL on a live host, no proxy: the client talks to the server's port directly. */
    SERVER_KILLED_HOST_UP(0, false),
    /** The same, the client's datagram channel connected to the server (ICMP errors reported). */
    SERVER_KILLED_CONNECTED(0, false);

    final long outageMs;
    final boolean proxied;

    Failure(long outageMs, boolean proxied) {
      this.outageMs = outageMs;
      this.proxied = proxied;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[0].equals("server")) {
      Server.run(args[1].equals("secure"), Integer.parseInt(args[2]), args.length > 3);
    } else if (args.length == 3 && args[0].equals("run")) {
      boolean secure = args[1].equals("secure");
      Failure f = Failure.valueOf(args[2]);
      long start = System.nanoTime();
      String cell = new Run(secure, f).play();
      System.out.printf(
          Locale.ROOT,
          "%-6s %-21s %s  [wall %.0f s]%n",
          secure ? "secure" : "plain",
          f,
          cell,
          (System.nanoTime() - start) / 1e9);
      System.exit(0);
    } else {
      System.err.println(
          "usage: KcpFailureMatrix run secure|plain " + Arrays.toString(Failure.values()));
      System.exit(2);
    }
  }

  // ------------------------------------------------------------------------------ server process

  /**
   * The server process: binds {@link #serverHost()}:port (0 = any), echoes, prints "EV nanos what" for each
   * session opened, closed or moved, and answers stdin commands: {@code bind} (standby mode: bind
   * only now), {@code mark} (remember the drop counters), {@code report} (print what changed since
   * the mark).
   */
  static final class Server {
    final boolean secure;
    final KcpServerCodec codec;
    final SecureServerLayer layer;
    final long[] codecMark = new long[KcpDropReason.values().length];
    final long[] layerMark = new long[SecureDrop.values().length];
    long resetsMark;
    boolean defaultsPrinted;

    Server(boolean secure) {
      this.secure = secure;
      codec =
          new KcpServerCodecBuilder()
              .config(secure ? SECURE : PLAIN)
              .handler(
                  new ChannelInitializer<KcpChannel>() {
                    @Override
                    protected void initChannel(KcpChannel ch) {
                      ch.pipeline().addLast(new Echo());
                    }
                  })
              .build();
      layer =
          secure
              ? new SecureServerLayer(
                  SecureServerConfig.builder().psk(PSK).resetKey(RESET_KEY).build(),
                  false,
                  1_000,
                  100)
              : null;
    }

    /** The address the server binds: 127.0.0.1, or the system property {@code kfm.host}. */
    static String serverHost() {
      return System.getProperty("kfm.host", "127.0.0.1");
    }

    static void run(boolean secure, int port, boolean standby) throws Exception {
      PrintStream out = System.out;
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      Server s = new Server(secure);
      MultiThreadIoEventLoopGroup group =
          new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      Bootstrap b =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(new FirstDatagram());
                      if (s.layer != null) {
                        ch.pipeline().addLast(s.layer);
                      }
                      ch.pipeline().addLast(s.codec);
                    }
                  });
      Channel ch = b.register().sync().channel();
      if (standby) { // everything is loaded and warmed; binding is all that is left
        warmUp(secure, group);
        out.println("STANDBY");
        String line;
        while ((line = in.readLine()) != null && !line.equals("bind")) {}
      }
      ch.bind(new InetSocketAddress(serverHost(), port)).sync();
      out.println(
          "PORT " + ((InetSocketAddress) ch.localAddress()).getPort() + " " + System.nanoTime());
      for (String line; (line = in.readLine()) != null; ) {
        EventLoop loop = ch.eventLoop();
        switch (line) {
          case "mark" -> {
            loop.submit(s::mark).sync();
            out.println("MARKED");
          }
          case "report" -> out.println("REPORT " + loop.submit(s::report).sync().getNow());
          default -> {}
        }
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /**
     * Runs the receive path of a throwaway server of the same kind once, so that the restarted
     * server's first datagrams do not pay for class loading and first-use set-up (about half a
     * second on the loaded build machine): 40 datagrams that name no session, each answered by a
     * stateless reset (secure) or dropped (plain).
     */
    static void warmUp(boolean secure, MultiThreadIoEventLoopGroup group) throws Exception {
      Server s = new Server(secure);
      Channel ch =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                      c.pipeline().addLast(new FirstDatagram(false));
                      if (s.layer != null) {
                        c.pipeline().addLast(s.layer);
                      }
                      c.pipeline().addLast(s.codec);
                    }
                  })
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      try (java.net.DatagramSocket sender = new java.net.DatagramSocket()) {
        byte[] junk = fill(80, 3);
        junk[0] = secure ? (byte) SecureWire.TYPE_TRANSPORT : 0;
        for (int i = 0; i < 40; i++) {
          junk[1] = (byte) i;
          sender.send(new java.net.DatagramPacket(junk, junk.length, ch.localAddress()));
          Thread.sleep(10);
        }
      }
      Thread.sleep(300);
      ch.close().sync();
    }

    void mark() {
      for (KcpDropReason r : KcpDropReason.values()) {
        codecMark[r.ordinal()] = codec.metrics().datagramsDropped(r);
      }
      if (layer != null) {
        for (SecureDrop r : SecureDrop.values()) {
          layerMark[r.ordinal()] = layer.counters().drops(r);
        }
        resetsMark = layer.counters().statelessResetsSent;
      }
    }

    /** What changed since the mark, in FailureMatrixTest's words, ";"-separated. */
    String report() {
      List<String> parts = new ArrayList<>();
      parts.add(codec.sessionCount() > 0 ? "open" : "no session");
      for (KcpDropReason r : KcpDropReason.values()) {
        long n = codec.metrics().datagramsDropped(r) - codecMark[r.ordinal()];
        if (n > 0) {
          parts.add("drops " + n + " datagrams as " + r);
        }
      }
      if (layer != null) {
        for (SecureDrop r : SecureDrop.values()) {
          long n = layer.counters().drops(r) - layerMark[r.ordinal()];
          if (n > 0) {
            parts.add("secure layer drops " + n + " datagrams as " + r);
          }
        }
        long resets = layer.counters().statelessResetsSent - resetsMark;
        if (resets > 0) {
          parts.add("sends " + resets + " stateless resets");
        }
      }
      return String.join(";", parts);
    }

    /** Ahead of everything: prints when the first datagram after the bind arrived. */
    static final class FirstDatagram extends ChannelInboundHandlerAdapter {
      boolean seen;

      FirstDatagram() {}

      FirstDatagram(boolean print) {
        seen = !print;
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!seen) {
          seen = true;
          System.out.println("FIRST " + System.nanoTime());
        }
        ctx.fireChannelRead(msg);
      }
    }

    /** The server's application: echoes and prints its sessions' events. */
    final class Echo extends ChannelInboundHandlerAdapter {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        if (!defaultsPrinted) {
          defaultsPrinted = true;
          System.out.println(
              "DEFAULTS server IDLE_TIMEOUT_MILLIS "
                  + ctx.channel().config().getOption(KcpChannelOption.IDLE_TIMEOUT_MILLIS));
        }
        System.out.println("EV " + System.nanoTime() + " open");
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        System.out.println(
            "EV " + System.nanoTime() + " close " + ((KcpChannel) ctx.channel()).closeReason());
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.writeAndFlush(msg);
      }

      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof KcpSessionLayerEvent.PathChanged) {
          System.out.println("EV " + System.nanoTime() + " PathChanged");
        }
        ctx.fireUserEventTriggered(evt);
      }
    }
  }

  /** A server process seen from the runner: its stdin, and its stdout's lines as they come. */
  static final class ServerProcess {
    final Process process;
    final PrintStream stdin;
    final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    final List<String> events = new ArrayList<>(); // "nanos what", guarded by this
    volatile String defaults = "";
    volatile long firstDatagramAt = -1;

    ServerProcess(Net net, boolean secure, int port, boolean standby) throws IOException {
      List<String> cmd = new ArrayList<>(net.serverLauncher());
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.addAll(
          List.of(
              "-Xmx128m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "KcpFailureMatrix",
              "server"));
      cmd.add(secure ? "secure" : "plain");
      cmd.add(Integer.toString(port));
      if (standby) {
        cmd.add("standby");
      }
      process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
      Thread reader = new Thread(this::read, "server-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    void read() {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("EV ")) {
            synchronized (this) {
              events.add(line.substring(3));
            }
          } else if (line.startsWith("FIRST ")) {
            firstDatagramAt = Long.parseLong(line.substring(6));
          } else if (line.startsWith("DEFAULTS ")) {
            defaults = line.substring(9);
          } else {
            replies.add(line);
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
      replies.add("EOF");
    }

    String await(String prefix) throws InterruptedException {
      String line = replies.poll(60, TimeUnit.SECONDS);
      if (line == null || !line.startsWith(prefix)) {
        throw new IllegalStateException("server said " + line + ", expected " + prefix);
      }
      return line;
    }

    /** Sessions open now, from its events. */
    synchronized int openSessions() {
      int n = 0;
      for (String e : events) {
        n += e.endsWith(" open") ? 1 : e.contains(" close ") ? -1 : 0;
      }
      return n;
    }

    /** Events at or after {@code t0}: "what after time". */
    synchronized List<String> notesSince(long t0) {
      List<String> notes = new ArrayList<>();
      for (String e : events) {
        int sp = e.indexOf(' ');
        long at = Long.parseLong(e.substring(0, sp));
        String what = e.substring(sp + 1);
        if (at >= t0) {
          what = what.equals("open") ? "new session" : what.replace("close ", "");
          notes.add(what + " after " + time((at - t0) / 1_000_000));
        }
      }
      return notes;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL
      process.waitFor();
    }
  }

  // ------------------------------------------------------------------------------- the path

  /**
   * Where a run's server process and path are: {@link Loopback} (this tool: 127.0.0.1, netem-sim's
   * {@link UdpProxy}), or the TUN bridge of {@code tools/bridge-failure-matrix} (the client in one
   * network namespace, the server in another). A run owns its {@code Net} and closes it.
   */
  interface Net {
    /** How a server process is started: the java launcher and its options, maybe wrapped. */
    List<String> serverLauncher();

    /** The address the server binds and the client sends to (without a proxy). */
    String serverHost();

    /** The address the client's datagram channel binds (port 0). */
    InetSocketAddress clientBind();

    /**
     * Starts the path the run's datagrams take (its profile: 20 ms each way and the failure's
     * timeline) and returns the address the client sends to.
     */
    InetSocketAddress startPath(Failure failure, Profile profile, InetSocketAddress server)
        throws IOException;

    /** The {@code System.nanoTime()} reading that is time 0 of the path's timeline. */
    long originNanos();

    /** Whether t0 is the timeline's (true) or the moment of the kill (false, no timeline). */
    boolean timed(Failure failure);

    /** The path's counters, for an error message ("" if none). */
    String summary();

    /** Stops the path. */
    void close();
  }

  /** This tool's path: everything on 127.0.0.1, through a {@link UdpProxy} unless host-up. */
  static final class Loopback implements Net {
    UdpProxy proxy;
    long origin = System.nanoTime();

    @Override
    public List<String> serverLauncher() {
      return List.of(ProcessHandle.current().info().command().orElse("java"));
    }

    @Override
    public String serverHost() {
      return "127.0.0.1";
    }

    @Override
    public InetSocketAddress clientBind() {
      return new InetSocketAddress("127.0.0.1", 0);
    }

    @Override
    public InetSocketAddress startPath(Failure failure, Profile profile, InetSocketAddress server)
        throws IOException {
      origin = System.nanoTime();
      if (!failure.proxied) {
        return server;
      }
      proxy =
          UdpProxy.builder()
              .listen(new InetSocketAddress("127.0.0.1", 0))
              .target(server)
              .profile(profile)
              .start();
      origin = proxy.clockOriginNanos();
      return proxy.localAddress();
    }

    @Override
    public long originNanos() {
      return origin;
    }

    @Override
    public boolean timed(Failure failure) {
      return failure.proxied;
    }

    @Override
    public String summary() {
      return proxy == null ? "" : ", proxy " + proxy.counters().summary();
    }

    @Override
    public void close() {
      if (proxy != null) {
        proxy.close();
      }
    }
  }

  // ------------------------------------------------------------------------------------ one run

  /** One run: the server process(es), the proxy, the client and what the client observed. */
  static final class Run {
    final boolean secure;
    final Failure failure;
    final Net net;
    // client state, touched on the client's event loop only
    final BitSet echoed = new BitSet();
    final List<String> udpExceptions = new ArrayList<>();
    int udpExceptionCount;
    KcpChannel session;
    int sent;
    int sentAtT0 = -1;
    int echoedAtT0;
    long firstEchoAfterHeal = -1;
    long clientClosedAt = -1;
    long firstDatagramAfterT0 = -1;
    long lastEchoAt = -1;
    boolean draining;
    boolean clientAlive = true;
    volatile long t0 = Long.MAX_VALUE;
    long healedAt = Long.MAX_VALUE;

    Run(boolean secure, Failure failure) {
      this(secure, failure, new Loopback());
    }

    Run(boolean secure, Failure failure, Net net) {
      this.secure = secure;
      this.failure = failure;
      this.net = net;
    }

    Profile profile() {
      return KcpFailureMatrix.profile(failure);
    }

    String play() throws Exception {
      ServerProcess server = new ServerProcess(net, secure, 0, false);
      String[] bound = server.await("PORT ").split(" ");
      int port = Integer.parseInt(bound[1]);
      ServerProcess standby = null;
      if (failure == Failure.SERVER_RESTARTED) {
        standby = new ServerProcess(net, secure, port, true);
        standby.await("STANDBY");
      }
      InetSocketAddress serverAddress = new InetSocketAddress(net.serverHost(), port);
      MultiThreadIoEventLoopGroup group =
          new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      String restartGap = "";
      String defaults;
      try {
        // t0 is the path's time 0 (its timeline's origin, on System.nanoTime()) plus the warm-up
        InetSocketAddress target = net.startPath(failure, profile(), serverAddress);
        long proxyStart = net.originNanos();
        SecureClientConfig clientConfig = SecureClientConfig.builder().psk(PSK).build();
        List<ChannelHandler> handlers = new ArrayList<>();
        SecureClientLayer clientLayer = secure ? new SecureClientLayer(clientConfig) : null;
        if (secure) {
          handlers.add(clientLayer);
        }
        handlers.add(0, new FirstAfterT0());
        handlers.add(new KcpClientCodecBuilder().config(secure ? SECURE : PLAIN).build());
        handlers.add(new UdpErrors());
        Channel udp =
            new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(
                    new ChannelInitializer<Channel>() {
                      @Override
                      protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(handlers.toArray(new ChannelHandler[0]));
                      }
                    })
                .bind(net.clientBind())
                .sync()
                .channel();
        if (failure == Failure.SERVER_KILLED_CONNECTED) {
          udp.connect(serverAddress).sync();
        }
        EventLoop loop = udp.eventLoop();
        Future<KcpChannel> connecting =
            KcpChannel.newBootstrap(udp).remoteAddress(target).handler(new ClientSide()).connect();
        loop.scheduleAtFixedRate(this::sendOne, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        long t0Planned = proxyStart + WARM_UP_MS * 1_000_000;
        sleepUntil(t0Planned - 200_000_000L);
        on(
            loop,
            () -> {
              if (!connecting.isSuccess() || sent < 20 || sent - echoed.cardinality() > 3) {
                throw new IllegalStateException(
                    "not steady before the failure: "
                        + connecting.cause()
                        + ", sent "
                        + sent
                        + ", echoed "
                        + echoed.cardinality()
                        + net.summary());
              }
              return null;
            });
        String serverDefaults = server.defaults;
        defaults =
            on(
                loop,
                () ->
                    "secure idle timeout "
                        + clientConfig.timers().idleTimeout()
                        + " ms, keepalive "
                        + clientConfig.timers().keepaliveInterval()
                        + " ms; client IDLE_TIMEOUT_MILLIS "
                        + session.config().getOption(KcpChannelOption.IDLE_TIMEOUT_MILLIS)
                        + ", DEAD_LINK "
                        + session.config().getOption(KcpChannelOption.DEAD_LINK)
                        + "; "
                        + serverDefaults);
        server.stdin.println("mark");
        server.await("MARKED");
        sleepUntil(t0Planned);
        // t0: the timeline's events start now; the process kills happen now
        on(
            loop,
            () -> {
              t0 = net.timed(failure) ? t0Planned : System.nanoTime();
              healedAt = t0 + failure.outageMs * 1_000_000;
              sentAtT0 = sent;
              echoedAtT0 = echoed.cardinality();
              if (failure == Failure.CLIENT_VANISHED) {
                clientAlive = false;
              }
              return null;
            });
        boolean serverAlive = true;
        switch (failure) {
          case SERVER_KILLED, SERVER_KILLED_HOST_UP, SERVER_KILLED_CONNECTED -> {
            server.kill();
            serverAlive = false;
          }
          case SERVER_RESTARTED -> {
            server.kill();
            server = standby;
            standby = null;
            server.stdin.println("bind");
            long boundAt = Long.parseLong(server.await("PORT ").split(" ")[2]);
            restartGap = "new server bound " + time((boundAt - t0) / 1_000_000) + " after the kill";
          }
          default -> {}
        }
        long deadline = t0 + HORIZON_MS * 1_000_000;
        final ServerProcess current = server;
        final boolean alive = serverAlive;
        while (System.nanoTime() < deadline) {
          Thread.sleep(20);
          boolean settled =
              on(
                  loop,
                  () -> {
                    boolean clientDone = !clientAlive || clientClosedAt >= 0;
                    boolean serverDone = !alive || current.openSessions() == 0;
                    boolean flowing =
                        clientAlive
                            && session.isActive()
                            && System.nanoTime() > healedAt + 60_000_000_000L
                            && firstEchoAfterHeal >= 0
                            && System.nanoTime() - lastEchoAt < 5_000_000_000L;
                    return (clientDone && serverDone) || flowing;
                  });
          if (settled) {
            break;
          }
        }
        on(loop, () -> draining = true);
        Thread.sleep(2_000); // what is in flight is answered before the count
        String report = "";
        if (serverAlive) {
          server.stdin.println("report");
          report = server.await("REPORT ").substring(7);
        }
        String[] counts = report.split(";");
        String cell = on(loop, () -> cell(alive, current, counts));
        if (failure == Failure.SERVER_RESTARTED) {
          long first = current.firstDatagramAt;
          long back = on(loop, () -> firstDatagramAfterT0);
          restartGap +=
              "; its first datagram arrived "
                  + (first < 0 ? "never" : time((first - t0) / 1_000_000))
                  + ", the client's first datagram after the kill "
                  + (back < 0 ? "never" : time((back - t0) / 1_000_000));
        }
        udp.close().sync();
        return cell + " {" + defaults + (restartGap.isEmpty() ? "" : "; " + restartGap) + "}";
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        server.process.destroyForcibly();
        if (standby != null) {
          standby.process.destroyForcibly();
        }
        net.close(); // after the processes: a process in a namespace outlives its name
      }
    }

    String cell(boolean serverAlive, ServerProcess server, String[] report) {
      StringBuilder c = new StringBuilder("client: ");
      if (!clientAlive) {
        c.append("gone");
      } else if (clientClosedAt >= 0) {
        c.append(session.closeReason())
            .append(" after ")
            .append(time((clientClosedAt - t0) / 1_000_000));
      } else {
        c.append("open");
      }
      if (clientAlive) {
        int lost = sent - echoed.cardinality();
        if (firstEchoAfterHeal >= 0) {
          long from = failure.outageMs > 0 ? healedAt : t0;
          c.append(", echoes resume ").append(time((firstEchoAfterHeal - from) / 1_000_000));
          c.append(failure.outageMs > 0 ? " after the heal" : " after the change");
        }
        c.append(", ")
            .append(lost)
            .append(" of ")
            .append(sent - echoedAtT0)
            .append(" requests lost");
        if (!udpExceptions.isEmpty()) {
          c.append(", its datagram channel reports ")
              .append(udpExceptionCount)
              .append(" errors (")
              .append(String.join(", ", udpExceptions))
              .append(")");
        }
      }
      c.append("; server: ");
      if (!serverAlive) {
        c.append("gone");
      } else {
        List<String> parts = new ArrayList<>(server.notesSince(t0));
        List<String> counts = new ArrayList<>(Arrays.asList(report));
        String state = counts.remove(0);
        if (parts.isEmpty()) {
          parts.add(state);
        }
        parts.addAll(counts);
        c.append(String.join(", ", parts));
      }
      return c.toString();
    }

    /** Every 50 ms on the client's loop: one 8-byte request while the session is active. */
    void sendOne() {
      if (!draining && clientAlive && session != null && session.isActive()) {
        session.writeAndFlush(Unpooled.buffer(8).writeInt(sent++).writeInt(0));
      }
    }

    /** The client's application: records echoes and when its channel closed. */
    final class ClientSide extends ChannelInboundHandlerAdapter {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        session = (KcpChannel) ctx.channel();
        session.closeFuture().addListener(f -> clientClosedAt = System.nanoTime());
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        int seq = b.readInt();
        b.release();
        echoed.set(seq);
        lastEchoAt = System.nanoTime();
        long now = System.nanoTime();
        if (sentAtT0 >= 0 && seq >= sentAtT0 && firstEchoAfterHeal < 0 && now >= healedAt) {
          firstEchoAfterHeal = now;
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // the channel closes itself; its close reason is what the cell shows
      }
    }

    /** The first handler of the client's datagram channel: notes the first datagram after t0. */
    final class FirstAfterT0 extends ChannelInboundHandlerAdapter {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (firstDatagramAfterT0 < 0 && sentAtT0 >= 0 && System.nanoTime() >= t0) {
          firstDatagramAfterT0 = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
      }
    }

    /** The last handler of the client's datagram channel: notes errors the socket reports. */
    final class UdpErrors extends ChannelInboundHandlerAdapter {
      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        udpExceptionCount++;
        if (udpExceptions.size() < 2) {
          String at =
              t0 == Long.MAX_VALUE ? "before t0" : time((System.nanoTime() - t0) / 1_000_000);
          udpExceptions.add(cause.getClass().getSimpleName() + " at " + at);
        }
      }
    }
  }

  /** The path of a run: 20 ms each way, nothing else, and the failure's timeline events at t0. */
  static Profile profile(Failure failure) {
    long ms = 1_000_000;
    DirectionProfile oneWay =
        DirectionProfile.builder().delay(DelayModel.constant(ONE_WAY_MS * ms)).build();
    Timeline.Builder t = Timeline.builder();
    long at = WARM_UP_MS * ms;
    switch (failure) {
      case SERVER_KILLED, CLIENT_VANISHED -> t.blackout(Scope.BOTH, at, FOREVER_MS * ms);
      case BLACKOUT_30S, PARTITION_90S -> t.blackout(Scope.BOTH, at, failure.outageMs * ms);
      case NAT_REBINDING -> t.rebind(Scope.UP, at);
      default -> {}
    }
    return Profile.builder().name("failure-matrix").both(oneWay).timeline(t.build()).build();
  }

  static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
    return loop.submit(task).get(10, TimeUnit.SECONDS);
  }

  static void sleepUntil(long nanos) throws InterruptedException {
    for (long left; (left = nanos - System.nanoTime()) > 0; ) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  static String time(long ms) {
    return ms < 1_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  static byte[] fill(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }
}
