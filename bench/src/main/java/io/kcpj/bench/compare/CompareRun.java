package io.kcpj.bench.compare;

import io.kcpj.bench.report.ConsoleTable;
import io.kcpj.bench.report.Names;
import io.kcpj.bench.report.ReportModel;
import io.kcpj.bench.report.ReportWriter;
import io.kcpj.bench.report.RunDirectory;
import io.kcpj.bench.report.RunResult;
import io.kcpj.netem.log.FateLogWriter;
import io.kcpj.netem.profile.Profile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code kcpj compare} run from plan to report: a fresh report folder ({@link RunDirectory}),
 * the rows run in virtual time or over the TUN bridge, the report (HTML, Markdown, CSV, JSON,
 * hlogs, charts) and the console table — or, on Ctrl-C, the partial report of what finished (see
 * {@link RunGuard}).
 *
 * <p>Used once, on one thread (rows may be added from the runner's threads).
 */
public final class CompareRun {
  /** Runs the plan's rows over real sockets; supplied by the command (the bridge lives there). */
  @FunctionalInterface
  public interface BridgeRunner {
    /**
     * Runs every profile of {@code plan}, adding facts to {@code info}, passing each finished row
     * to {@code onRow} and progress lines to {@code progress}.
     */
    List<RunResult> run(
        Comparison plan,
        Map<String, String> info,
        java.util.function.Consumer<RunResult> onRow,
        java.util.function.Consumer<String> progress,
        Path reportDir)
        throws Exception;
  }

  private final Comparison plan;
  private final boolean virtual;
  private final Path outBase;
  private final String command;
  private final List<String> notes;
  private final boolean fateLogs;
  private final BridgeRunner bridge;
  private final PrintWriter stdout;
  private final PrintWriter stderr;
  private final List<RunResult> finished = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> info = Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile Path dir;
  private Instant start;

  private CompareRun(Builder b) {
    this.plan = Objects.requireNonNull(b.plan, "plan");
    this.virtual = b.virtual;
    this.outBase = Objects.requireNonNull(b.outBase, "outBase");
    this.command = Objects.requireNonNull(b.command, "command");
    this.notes = new ArrayList<>(b.notes);
    this.fateLogs = b.fateLogs;
    this.bridge = b.bridge;
    this.stdout = b.stdout;
    this.stderr = b.stderr;
    if (!virtual && bridge == null) {
      throw new IllegalArgumentException("a real-time run needs a bridge runner");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Runs, writes the report and prints the table; returns the exit status (0). */
  public int run() throws Exception {
    start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    long t0 = System.nanoTime();
    info.put("command", command);
    info.put("started (UTC)", start.toString());
    info.put("mode", virtual ? "virtual time (netem-sim)" : "real time over the TUN bridge");
    info.put("workload", plan.workload().toString());
    info.put(
        "delivery",
        plan.workload().delivery().label() + " (" + plan.workload().delivery().meaning() + ")");
    info.put(
        "sessions",
        plan.sessions()
            + " per transport and profile, each on its own link ("
            + plan.sessions() * (long) plan.workload().messageCount()
            + " messages per row)");
    info.put("drain", plan.drainMillis() / 1000.0 + " s after the last scheduled message");
    info.put("seed", Long.toString(plan.seed()));
    info.put(
        "machine",
        Runtime.getRuntime().availableProcessors()
            + " CPUs, Java "
            + System.getProperty("java.version")
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version"));
    // The guard first: from the moment the report folder exists, Ctrl-C leaves a report in it.
    try (RunGuard guard = new RunGuard(stderr, () -> writePartial())) {
      synchronized (this) {
        dir = RunDirectory.create(outBase, start);
      }
      List<RunResult> results;
      try {
        java.util.function.Consumer<String> progress =
            line -> {
              if (!guard.interrupted()) {
                stderr.println(line);
              }
            };
        if (virtual) {
          results =
              plan.runVirtual(
                  Runtime.getRuntime().availableProcessors(),
                  progress,
                  finished::add,
                  fateLogs ? this::openFateLog : null);
        } else {
          results = bridge.run(plan, info, finished::add, progress, dir);
        }
      } catch (Exception | Error e) {
        guard.parkIfInterrupted();
        throw e;
      }
      info.put("wall time", String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9));
      ReportModel model = model(results, false);
      Path written =
          guard.writeReport(
              () -> {
                try {
                  ReportWriter.write(dir, model);
                  return dir;
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      if (written == null) {
        guard.parkIfInterrupted();
      }
      stdout.print(ConsoleTable.render(model));
      for (String n : notes) {
        stdout.println("note: " + n);
      }
      stdout.println("report: " + dir.resolve(ReportWriter.HTML).toAbsolutePath());
      stdout.flush();
      return 0;
    }
  }

  /** The report folder of this run (after {@link #run} started). */
  public Path dir() {
    return dir;
  }

  private Path writePartial() {
    synchronized (this) {
      if (dir == null) {
        try {
          dir = RunDirectory.create(outBase, start);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    List<RunResult> rows;
    synchronized (finished) {
      rows = new ArrayList<>(finished);
    }
    info.put("wall time", "interrupted");
    try {
      ReportWriter.write(dir, model(rows, true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private ReportModel model(List<RunResult> results, boolean partial) {
    List<ReportModel.ProfileInfo> profiles = new ArrayList<>();
    for (Profile p : plan.profiles()) {
      String spec = p.toSpec();
      profiles.add(
          new ReportModel.ProfileInfo(
              p.name(), p.source(), spec, plan.floor() ? FloorProfile.of(p).toSpec() : ""));
    }
    List<ReportModel.TransportInfo> transports = new ArrayList<>();
    if (plan.floor()) {
      transports.add(
          new ReportModel.TransportInfo(
              VirtualFloorRun.LABEL,
              "raw-udp-echo",
              VirtualFloorRun.SETTINGS
                  + ", over each profile without loss, corruption and blackouts: the path's own"
                  + " round trip"));
    }
    if (plan.tcp() && !virtual) {
      transports.add(
          new ReportModel.TransportInfo(
              Comparison.TCP_LABEL,
              "kernel,TCP_NODELAY",
              "the Linux kernel's own TCP (congestion control: "
                  + info.getOrDefault("kernel TCP congestion control", "the kernel's default")
                  + "), one connection per session"));
    }
    for (KcpTransport t : plan.kcp()) {
      transports.add(
          new ReportModel.TransportInfo(
              t.name(),
              t.compactSettings(),
              (virtual
                      ? "kcp-core engine in virtual time, driven "
                          + (t.eager() ? "as kcp-netty drives it" : "as the C reference's test")
                      : "kcp-netty over real UDP sockets")
                  + "; all settings: "
                  + t.spec()));
    }
    Map<String, String> facts;
    synchronized (info) {
      facts = new LinkedHashMap<>(info);
    }
    return new ReportModel("kcpj compare", facts, notes, profiles, transports, results)
        .partial(partial);
  }

  private io.kcpj.netem.log.FateLog openFateLog(Profile p, String label, int session) {
    try {
      Path fates = dir.resolve("fates");
      Files.createDirectories(fates);
      return FateLogWriter.open(fates.resolve(fateLogName(p.name(), label, session)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file name of one link's fate log under {@code fates/}. */
  public static String fateLogName(String profile, String label, int session) {
    return Names.slug(profile) + "__" + Names.slug(label) + "__s" + session + ".csv";
  }

  /** Sets up a {@link CompareRun}; not thread-safe. */
  public static final class Builder {
    private Comparison plan;
    private boolean virtual;
    private Path outBase;
    private String command;
    private List<String> notes = List.of();
    private boolean fateLogs;
    private BridgeRunner bridge;
    private PrintWriter stdout = new PrintWriter(System.out, true);
    private PrintWriter stderr = new PrintWriter(System.err, true);

    private Builder() {}

    public Builder plan(Comparison plan) {
      this.plan = plan;
      return this;
    }

    /** Virtual time (true) or real time over the bridge (false, needs {@link #bridge}). */
    public Builder virtual(boolean virtual) {
      this.virtual = virtual;
      return this;
    }

    /** The folder under which each run gets its own (e.g. {@code kcpj-out/compare}). */
    public Builder outBase(Path outBase) {
      this.outBase = outBase;
      return this;
    }

    /** The command line as the user typed it, for the report. */
    public Builder command(String command) {
      this.command = command;
      return this;
    }

    public Builder notes(List<String> notes) {
      this.notes = List.copyOf(notes);
      return this;
    }

    /** Whether every link writes a fate log under the report's {@code fates/} (virtual time). */
    public Builder fateLogs(boolean fateLogs) {
      this.fateLogs = fateLogs;
      return this;
    }

    public Builder bridge(BridgeRunner bridge) {
      this.bridge = bridge;
      return this;
    }

    public Builder out(PrintWriter stdout, PrintWriter stderr) {
      this.stdout = stdout;
      this.stderr = stderr;
      return this;
    }

    public CompareRun build() {
      return new CompareRun(this);
    }
  }
}
