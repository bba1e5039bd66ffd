package io.kcpj.bench.cli;

import io.kcpj.bench.compare.CompareRun;
import io.kcpj.bench.compare.Comparison;
import io.kcpj.bench.compare.Delivery;
import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.Profiles;
import io.kcpj.bench.compare.ReferenceTest;
import io.kcpj.bench.compare.Workload;
import io.kcpj.netem.profile.Profile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kcpj compare}: KCP modes against TCP on named weak networks — the project's main job.
 *
 * <p>With no arguments: profiles {@value #DEFAULT_PROFILES}, rows {@code floor}, TCP and KCP {@code
 * classic}, {@code normal}, {@code fast}, each as 10 concurrent sessions, the game workload (20 Hz,
 * 100-byte messages, echoed) for 30 s. Writes its report (index.html, index.md, CSV, JSON,
 * HdrHistogram logs, PNG charts) into a fresh folder under {@code --out}. The work is done by
 * {@link CompareRun}; this class only reads the options.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compare KCP configurations against TCP on weak-network profiles.",
      "Virtual time (netem-sim, deterministic) with --virtual; otherwise real sockets and real",
      "kernel TCP across the TUN bridge when it is permitted (root or CAP_NET_ADMIN on Linux)."
    })
public final class CompareCommand implements Callable<Integer> {
  static final String DEFAULT_PROFILES =
      "kcp-test,3g-lossy,poor,very-poor,cellular-bursty,handover";

  @Option(
      names = {"-p", "--profile"},
      paramLabel = "PROFILE",
      description =
          "Network profiles, repeatable: preset names (a comma-separated list is several"
              + " presets), compact text such as delay=100ms,loss=1%% (one profile), or @file."
              + " Default: "
              + DEFAULT_PROFILES)
  List<String> profiles = new ArrayList<>();

  @Option(
      names = "--kcp",
      paramLabel = "[NAME:]SPEC",
      description =
          "A KCP transport to add, e.g. fast,wnd=256 or mine:nodelay=1,interval=10,resend=2,nc=true."
              + " Repeatable.")
  List<String> extraKcp = new ArrayList<>();

  @Option(
      names = "--modes",
      split = ",",
      paramLabel = "PRESET",
      description = "KCP presets to compare (default classic,normal,fast; 'none' for only --kcp).")
  List<String> modes = new ArrayList<>(List.of("classic", "normal", "fast"));

  @Option(
      names = "--delivery",
      paramLabel = "ordered|unordered|sequenced",
      description =
          "How every transport must deliver the messages; a transport that cannot is refused."
              + " Default: ordered (reliable, in order).")
  String delivery = "ordered";

  @Option(names = "--no-tcp", description = "Leave TCP out.")
  boolean noTcp;

  @Option(names = "--workload", paramLabel = "game|rpc|bulk", description = "Default: game.")
  String workload = "game";

  @Option(
      names = "--rate",
      paramLabel = "HZ",
      description = "Messages per second (game, rpc). Default: 20.")
  double rate = 20;

  @Option(
      names = "--size",
      paramLabel = "BYTES",
      description = "Message or request size. Default: 100.")
  String size = "100";

  @Option(
      names = "--response-size",
      paramLabel = "BYTES",
      description = "rpc response size. Default: 1000.")
  String responseSize = "1000";

  @Option(
      names = "--bulk-size",
      paramLabel = "SIZE",
      description = "bulk transfer size. Default: 1MB.")
  String bulkSize = "1MB";

  @Option(
      names = "--duration",
      paramLabel = "TIME",
      description = "Sending time per session, virtual or real. Default: 30s.")
  String duration = "30s";

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Send exactly N messages per session instead of --duration.")
  int count;

  @Option(
      names = "--sessions",
      paramLabel = "N",
      description =
          "Concurrent sessions per transport and profile, each on its own link with the same"
              + " parameters. Default: 10 (6,000 samples per row at 20 Hz for 30 s); 1 for bulk.")
  Integer sessions;

  @Option(
      names = "--drain",
      paramLabel = "TIME",
      description =
          "How long after the last scheduled message to wait for echoes; a message not echoed"
              + " by then counts as undelivered (+infinity). Default: 15s.")
  String drain = "15s";

  @Option(
      names = "--no-floor",
      description = "Leave out the floor row (a raw UDP echo over the lossless path).")
  boolean noFloor;

  @Option(
      names = "--fate-logs",
      description =
          "Write every link's per-packet fate log under the report's fates/ folder (virtual time).")
  boolean fateLogs;

  @Option(names = "--virtual", description = "Run in virtual time only (deterministic; no TCP).")
  boolean virtual;

