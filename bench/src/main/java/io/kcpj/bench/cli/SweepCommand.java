package io.kcpj.bench.cli;

import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.Figures;
import io.kcpj.bench.report.ReportWriter;
import io.kcpj.bench.report.RunDirectory;
import io.kcpj.bench.sweep.Sweep;
import io.kcpj.bench.sweep.SweepPoint;
import io.kcpj.bench.sweep.SweepReport;
import io.kcpj.core.KcpConfig;
import io.kcpj.netem.profile.Profile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kcpj sweep}: a grid of KCP parameters on one profile in virtual time, each configuration
 * over several seeds; the Pareto front of median p99 RTT against wire overhead, a recommended
 * configuration, its spread across seeds and whether the choice is within noise. The work is done
 * by {@link Sweep} and {@link SweepReport}; this class only reads the options.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description =
        "Sweep a grid of KCP parameters on a network profile in virtual time (deterministic,"
            + " fast), each configuration over several seeds: the Pareto front of median p99 RTT"
            + " against wire overhead, a recommended configuration, its spread across seeds and"
            + " whether the choice is within noise.",
    footerHeading = "%nValues:%n",
    footer = {KcpjCommand.SIZES, KcpjCommand.DURATIONS, KcpjCommand.PROFILES})
public final class SweepCommand implements Callable<Integer> {
  /** Without a terminal, at most one progress line this often. */
  private static final long PROGRESS_LINE_NANOS = 5_000_000_000L;

  @Option(
      names = {"-p", "--profile"},
      paramLabel = "PROFILE",
      defaultValue = "3g-lossy",
      description = "Network profile (preset, compact text or @file). Default: ${DEFAULT-VALUE}.")
  String profile;

  @Option(
      names = "--nodelay",
      split = ",",
      paramLabel = "N",
      defaultValue = "0,1,2",
      description =
          "KCP nodelay values to try (0: RTO doubles, 1: grows by half, 2: by half the smoothed"
              + " RTO). Default: ${DEFAULT-VALUE}.")
  List<Integer> nodelay;

  @Option(
      names = "--interval",
      split = ",",
      paramLabel = "MS",
      defaultValue = "10,20,40",
      description =
          "KCP update intervals to try, in milliseconds (KCP's own integer, as in --kcp"
              + " interval=). Default: ${DEFAULT-VALUE}.")
  List<Integer> interval;

  @Option(
      names = "--resend",
      split = ",",
      paramLabel = "N",
      defaultValue = "0,1,2",
      description = "KCP fast-retransmit thresholds to try (0: off). Default: ${DEFAULT-VALUE}.")
  List<Integer> resend;

  @Option(
      names = "--nc",
      split = ",",
      paramLabel = "BOOL",
      defaultValue = "false,true",
      description =
          "Whether the congestion window is off (true) or KCP's own (false). Default:"
              + " ${DEFAULT-VALUE}.")
  List<Boolean> nc;

  @Option(
      names = "--wnd",
      split = ",",
      paramLabel = "SEGMENTS",
      defaultValue = "32,128",
      description =
          "Send windows to try, in segments (receive window = max(wnd, 128)). Default:"
              + " ${DEFAULT-VALUE}.")
  List<Integer> wnd;

  @Option(
      names = "--thin",
      split = ",",
      paramLabel = "BOOL",
      defaultValue = "false,true",
      description =
          "Thin-stream loss recovery off (the reference's) or on (RACK-style, tail-loss probe,"
              + " outage resume; docs/latency.md). Default: ${DEFAULT-VALUE}.")
  List<Boolean> thin;

  @Option(
      names = "--dup",
      split = ",",
      paramLabel = "N",
      defaultValue = "0,1",
      description =
          "Redundant copies per segment (0: off; with copies, repeat ACKs are off too). Default:"
              + " ${DEFAULT-VALUE}.")
  List<Integer> dup;

  @Option(
      names = "--maxrto",
      split = ",",
      paramLabel = "MS",
      defaultValue = "0",
      description = "Caps of the backed-off RTO, in ms (0: none). Default: ${DEFAULT-VALUE}.")
  List<Integer> maxRto;

  @Option(
      names = "--ackdelay",
      split = ",",
      paramLabel = "MS",
      defaultValue = "0",
      description =
          "Most ms an ACK waits for data to ride with (bounded by srtt/4, srtt/2 under thin's RTO"
              + " gate; 0: none). Default:"
              + " ${DEFAULT-VALUE}.")
  List<Integer> ackDelay;

