package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.Comparison;
import io.kcpj.bench.compare.FloorProfile;
import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.VirtualFloorRun;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The comparison in real time over netem-sim's TUN bridge: clients in namespace A (threads of this
 * JVM that entered it), servers in a separate process in namespace B, every packet crossing the
 * simulated link. TCP is the kernel's own; KCP runs over real UDP sockets with kcp-netty; the floor
 * is a raw UDP echo.
 *
 * <p>Per profile, every row runs at the same time as {@link Comparison#sessions()} sessions, each
 * session a flow of its own with a link of its own: the profile (the floor: {@link FloorProfile
 * without loss}) seeded with {@link Comparison#linkSeed} — by name, as in virtual time. So no two
 * flows share a rate limit, a queue or a random stream. The sessions' schedules are staggered
 * within one send interval so the bridge never sees all flows' messages at once. Wire bytes are
 * counted per flow at the bridge, IP and transport headers included.
 */
public final class BridgeComparison {
  static final int TCP_PORT = 5000;
  static final int FLOOR_PORT = 5001;
  static final int KCP_BASE_PORT = 6000;

  /** A locally administered address, used as Netty's machine id inside the namespaces. */
  static final String MACHINE_ID = "02:6b:63:70:6a:01";

  /** The server process's standard error, kept in the report folder. */
  public static final String SERVER_LOG = "bridge-server.log";

  private final Comparison plan;

  public BridgeComparison(Comparison plan) {
    this.plan = plan;
  }

  /** Null when the bridge can run here; otherwise why not. */
  public static String whyUnavailable() {
    return TunPreflight.problem().orElse(null);
  }

  /** What a registered flow runs on. */
  private record LinkSpec(Profile profile, long seed) {}

  /** Per-flow links of the current profile: registered flows get theirs, others the profile. */
  private static final class FlowLinks implements NetemPaths.FlowLinks {
    final Map<NetemPaths.FlowKey, LinkSpec> flows = new ConcurrentHashMap<>();
    volatile LinkSpec fallback;

    @Override
    public Profile profile(NetemPaths.FlowKey flow) {
      LinkSpec s = flows.get(flow);
      return s != null ? s.profile() : fallback.profile();
    }

    @Override
    public long seed(NetemPaths.FlowKey flow) {
      LinkSpec s = flows.get(flow);
      return s != null ? s.seed() : fallback.seed();
    }
  }

  /**
   * Runs every profile; adds facts about the kernel to {@code info}.
   *
   * @param onRow each finished row, as soon as its profile is done
   * @param progress one line per profile and row
   * @param reportDir where the server process's log goes
   */
  public List<RunResult> run(
      Map<String, String> info,
      Consumer<RunResult> onRow,
      Consumer<String> progress,
      Path reportDir)
      throws Exception {
    // Namespaces have no hardware address for Netty's channel ids: give it one, quietly.
    System.setProperty("io.netty.machineId", System.getProperty("io.netty.machineId", MACHINE_ID));
    plan.profiles().forEach(NetemPaths::requireSupported); // links consult them lazily
    List<RunResult> results = new ArrayList<>();
    FlowLinks links = new FlowLinks();
    links.fallback = new LinkSpec(plan.profiles().get(0), plan.seed());
    NetemPaths paths = NetemPaths.create(plan.profiles().get(0), plan.seed(), true);
    paths.setLinks(links);
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
      ServerProcess server = startServer(bridge, reportDir.resolve(SERVER_LOG));
      EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      try {
        int total = plan.profiles().size();
        for (int i = 0; i < total; i++) {
          Profile profile = plan.profiles().get(i);
          progress.accept(
              String.format(
                  Locale.ROOT,
                  "[%d/%d] %s: %d rows × %d sessions, %.0f s of sending...",
                  i + 1,
                  total,
                  profile.name(),
                  plan.labels(true).size(),
                  plan.sessions(),
                  plan.workload().sendingMillis() / 1000.0));
          List<RunResult> rows = runProfile(bridge, paths, links, server, clientLoop, profile);
          for (RunResult r : rows) {
            results.add(r);
            onRow.accept(r);
            progress.accept("      " + Comparison.line(r));
          }
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
      if (line == null) {
        throw new IOException("the echo server process ended (exit " + exit() + ")");
      }
      return r;
    }

    private String exit() {
      return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        // the process is gone already
      }
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private ServerProcess startServer(TunBridge bridge, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Dio.netty.machineId=" + MACHINE_ID,
                "-D" + EchoServerMain.DELIVERY_PROPERTY + "=" + plan.workload().delivery().label(),
                "-cp",
                System.getProperty("java.class.path"),
                EchoServerMain.class.getName(),
                bridge.addressB().getHostAddress(),
                Integer.toString(TCP_PORT),
                Integer.toString(KCP_BASE_PORT),
                Integer.toString(FLOOR_PORT),
                Integer.toString(plan.workload().responseSize())));
    for (KcpTransport t : plan.kcp()) {
      cmd.add(t.spec());
    }
    Process p =
        bridge
            .command(Side.B, cmd.toArray(new String[0]))
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    ServerProcess server = new ServerProcess(p);
    String line = server.out.readLine();
    if (line == null || !line.startsWith("READY")) {
      p.destroyForcibly();
      throw new IOException(
          "the echo server in "
              + bridge.namespaceB()
              + " did not start (see "
              + log
              + "): "
              + line);
    }
    return server;
  }

  /** Each session's offset within one send interval: every flow of the profile apart. */
  private long[] phases(int row, int rows) {
    long period = Math.round(1e9 / Math.max(plan.workload().rateHz(), 1e-9));
    if (plan.workload().kind() == Workload.Kind.BULK) {
      period = 0;
    }
    int flows = rows * plan.sessions();
    long[] p = new long[plan.sessions()];
    for (int k = 0; k < p.length; k++) {
      p[k] = period * (long) (row * plan.sessions() + k) / flows;
    }
    return p;
  }

  private List<RunResult> runProfile(
      TunBridge bridge,
      NetemPaths paths,
      FlowLinks links,
      ServerProcess server,
      EventLoopGroup clientLoop,
      Profile profile)
      throws Exception {
    Workload w = plan.workload();
    Profile floor = FloorProfile.of(profile);
    links.flows.clear();
    links.fallback = new LinkSpec(profile, plan.seed());
    paths.setLinks(links);
    RowClients.FlowRegistry registry =
        (protocol, clientPort, serverPort, label, session) ->
            links.flows.put(
                new NetemPaths.FlowKey(protocol, clientPort, serverPort),
                new LinkSpec(
                    label.equals(VirtualFloorRun.LABEL) ? floor : profile,
                    plan.linkSeed(profile, label, session)));
    List<String> labels = plan.labels(true);
    List<RowClients> rows = new ArrayList<>();
    WarmupGate gate = new WarmupGate(labels.size());
    long drain = plan.drainMillis();
    InetSocketAddress b = new InetSocketAddress(bridge.addressB(), 0);
    for (int r = 0; r < labels.size(); r++) {
      String label = labels.get(r);
      long[] phases = phases(r, labels.size());
      if (label.equals(VirtualFloorRun.LABEL)) {
        rows.add(
            new FloorRowClients(
                new InetSocketAddress(b.getAddress(), FLOOR_PORT),
                w,
                phases,
                clientLoop,
                drain,
                gate,
                registry));
      } else if (label.equals(Comparison.TCP_LABEL)) {
        rows.add(
            new TcpRowClients(
                new InetSocketAddress(b.getAddress(), TCP_PORT), w, phases, drain, gate, registry));
      } else {
        int i = kcpIndex(label);
        rows.add(
            new KcpRowClients(
                new InetSocketAddress(b.getAddress(), KCP_BASE_PORT + i),
                plan.kcp().get(i),
                w,
                phases,
                clientLoop,
                drain,
                gate,
                registry));
      }
    }
    ExecutorService senders = Executors.newCachedThreadPool(bridge.threadFactory(Side.A));
    List<RunResult> results = new ArrayList<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (RowClients row : rows) {
        done.add(
            senders.submit(
                () -> {
                  row.run();
                  return null;
                }));
      }
      if (!gate.awaitAllWarm(120, TimeUnit.SECONDS)) {
        for (Future<?> f : done) {
          if (f.isDone()) {
            f.get(); // a row that failed while warming up: report its failure
          }
        }
        throw new IOException("not every row finished its warm-up within 120 s");
      }
      // Measure from here: every link restarts (its timeline and random streams from their
      // seeds), counters are read as baselines.
      paths.setLinks(links);
      long retransBefore =
          KernelTcp.retransmittedSegments(bridge, Side.A)
              + KernelTcp.retransmittedSegments(bridge, Side.B);
      long[] serverRetransBefore = server.kcpRetransmits(plan.kcp().size());
      long[] wireBefore = new long[rows.size()];
      for (int r = 0; r < rows.size(); r++) {
        wireBefore[r] = wire(paths, rows.get(r));
      }
      gate.open();
      for (Future<?> f : done) {
        f.get();
      }
      long[] serverRetransAfter = server.kcpRetransmits(plan.kcp().size());
      long retransAfter =
          KernelTcp.retransmittedSegments(bridge, Side.A)
              + KernelTcp.retransmittedSegments(bridge, Side.B);
      for (int r = 0; r < rows.size(); r++) {
        RowClients row = rows.get(r);
        String label = labels.get(r);
        long retransmits;
        String detail;
        String config;
        if (label.equals(VirtualFloorRun.LABEL)) {
          retransmits = 0;
          detail = VirtualFloorRun.SETTINGS + "; path: " + floor.toSpec();
          config = "raw-udp-echo";
        } else if (label.equals(Comparison.TCP_LABEL)) {
          retransmits = retransAfter - retransBefore;
          String cc = KernelTcp.congestionControl(bridge, Side.A);
          detail = "kernel TCP, TCP_NODELAY, cc=" + cc;
          config = "kernel,cc=" + cc + ",nodelay";
        } else {
          int i = kcpIndex(label);
          KcpTransport t = plan.kcp().get(i);
          retransmits = row.retransmits + serverRetransAfter[i] - serverRetransBefore[i];
          detail = t.spec() + ",kcp-netty";
          config = t.compactSettings();
        }
        results.add(
            RunResult.builder()
                .profile(profile.name())
                .transport(label)
                .transportDetail(detail)
                .config(config)
                .mode("bridge")
                .delivery(
                    label.equals(VirtualFloorRun.LABEL)
                        ? "unreliable"
                        : label.equals(Comparison.TCP_LABEL) ? "ordered" : w.delivery().label())
                .sessions(row.sessions)
                .rttMicros(row.tally.rtt())
                .messagesSent(row.sent)
                .messagesEchoed(row.tally.echoed())
                .goodputBytes(row.tally.goodputBytes(row.sent))
                .wireBytes(wire(paths, row) - wireBefore[r])
                .retransmits(retransmits)
                .messagesSuperseded(row.tally.superseded())
                .durationMillis(row.tally.durationMillis())
                .note(
                    join(
                        bulkNote(w, row.tally.echoed(), row.tally.durationMillis()),
                        linkNote(paths, row)))
                .build());
      }
    } finally {
      gate.open();
      senders.shutdownNow();
    }
    return results;
  }

  private int kcpIndex(String label) {
    for (int i = 0; i < plan.kcp().size(); i++) {
      if (plan.kcp().get(i).name().equals(label)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no KCP transport " + label);
  }

  private static long wire(NetemPaths paths, RowClients row) {
    long sum = 0;
    for (int port : row.localPorts) {
      sum += paths.flow(row.protocol(), port, row.serverPort()).totalBytes();
    }
    return sum;
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

  /** What the simulated links did to a row's flows: packets offered and delivered per direction. */
  static String linkNote(NetemPaths paths, RowClients row) {
    io.kcpj.netem.Direction ab = io.kcpj.netem.Direction.A_TO_B;
    io.kcpj.netem.Direction ba = io.kcpj.netem.Direction.B_TO_A;
    long upD = 0;
    long up = 0;
    long downD = 0;
    long down = 0;
    for (int port : row.localPorts) {
      NetemPaths.FlowCounters c = paths.flow(row.protocol(), port, row.serverPort());
      upD += c.delivered(ab);
      up += c.packets(ab);
      downD += c.delivered(ba);
      down += c.packets(ba);
    }
    return String.format(
        Locale.ROOT,
        "link packets delivered/offered (warm-up included): up %d/%d, down %d/%d",
        upD,
        up,
        downD,
        down);
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
  }
}
