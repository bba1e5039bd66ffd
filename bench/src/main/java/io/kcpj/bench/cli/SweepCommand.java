package io.kcpj.bench.cli;

import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.ReportWriter;
import io.kcpj.bench.sweep.ParetoFront;
import io.kcpj.bench.sweep.Sweep;
import io.kcpj.bench.sweep.SweepPoint;
import io.kcpj.bench.sweep.SweepReport;
import io.kcpj.core.KcpConfig;
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
 * {@code kcpj sweep}: a grid of KCP parameters on one profile in virtual time, the Pareto front of
 * p99 RTT against wire overhead, and a recommended configuration.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Sweep KCP parameters on a network profile in virtual time (deterministic, fast):",
      "the Pareto front of p99 RTT against wire overhead and a recommended configuration."
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
      description = "Virtual sending time per configuration. Default: 60s.")
  String duration = "60s";

  @Option(names = "--seed", description = "Link seed. Default: 1.")
  long seed = 1;

  @Option(names = "--threads", description = "Worker threads. Default: available processors.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = {"-o", "--out"},
      description = "Report folder. Default: kcpj-out/sweep.")
  Path out = Path.of("kcpj-out", "sweep");

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() throws Exception {
    Profile p = Profile.resolve(profile);
    Workload w = Workload.game(rate, (int) Quantities.bytes(size), Quantities.millis(duration));
    List<KcpConfig> grid = Sweep.grid(nodelay, interval, resend, nc, wnd, mtu);
    long t0 = System.nanoTime();
    int total = grid.size();
    List<SweepPoint> points =
        new Sweep(p, w, seed, grid)
            .run(
                threads,
                done -> {
                  if (done % 10 == 0 || done == total) {
                    stderr.printf(Locale.ROOT, "\rsweep: %d/%d configurations", done, total);
                  }
                });
    stderr.println();
    List<SweepPoint> front = ParetoFront.of(points);
    SweepPoint best = ParetoFront.recommend(front, 1.25);
    Map<String, String> info = ReportWriter.info();
    info.put("profile name", p.name());
    info.put("profile", p.toSpec());
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
    info.put("seed", Long.toString(seed));
    info.put("wall time", String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9));
    List<Path> files = SweepReport.write(out, info, points, front, best);
    stdout.printf(
        Locale.ROOT,
        "Pareto front on %s (%d of %d configurations):%n",
        p.name(),
        front.size(),
        total);
    for (SweepPoint f : front) {
      stdout.printf(
          Locale.ROOT,
          "  %-62s p99 %8.1f ms  wire/goodput %.3f%n",
          f.label(),
          f.p99Millis(),
          f.overhead());
    }
    if (best != null) {
      stdout.println("recommended: " + best.label());
      stdout.printf(
          Locale.ROOT,
          "  p99 %.1f ms, mean %.1f ms, wire/goodput %.3f%n",
          best.p99Millis(),
          best.result().meanRttMillis(),
          best.overhead());
    } else {
      stdout.println("no configuration delivered every message");
    }
    stdout.println("report: " + files.get(0).toAbsolutePath());
    return 0;
  }
}
