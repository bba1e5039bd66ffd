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
    List<RunResult> results = new ArrayList<>();
    NetemPaths paths = NetemPaths.create(plan.profiles().get(0), plan.seed(), true);
    try (TunBridge bridge = TunBridge.builder().pathAtoB(paths.aToB()).pathBtoA(paths.bToA())
        .build().start()) {
      info.put("kernel TCP congestion control", KernelTcp.congestionControl(bridge, Side.A)
          + " (client namespace), " + KernelTcp.congestionControl(bridge, Side.B) + " (server)");
      info.put("bridge", bridge.namespaceA() + " " + bridge.addressA().getHostAddress() + " <-> "
          + bridge.namespaceB() + " " + bridge.addressB().getHostAddress()
          + ", each flow on its own netem-sim link");
      Process server = startServer(bridge);
      try {
        int total = plan.profiles().size();
        for (int i = 0; i < total; i++) {
          Profile profile = plan.profiles().get(i);
          paths.setProfile(profile, plan.seed() * 1_000_003L + i);
          progress.accept(String.format(Locale.ROOT, "[%d/%d] %s: running %d transports for %.0f s"
              + " of sending...", i + 1, total, profile.name(), plan.kcp().size() + (plan.tcp() ? 1 : 0),
              plan.workload().sendingMillis() / 1000.0));
          results.addAll(runProfile(bridge, paths, profile, progress));
        }
      } finally {
        server.getOutputStream().close();
        if (!server.waitFor(5, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
    }
    return results;
  }

  private Process startServer(TunBridge bridge) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = bridge.command(Side.B, java, "-cp", System.getProperty("java.class.path"),
        EchoServerMain.class.getName(), bridge.addressB().getHostAddress(),
        Integer.toString(TCP_PORT)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("READY")) {
      p.destroyForcibly();
      throw new IOException("the echo server in " + bridge.namespaceB() + " did not start: " + line);
    }
    return p;
  }

  private List<RunResult> runProfile(TunBridge bridge, NetemPaths paths, Profile profile,
      Consumer<String> progress) throws Exception {
    Workload w = plan.workload();
    long retransBefore = KernelTcp.retransmittedSegments(bridge, Side.A)
        + KernelTcp.retransmittedSegments(bridge, Side.B);
    List<RunResult> results = new ArrayList<>();
    ExecutorService clients = Executors.newCachedThreadPool(bridge.threadFactory(Side.A));
    try {
      TcpClientRun tcp = null;
      Future<?> tcpDone = null;
      if (plan.tcp()) {
        TcpClientRun run = new TcpClientRun(
            new InetSocketAddress(bridge.addressB(), TCP_PORT), w, drainMillis);
        tcp = run;
        tcpDone = clients.submit(() -> {
          run.run();
          return null;
        });
      }
      for (KcpTransport t : plan.kcp()) {
        throw new UnsupportedOperationException(
            "KCP over the bridge needs kcp-netty's client, which has not landed: " + t.name());
      }
      if (tcpDone != null) {
        tcpDone.get();
        long retransAfter = KernelTcp.retransmittedSegments(bridge, Side.A)
            + KernelTcp.retransmittedSegments(bridge, Side.B);
        long wire = paths.flow(6, tcp.localPort, TCP_PORT).totalBytes();
        RunResult r = RunResult.builder().profile(profile.name()).transport("tcp")
            .transportDetail("kernel TCP, TCP_NODELAY, cc=" + KernelTcp.congestionControl(bridge, Side.A))
            .mode("bridge").rttMicros(tcp.rtt).messagesSent(tcp.sent).messagesEchoed(tcp.echoed)
            .goodputBytes(tcp.goodputBytes).wireBytes(wire).retransmits(retransAfter - retransBefore)
            .durationMillis(tcp.durationMillis).build();
        results.add(r);
        progress.accept(line(r));
      }
    } finally {
      clients.shutdownNow();
    }
    return results;
  }

  static String line(RunResult r) {
    return String.format(Locale.ROOT, "      %s × %s: mean %.1f ms, p99 %.1f ms, %d undelivered,"
        + " wire/goodput %.2f, %d retransmits", r.profile(), r.transport(), r.meanRttMillis(),
        r.rttMillisAt(99), r.messagesLost(), r.overhead(), r.retransmits());
  }
}
