package io.kcpj.bench.cli;

import io.kcpj.bench.compare.Comparison;
import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.ConsoleTable;
import io.kcpj.bench.report.ReportWriter;
import io.kcpj.bench.report.RunResult;
import io.kcpj.netem.profile.Profile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kcpj compare}: KCP modes against TCP on named weak networks — the project's main job.
 *
 * <p>With no arguments: profiles {@value #DEFAULT_PROFILES}, transports KCP {@code classic}, {@code
 * normal}, {@code fast} and TCP, the game workload (20 Hz, 100-byte messages, echoed). Writes its
 * report (index.md, CSV, JSON, HdrHistogram logs, PNG charts) into {@code --out}.
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
      description = "Sending time per run. Default: 60s in virtual time, 30s over the bridge.")
  String duration;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Send exactly N messages instead of --duration.")
  int count;

  @Option(names = "--virtual", description = "Run in virtual time only (deterministic; no TCP).")
  boolean virtual;

  @Option(names = "--seed", description = "Seed of every link's impairments. Default: 1.")
  long seed = 1;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "Report folder. Default: kcpj-out/compare.")
  Path out = Path.of("kcpj-out", "compare");

  @Option(
      names = "--reference-test",
      description =
          "Reproduce the C reference's test program: profile kcp-test, 1000 × 8 B echoed at 50 Hz,"
              + " windows 128, its normal and fast modes, over several seeds.")
  boolean referenceTest;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      description = "Seeds for --reference-test. Default: 5.")
  int seeds = 5;

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() throws Exception {
    if (referenceTest) {
      return new ReferenceTestRun(seeds, stdout, stderr).call();
    }
    List<Profile> ps = new ArrayList<>();
    for (String spec : profiles.isEmpty() ? List.of(DEFAULT_PROFILES) : profiles) {
      for (String p : profileSpecs(spec)) {
        ps.add(Profile.resolve(p));
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
    String bridgeProblem = null;
    if (!virtual) {
      bridgeProblem = BridgeAvailability.whyUnavailable();
      if (bridgeProblem != null) {
        runVirtual = true;
        notes.add(
            "TCP was skipped and KCP ran in virtual time over netem-sim's in-memory network,"
                + " because the TUN bridge is not available: "
                + bridgeProblem);
        stderr.println("kcpj compare: " + notes.get(notes.size() - 1));
      }
    }
    long durationMillis =
        duration != null ? Quantities.millis(duration) : (runVirtual ? 60_000 : 30_000);
    Workload w = workload(durationMillis);
    Comparison plan = new Comparison(ps, transports, !noTcp && !runVirtual, w, seed);

    Map<String, String> info = ReportWriter.info();
    info.put("command", "kcpj compare" + (virtual ? " --virtual" : ""));
    info.put("mode", runVirtual ? "virtual time (netem-sim)" : "real time over the TUN bridge");
    info.put("workload", w.toString());
    info.put("seed", Long.toString(seed));
    info.put("profiles", String.join(", ", ps.stream().map(Profile::name).toList()));
    info.put(
        "transports",
        String.join(", ", transports.stream().map(KcpTransport::name).toList())
            + (plan.tcp() ? ", tcp" : ""));
    List<RunResult> results;
    if (runVirtual) {
      if (!noTcp && virtual) {
        notes.add(
            "TCP is not part of a virtual-time run (it is the kernel's own); run without"
                + " --virtual as root to include it.");
      }
      results = plan.runVirtual(stderr::println);
    } else {
      results = BridgeAvailability.runOverBridge(plan, info, notes, stderr);
    }
    List<Path> files = ReportWriter.write(out, "kcpj compare", info, notes, results);
    stdout.print(ConsoleTable.render(results));
    for (String n : notes) {
      stdout.println("note: " + n);
    }
    stdout.println("report: " + files.get(0).toAbsolutePath());
    return 0;
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