  @Option(
      names = "--seed",
      description =
          "Seed of every link's impairments; each link's own seed derives from (seed, profile"
              + " text, transport, session). Default: 1.")
  long seed = 1;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description =
          "Report folder: each run writes DIR/<UTC time>/ and points DIR/latest at it."
              + " Default: kcpj-out/compare.")
  Path out = Path.of("kcpj-out", "compare");

  @Option(
      names = "--reference-test",
      description =
          "Reproduce the C reference's test program (profile kcp-test, 1000 × 8 B echoed at 50 Hz,"
              + " windows 128, its normal and fast modes, several seeds) and say PASS or FAIL"
              + " against its published figures (average ±10 %, maximum ±30 %).")
  boolean referenceTest;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      description = "Seeds for --reference-test. Default: 5.")
  int seeds = 5;

  @Spec CommandSpec spec;

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() throws Exception {
    if (referenceTest) {
      return new ReferenceTest(seeds, List.of()).print(stdout);
    }
    List<Profile> ps = new ArrayList<>();
    for (String spec : profiles.isEmpty() ? List.of(DEFAULT_PROFILES) : profiles) {
      for (String p : profileSpecs(spec)) {
        ps.add(Profiles.resolve(p));
      }
    }
    List<KcpTransport> transports = new ArrayList<>();
    for (String m : modes) {
      if (!m.equalsIgnoreCase("none")) {
        transports.add(KcpTransport.preset(m));
      }
    }
    for (String k : extraKcp) {
      transports.add(KcpTransport.parse(k));
    }
    List<String> notes = new ArrayList<>();
    boolean runVirtual = virtual;
    if (!virtual) {
      String bridgeProblem = BridgeAvailability.whyUnavailable();
      if (bridgeProblem != null) {
        runVirtual = true;
        notes.add(
            "TCP was skipped and KCP ran in virtual time over netem-sim's in-memory network,"
                + " because the TUN bridge is not available: "
                + bridgeProblem);
        stderr.println("kcpj compare: " + notes.get(notes.size() - 1));
      }
    }
    if (runVirtual && !noTcp && virtual) {
      notes.add(
          "TCP is not part of a virtual-time run (it is the kernel's own); run without"
              + " --virtual as root to include it.");
    }
    Workload w = workload(Quantities.millis(duration)).withDelivery(Delivery.parse(delivery));
    Comparison plan =
        Comparison.builder()
            .profiles(ps)
            .kcp(transports)
            .tcp(!noTcp && !runVirtual)
            .floor(!noFloor)
            .workload(w)
            .seed(seed)
            .sessions(sessions != null ? sessions : w.kind() == Workload.Kind.BULK ? 1 : 10)
            .drainMillis(Quantities.millis(drain))
            .build();
    return CompareRun.builder()
        .plan(plan)
        .virtual(runVirtual)
        .outBase(out)
        .command(commandLine())
        .notes(notes)
        .fateLogs(fateLogs)
        .bridge(BridgeAvailability::runOverBridge)
        .out(stdout, stderr)
        .build()
        .run();
  }

  /** The command line as typed: {@code kcpj} and the original arguments, quoted for a shell. */
  private String commandLine() {
    List<String> args =
        spec == null ? List.of("compare") : spec.commandLine().getParseResult().originalArgs();
    StringBuilder sb = new StringBuilder("kcpj");
    for (String a : args) {
      sb.append(' ')
          .append(a.matches("[A-Za-z0-9_@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }

  /**
   * One {@code --profile} value as profile specs: compact text ({@code key=value} tokens) and
   * {@code @file} are one profile each; otherwise a comma-separated list of preset names.
   */
  static List<String> profileSpecs(String value) {
    String v = value.trim();
    if (v.startsWith("@") || v.contains("=")) {
      return List.of(v);
    }
    List<String> names = new ArrayList<>();
    for (String n : v.split(",")) {
      if (!n.isBlank()) {
        names.add(n.trim());
      }
    }
    return names;
  }

  private Workload workload(long durationMillis) {
    switch (workload.toLowerCase(Locale.ROOT)) {
      case "game":
        return count > 0
            ? Workload.gameCount(rate, (int) Quantities.bytes(size), count)
            : Workload.game(rate, (int) Quantities.bytes(size), durationMillis);
      case "rpc":
        return Workload.rpc(
            rate,
            (int) Quantities.bytes(size),
            (int) Quantities.bytes(responseSize),
            count > 0 ? Math.round(count * 1000 / rate) : durationMillis);
      case "bulk":
        return Workload.bulk(Quantities.bytes(bulkSize));
      default:
        throw new IllegalArgumentException(
            "unknown workload '" + workload + "'; valid: game, rpc, bulk");
    }
  }
}
