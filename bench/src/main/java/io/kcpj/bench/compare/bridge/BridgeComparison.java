package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.Comparison;
import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.RunResult;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.tun.NetemPaths;
import io.kcpj.netem.tun.Side;
import io.kcpj.netem.tun.TunBridge;
import io.kcpj.netem.tun.TunPreflight;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The comparison in real time over netem-sim's TUN bridge: clients in namespace A (threads of this
 * JVM that entered it), servers in a separate process in namespace B, every packet crossing the
 * simulated link. TCP is the kernel's own; KCP runs over real UDP sockets with kcp-netty. All
 * transports of a profile run at the same time, each flow on its own link instance with the same
 * profile and seed (no shared bottleneck), and wire bytes are counted per flow at the bridge, IP
 * and transport headers included.
 */
public final class BridgeComparison {
  static final int TCP_PORT = 5000;
  static final int KCP_BASE_PORT = 6000;

  /** A locally administered address, used as Netty's machine id inside the namespaces. */
  static final String MACHINE_ID = "02:6b:63:70:6a:01";

  private final Comparison plan;
  private final long drainMillis;

  public BridgeComparison(Comparison plan, long drainMillis) {
    this.plan = plan;
    this.drainMillis = drainMillis;
  }

  /** Null when the bridge can run here; otherwise why not. */
  public static String whyUnavailable() {
    return TunPreflight.problem().orElse(null);
  }

  /**
   * Runs every profile; adds facts about the kernel to {@code info}.
   *
   * @param progress one line per finished profile and transport
   */
  public List<RunResult> run(Map<String, String> info, Consumer<String> progress) throws Exception {
    // Namespaces have no hardware address for Netty's channel ids: give it one, quietly.
    System.setProperty("io.netty.machineId", System.getProperty("io.netty.machineId", MACHINE_ID));
    List<RunResult> results = new ArrayList<>();
    NetemPaths paths = NetemPaths.create(plan.profiles().get(0), plan.seed(), true);
    try (TunBridge bridge =
        TunBridge.builder().pathAtoB(paths.aToB()).pathBtoA(paths.bToA()).build().start()) {
      info.put(
          "kernel TCP congestion control",
          KernelTcp.congestionControl(bridge, Side.A)
              + " (client namespace), "
              + KernelTcp.congestionControl(bridge, Side.B)
              + " (server)");
      info.put(
          "bridge",
          bridge.namespaceA()
              + " "
              + bridge.addressA().getHostAddress()
              + " <-> "
              + bridge.namespaceB()
              + " "
              + bridge.addressB().getHostAddress()
              + ", each flow on its own netem-sim link");
      ServerProcess server = startServer(bridge);
      EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      try {
        int total = plan.profiles().size();
        for (int i = 0; i < total; i++) {
          Profile profile = plan.profiles().get(i);
          long seed = plan.seed() * 1_000_003L + i;
          paths.setProfile(profile, seed);
          progress.accept(
              String.format(
                  Locale.ROOT,
                  "[%d/%d] %s: running %d transports for %.0f s" + " of sending...",
                  i + 1,
                  total,
                  profile.name(),
                  plan.kcp().size() + (plan.tcp() ? 1 : 0),
                  plan.workload().sendingMillis() / 1000.0));
          results.addAll(runProfile(bridge, paths, server, clientLoop, profile, seed, progress));
        }
      } finally {
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        server.close();
      }
    }
    return results;
  }

  /** The server process in namespace B and its command pipe. */
  private static final class ServerProcess implements AutoCloseable {
    final Process process;
    final BufferedReader out;
    final java.io.Writer in;

    ServerProcess(Process process) {
      this.process = process;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Retransmitted segments per KCP server so far. */
    long[] kcpRetransmits(int servers) throws IOException {
      in.write("STATS\n");
      in.flush();
      long[] r = new long[servers];
      String line;
      while ((line = out.readLine()) != null && !line.equals("END")) {
        String[] f = line.split(" ");
        if (f.length == 3 && f[0].equals("STATS")) {
          r[Integer.parseInt(f[1])] = Long.parseLong(f[2]);
        }
      }
      return r;
    }

    @Override
    public void close() throws IOException {
      in.close();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private ServerProcess startServer(TunBridge bridge) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Dio.netty.machineId=" + MACHINE_ID,
                "-cp",
                System.getProperty("java.class.path"),
                EchoServerMain.class.getName(),
                bridge.addressB().getHostAddress(),
                Integer.toString(TCP_PORT),
                Integer.toString(KCP_BASE_PORT),
                Integer.toString(plan.workload().responseSize())));
    for (KcpTransport t : plan.kcp()) {
      cmd.add(t.config().toString());
    }
    Process p =
        bridge
            .command(Side.B, cmd.toArray(new String[0]))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    ServerProcess server = new ServerProcess(p);
    String line = server.out.readLine();
    if (line == null || !line.startsWith("READY")) {
      p.destroyForcibly();
      throw new IOException(
          "the echo server in " + bridge.namespaceB() + " did not start: " + line);
    }
    return server;
  }

