package io.kcpj.bench.cli;

import io.kcpj.bench.compare.Profiles;
import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.Figures;
import io.kcpj.bench.report.ReportWriter;
import io.kcpj.bench.report.RunDirectory;
import io.kcpj.bench.sweep.Sweep;
import io.kcpj.bench.sweep.SweepPoint;
import io.kcpj.bench.sweep.SweepReport;
import io.kcpj.core.KcpConfig;
import io.kcpj.netem.profile.Profile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kcpj sweep}: a grid of KCP parameters on one profile in virtual time, each configuration
 * over several seeds; the Pareto front of median p99 RTT against wire overhead, a recommended
 * configuration, its spread across seeds and whether the choice is within noise. The work is done
 * by {@link Sweep} and {@link SweepReport}; this class only reads the options.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Sweep KCP parameters on a network profile in virtual time (deterministic, fast), each",
      "configuration over several seeds: the Pareto front of median p99 RTT against wire",
      "overhead, a recommended configuration, its spread and whether it is within noise."
    })
public final class SweepCommand implements Callable<Integer> {
  @Option(
      names = {"-p", "--profile"},
      description = "Network profile (preset, compact text or @file). Default: 3g-lossy.")
  String profile = "3g-lossy";

  @Option(names = "--nodelay", split = ",", description = "Default: 0,1,2.")
  List<Integer> nodelay = new ArrayList<>(List.of(0, 1, 2));

  @Option(names = "--interval", split = ",", description = "Default: 10,20,40.")
  List<Integer> interval = new ArrayList<>(List.of(10, 20, 40));

  @Option(names = "--resend", split = ",", description = "Default: 0,1,2.")
  List<Integer> resend = new ArrayList<>(List.of(0, 1, 2));

  @Option(names = "--nc", split = ",", description = "Default: false,true.")
  List<Boolean> nc = new ArrayList<>(List.of(false, true));

  @Option(
      names = "--wnd",
      split = ",",
      description = "Send windows (receive = max(wnd, 128)). Default: 32,128.")
  List<Integer> wnd = new ArrayList<>(List.of(32, 128));

  @Option(names = "--mtu", description = "Default: 1400.")
  int mtu = 1400;

  @Option(names = "--rate", description = "Messages per second. Default: 20.")
  double rate = 20;

  @Option(names = "--size", description = "Message size in bytes. Default: 100.")
  String size = "100";

  @Option(
      names = "--duration",
      description = "Virtual sending time per session and configuration. Default: 30s.")
  String duration = "30s";

  @Option(
      names = "--drain",
      description =
          "How long after the last message to wait for echoes (later ones are undelivered)."
              + " Default: 15s.")
  String drain = "15s";

  @Option(
      names = "--seed",
      description = "First seed; seeds are SEED, SEED+1, ... (see --seeds). Default: 1.")
  long seed = 1;

  @Option(
      names = "--seeds",
      description =
          "Seeds per configuration; the recommendation uses the median across them. Default: 3.")
  int seeds = 3;

  @Option(
      names = "--sessions",
      description =
          "Sessions per configuration and seed, each on its own link (more samples). Default: 4.")
  int sessions = 4;

  @Option(names = "--threads", description = "Worker threads. Default: available processors.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = {"-o", "--out"},
      description =
          "Report folder: each run writes DIR/<UTC time>/ and points DIR/latest at it."
              + " Default: kcpj-out/sweep.")
  Path out = Path.of("kcpj-out", "sweep");

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() throws Exception {
    Profile p = Profiles.resolve(profile);
    if (seeds < 1 || seeds > 100) {
      throw new IllegalArgumentException("--seeds must be in [1, 100], got " + seeds);
    }
    Workload w = Workload.game(rate, (int) Quantities.bytes(size), Quantities.millis(duration));
    List<KcpConfig> grid = Sweep.grid(nodelay, interval, resend, nc, wnd, mtu);
    List<Long> seedList = new ArrayList<>();
    for (int i = 0; i < seeds; i++) {
      seedList.add(seed + i);
    }
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    int total = grid.size();
    List<SweepPoint> points =
        new Sweep(p, w, seedList, sessions, grid)
            .drainMillis(Quantities.millis(drain))
            .run(
                threads,
                done -> {
                  if (done % 10 == 0 || done == total) {
                    stderr.printf(Locale.ROOT, "\rsweep: %d/%d configurations", done, total);
                  }
                });
    stderr.println();
    SweepReport.Outcome o = SweepReport.analyse(points, seedList);
    Map<String, String> info = ReportWriter.info();
    info.put("profile name", p.name());
    info.put("profile", p.toSpec());
    info.put("source", p.source());
    info.put("workload", w.toString());
    info.put(
        "grid",
        "nodelay "
            + nodelay
            + " × interval "
            + interval
            + " × resend "
            + resend
            + " × nc "
            + nc
            + " × wnd "
            + wnd
            + " = "
            + total
            + " configurations, mtu "
            + mtu);
    info.put("seeds", seedList.toString());
    info.put(
        "sessions",
        sessions
            + " per configuration and seed ("
            + (long) sessions * w.messageCount()
            + " messages each)");
    info.put("started (UTC)", start.toString());
    info.put("wall time", String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9));
    Path dir = RunDirectory.create(out, start);
    List<Path> files = SweepReport.write(dir, info, o, seedList);
    stdout.printf(
        Locale.ROOT,
        "Pareto front on %s (%d of %d configurations; median over %d seeds, range in brackets):%n",
        p.name(),
        o.front().size(),
        total,
        seeds);
    for (SweepPoint f : o.front()) {
      stdout.printf(
          Locale.ROOT,
          "  %-62s p99 %8s ms [%s–%s]  wire/goodput %.3f%n",
          f.label(),
          Figures.ms(f.p99Millis()),
          Figures.ms(f.p99Low()),
          Figures.ms(f.p99High()),
          f.overhead());
    }
    stdout.println("recommended: " + SweepReport.verdict(o, seeds));
    for (String pick : o.perSeedPicks()) {
      stdout.println("  " + pick);
    }
    stdout.println("report: " + files.get(0).toAbsolutePath());
    return 0;
  }
}