  @Option(
      names = "--fec",
      split = ",",
      paramLabel = "FEC",
      defaultValue = "off",
      description =
          "FEC to try with every configuration: off, kcp-go's D/P (10/3), kcpj's adaptive"
              + " D/MIN-MAX (10/1-3), with @DEADLINE for thin streams (10/0-2@10ms). Default:"
              + " ${DEFAULT-VALUE}.")
  List<String> fec;

  @Option(
      names = "--mtu",
      paramLabel = "SIZE",
      defaultValue = "1400",
      converter = Converters.IntSize.class,
      description = "KCP MTU (datagram size). Default: ${DEFAULT-VALUE} bytes.")
  int mtu;

  @Option(
      names = "--rate",
      paramLabel = "HZ",
      defaultValue = "20",
      description = "Messages per second. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--size",
      paramLabel = "SIZE",
      defaultValue = "100",
      converter = Converters.IntSize.class,
      description = "Message size. Default: ${DEFAULT-VALUE} bytes.")
  int size;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Converters.Time.class,
      description =
          "Virtual sending time per session and configuration. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "15s",
      converter = Converters.Time.class,
      description =
          "How long after the last message to wait for echoes (later ones are undelivered)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "First seed; seeds are SEED, SEED+1, ... (see --seeds). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "Seeds per configuration (1..100); the recommendation uses the median across them."
              + " Default: ${DEFAULT-VALUE}.")
  int seeds;

  @Option(
      names = "--sessions",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "Sessions per configuration and seed, each on its own link (more samples). Default:"
              + " ${DEFAULT-VALUE}.")
  int sessions;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "Worker threads (0: one per available processor). Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      defaultValue = "kcpj-out/sweep",
      description =
          "Report folder: each run writes DIR/<UTC time>/ and points DIR/latest at it."
              + " Default: ${DEFAULT-VALUE}.")
  Path out;

  @Spec CommandSpec spec;

  /** Whether stderr is a terminal (progress rewritten in place); tests set it. */
  boolean terminal = Progress.stderrIsTerminal();

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Profile p = CompareCommand.profile(profile);
    if (seeds < 1 || seeds > 100) {
      throw CommandError.usage("--seeds must be in [1, 100], got " + seeds, null);
    }
    if (sessions < 1) {
      throw CommandError.usage("--sessions must be at least 1, got " + sessions, null);
    }
    Workload w = Workload.game(rate, size, duration.toMillis());
    List<KcpConfig> grid;
    try {
      grid =
          Sweep.grid(
              nodelay,
              interval,
              resend,
              nc,
              wnd,
              mtu,
              null,
              Sweep.latencyGrid(thin, dup, maxRto, ackDelay));
    } catch (IllegalArgumentException e) {
      throw CommandError.usage(e.getMessage(), e);
    }
    List<io.kcpj.core.fec.FecSpec> fecs = new ArrayList<>();
    for (String f : fec) {
      try {
        fecs.add(io.kcpj.core.fec.FecSpec.parse(f));
      } catch (IllegalArgumentException e) {
        throw CommandError.usage("--fec: " + e.getMessage(), e);
      }
    }
    ReportFolder.check(out);
    List<Long> seedList = new ArrayList<>();
    for (int i = 0; i < seeds; i++) {
      seedList.add(seed + i);
    }
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    int total = grid.size() * fecs.size();
    int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    Progress progress =
        new Progress(
            stderr,
            terminal,
            "sweep: configurations done",
            total,
            PROGRESS_LINE_NANOS,
            System::nanoTime);
    List<SweepPoint> points;
    try {
      points =
          new Sweep(p, w, seedList, sessions, grid, fecs)
              .drainMillis(drain.toMillis())
              .run(workers, progress::step);
    } finally {
      progress.close();
    }
    SweepReport.Outcome o = SweepReport.analyse(points, seedList);
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
            + " × thin "
            + thin
            + " × dup "
            + dup
            + " × maxrto "
            + maxRto
            + " × ackdelay "
            + ackDelay
            + (fecs.size() > 1 || fecs.get(0).enabled() ? " × fec " + fecs : "")
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
    stdout.flush();
    return 0;
  }
}