  private List<RunResult> runProfile(
      TunBridge bridge,
      NetemPaths paths,
      ServerProcess server,
      EventLoopGroup clientLoop,
      Profile profile,
      long seed,
      Consumer<String> progress)
      throws Exception {
    Workload w = plan.workload();
    List<RunResult> results = new ArrayList<>();
    int clientsCount = plan.kcp().size() + (plan.tcp() ? 1 : 0);
    WarmupGate gate = new WarmupGate(clientsCount);
    ExecutorService clients = Executors.newCachedThreadPool(bridge.threadFactory(Side.A));
    try {
      List<KcpClientRun> kcpRuns = new ArrayList<>();
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < plan.kcp().size(); i++) {
        KcpClientRun run =
            new KcpClientRun(
                new InetSocketAddress(bridge.addressB(), KCP_BASE_PORT + i),
                plan.kcp().get(i),
                w,
                clientLoop,
                drainMillis,
                gate);
        kcpRuns.add(run);
        done.add(
            clients.submit(
                () -> {
                  run.run();
                  return null;
                }));
      }
      TcpClientRun tcp = null;
      if (plan.tcp()) {
        TcpClientRun run =
            new TcpClientRun(
                new InetSocketAddress(bridge.addressB(), TCP_PORT), w, drainMillis, gate);
        tcp = run;
        done.add(
            clients.submit(
                () -> {
                  run.run();
                  return null;
                }));
      }
      if (!gate.awaitAllWarm(60, TimeUnit.SECONDS)) {
        progress.accept("      warning: not every client finished its warm-up within 60 s");
      }
      // Measure from here: the profile's timeline restarts, counters are read as baselines.
      paths.setProfile(profile, seed);
      long retransBefore =
          KernelTcp.retransmittedSegments(bridge, Side.A)
              + KernelTcp.retransmittedSegments(bridge, Side.B);
      long[] serverRetransBefore = server.kcpRetransmits(plan.kcp().size());
      long[] wireBefore = new long[kcpRuns.size()];
      for (int i = 0; i < kcpRuns.size(); i++) {
        wireBefore[i] = paths.flow(17, kcpRuns.get(i).localPort, KCP_BASE_PORT + i).totalBytes();
      }
      long tcpWireBefore = tcp == null ? 0 : paths.flow(6, tcp.localPort, TCP_PORT).totalBytes();
      gate.open();
      for (Future<?> f : done) {
        f.get();
      }
      long[] serverRetransAfter = server.kcpRetransmits(plan.kcp().size());
      for (int i = 0; i < kcpRuns.size(); i++) {
        KcpClientRun run = kcpRuns.get(i);
        KcpTransport t = plan.kcp().get(i);
        NetemPaths.FlowCounters flow = paths.flow(17, run.localPort, KCP_BASE_PORT + i);
        RunResult r =
            RunResult.builder()
                .profile(profile.name())
                .transport(t.name())
                .transportDetail(t.config().toString() + ",kcp-netty")
                .mode("bridge")
                .rttMicros(run.tally.rtt())
                .messagesSent(run.sent)
                .messagesEchoed(run.tally.echoed())
                .goodputBytes(run.tally.goodputBytes(run.sent))
                .wireBytes(flow.totalBytes() - wireBefore[i])
                .retransmits(run.retransmits + serverRetransAfter[i] - serverRetransBefore[i])
                .durationMillis(run.tally.durationMillis())
                .note(
                    join(
                        bulkNote(w, run.tally.echoed(), run.tally.durationMillis()),
                        linkNote(flow)))
                .build();
        results.add(r);
        progress.accept(line(r));
      }
      if (tcp != null) {
        long retransAfter =
            KernelTcp.retransmittedSegments(bridge, Side.A)
                + KernelTcp.retransmittedSegments(bridge, Side.B);
        NetemPaths.FlowCounters flow = paths.flow(6, tcp.localPort, TCP_PORT);
        RunResult r =
            RunResult.builder()
                .profile(profile.name())
                .transport("tcp")
                .transportDetail(
                    "kernel TCP, TCP_NODELAY, cc=" + KernelTcp.congestionControl(bridge, Side.A))
                .mode("bridge")
                .rttMicros(tcp.tally.rtt())
                .messagesSent(tcp.sent)
                .messagesEchoed(tcp.tally.echoed())
                .goodputBytes(tcp.tally.goodputBytes(tcp.sent))
                .wireBytes(flow.totalBytes() - tcpWireBefore)
                .retransmits(retransAfter - retransBefore)
                .durationMillis(tcp.tally.durationMillis())
                .note(
                    join(
                        bulkNote(w, tcp.tally.echoed(), tcp.tally.durationMillis()),
                        linkNote(flow)))
                .build();
        results.add(r);
        progress.accept(line(r));
      }
    } finally {
      gate.open();
      clients.shutdownNow();
    }
    return results;
  }

  /** For bulk runs, the goodput achieved; empty otherwise. */
  static String bulkNote(Workload w, int echoed, long durationMillis) {
    if (w.kind() != Workload.Kind.BULK) {
      return "";
    }
    if (echoed < w.messageCount()) {
      return "bulk transfer unfinished: " + echoed + " of " + w.messageCount() + " chunks";
    }
    return String.format(
        Locale.ROOT, "goodput %.1f kbit/s", w.bulkBytes() * 8.0 / Math.max(1, durationMillis));
  }

  /** What the simulated link did to one flow: packets offered and delivered per direction. */
  static String linkNote(NetemPaths.FlowCounters c) {
    io.kcpj.netem.Direction ab = io.kcpj.netem.Direction.A_TO_B;
    io.kcpj.netem.Direction ba = io.kcpj.netem.Direction.B_TO_A;
    return String.format(
        Locale.ROOT,
        "link packets delivered/offered: up %d/%d, down %d/%d",
        c.delivered(ab),
        c.packets(ab),
        c.delivered(ba),
        c.packets(ba));
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
  }

  static String line(RunResult r) {
    return String.format(
        Locale.ROOT,
        "      %s × %s: mean %.1f ms, p99 %.1f ms, %d undelivered,"
            + " wire/goodput %.2f, %d retransmits %s",
        r.profile(),
        r.transport(),
        r.meanRttMillis(),
        r.rttMillisAt(99),
        r.messagesLost(),
        r.overhead(),
        r.retransmits(),
        r.note());
  }
}
