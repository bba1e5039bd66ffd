package io.kcpj.bench.cli;

import io.kcpj.bench.compare.CompareRun;
import io.kcpj.bench.compare.Comparison;
import io.kcpj.bench.compare.Delivery;
import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.Profiles;
import io.kcpj.bench.compare.ReferenceTest;
import io.kcpj.bench.compare.Workload;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.tun.NetemPaths;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kcpj compare}: KCP modes against TCP on named weak networks — the project's main job.
 *
 * <p>With no arguments: profiles {@value #DEFAULT_PROFILES}, transports KCP {@code classic}, {@code
 * normal}, {@code fast}, {@code game} and TCP, the game workload (20 Hz, 100-byte messages,
 * echoed). Writes its report (index.md, CSV, JSON, HdrHistogram logs, PNG charts) into {@code
 * --out}.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compare KCP configurations against TCP on weak-network profiles.",
      "In virtual time (netem-sim, deterministic) with --virtual; otherwise over real sockets and"
          + " real kernel TCP across the TUN bridge when it is permitted (root or CAP_NET_ADMIN on"
          + " Linux), else KCP alone in virtual time."
    },
    footerHeading = "%nValues:%n",
    footer = {
      KcpjCommand.SIZES,
      KcpjCommand.DURATIONS,
      KcpjCommand.KCP_SPECS,
      KcpjCommand.PROFILES
    })
public final class CompareCommand implements Callable<Integer> {
  static final String DEFAULT_PROFILES =
      "kcp-test,3g-lossy,poor,very-poor,cellular-bursty,handover";

  /** The workloads {@code --workload} names. */
  enum WorkloadKind {
    game,
    rpc,
    bulk
  }

  @Option(
      names = {"-p", "--profile"},
      paramLabel = "PROFILE",
      defaultValue = DEFAULT_PROFILES,
      description =
          "Network profiles, repeatable: preset names (a comma-separated list is several"
              + " presets), compact text such as delay=100ms,loss=1%% (one profile), or @file."
              + " Default: ${DEFAULT-VALUE}.")
  List<String> profiles;

  @Option(
      names = "--kcp",
      paramLabel = "[NAME:]SPEC",
      description =
          "A KCP transport to add, e.g. fast,wnd=256 or mine:nodelay=1,interval=10,resend=2,nc=true;"
              + " fec=D/P adds kcp-go's FEC (fast,fec=10/3), fec=D/MIN-MAX kcpj's loss-adaptive"
              + " parity (fast,fec=10/1-3), @DEADLINE closes thin groups early"
              + " (fast,fec=10/0-3@20ms); secure=psk|nk|nkpsk0[-chacha] runs kcpj's secure"
              + " sessions under the engines (game,secure=psk, reported as kcp-game+secure;"
              + " virtual time only). Repeatable. Default: none (only --modes).")
  List<String> extraKcp = new ArrayList<>();

  @Option(
      names = "--modes",
      split = ",",
      paramLabel = "PRESET",
      defaultValue = "classic,normal,fast,game",
      description =
          "KCP presets to compare ('none' for only the --kcp transports). Default:"
              + " ${DEFAULT-VALUE}.")
  List<String> modes;

  @Option(
      names = "--delivery",
      paramLabel = "MODE",
      defaultValue = "ordered",
      description =
          "How the KCP transports must deliver the messages: ordered, unordered or sequenced (the"
              + " last two need the delivery extension: --modes game, or xdelivery=true in a --kcp"
              + " spec); a KCP transport that cannot is refused, TCP stays the ordered reference."
              + " Default: ${DEFAULT-VALUE} (reliable, in order).")
  String delivery;

  @Option(names = "--no-tcp", description = "Leave TCP out.")
  boolean noTcp;

  @Option(
      names = "--workload",
      paramLabel = "KIND",
      defaultValue = "game",
      description =
          "game: messages at --rate, echoed; rpc: requests at --rate answered with"
              + " --response-size; bulk: one --bulk-size transfer. One of: ${COMPLETION-CANDIDATES}."
              + " Default: ${DEFAULT-VALUE}.")
  WorkloadKind workload;

  @Option(
      names = "--rate",
      paramLabel = "HZ",
      defaultValue = "20",
      description = "Messages per second (game, rpc). Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--size",
      paramLabel = "SIZE",
      defaultValue = "100",
      converter = Converters.IntSize.class,
      description = "Message or request size (game, rpc). Default: ${DEFAULT-VALUE} bytes.")
  int size;

  @Option(
      names = "--response-size",
      paramLabel = "SIZE",
      defaultValue = "1000",
      converter = Converters.IntSize.class,
      description = "Response size (rpc). Default: ${DEFAULT-VALUE} bytes.")
  int responseSize;

  @Option(
      names = "--bulk-size",
      paramLabel = "SIZE",
      defaultValue = "1mb",
      converter = Converters.Size.class,
      description = "Bytes to transfer (bulk). Default: ${DEFAULT-VALUE} (1,000,000 bytes).")
  long bulkSize;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Converters.Time.class,
      description =
          "Sending time per session (game, rpc), in virtual and in real time. Default:"
              + " ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Send exactly N messages per session instead of --duration (game, rpc). Default:"
              + " ${DEFAULT-VALUE} (use --duration).")
  int count;

  @Option(
      names = "--sessions",
      paramLabel = "N",
      description =
          "Concurrent sessions per transport and profile, each on its own link with the same"
              + " parameters. Default: 10 (6,000 samples per row at 20 Hz for 30s); 1 for bulk.")
  Integer sessions;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "15s",
      converter = Converters.Time.class,
      description =
          "How long after the last scheduled message to wait for echoes; a message not echoed"
              + " by then counts as undelivered (+infinity). Default: ${DEFAULT-VALUE}.")
  Duration drain;

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
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Seed of every link's impairments; each link's own seed derives from (seed, profile"
              + " text, transport, session). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      defaultValue = "kcpj-out/compare",
      description =
          "Report folder: each run writes DIR/<UTC time>/ and points DIR/latest at it."
              + " Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--reference-test",
      description =
          "Reproduce the C reference's test program: profile kcp-test, 1000 × 8 B echoed at 50 Hz,"
              + " windows 128, its normal and fast modes (and kcpj's game mode against its target),"
              + " over several seeds.")
  boolean referenceTest;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      defaultValue = "5",
      description = "Seeds for --reference-test. Default: ${DEFAULT-VALUE}.")
  int seeds;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (referenceTest) {
      return new ReferenceTest(seeds, ReferenceTest.TARGETS).print(stdout);
    }
    List<Profile> ps = new ArrayList<>();
    for (String value : profiles) {
      for (String p : profileSpecs(value)) {
        ps.add(profile(p));
      }
    }
    Delivery deliveryMode;
    try {
      deliveryMode = Delivery.parse(delivery);
    } catch (IllegalArgumentException e) {
      throw CommandError.usage("bad --delivery '" + delivery + "': " + e.getMessage(), e);
    }
    List<KcpTransport> transports = new ArrayList<>();
    for (String m : modes) {
      if (!m.equalsIgnoreCase("none")) {
        try {
          transports.add(KcpTransport.preset(m));
        } catch (IllegalArgumentException e) {
          throw CommandError.usage("bad --modes '" + m + "': " + e.getMessage(), e);
        }
      }
    }
    for (String k : extraKcp) {
      try {
        transports.add(KcpTransport.parse(k));
      } catch (IllegalArgumentException e) {
        throw CommandError.usage("bad --kcp '" + k + "': " + e.getMessage(), e);
      }
    }
    ReportFolder.check(out);
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
    if (!runVirtual) {
      for (Profile p : ps) {
        try {
          NetemPaths.requireSupported(p);
        } catch (IllegalArgumentException e) {
          throw CommandError.usage(e.getMessage() + " (add --virtual)", null);
        }
      }
      for (KcpTransport t : transports) {
        if (t.secure() != null) {
          throw CommandError.usage(
              "--kcp "
                  + t.name()
                  + ": secure= runs in virtual time only (add --virtual); the bridge's echo"
                  + " servers and clients do not run the secure layers",
              null);
        }
      }
    }
    if (runVirtual && !noTcp && virtual) {
      notes.add(
          "TCP is not part of a virtual-time run (it is the kernel's own); run without"
              + " --virtual as root to include it.");
    }
    Workload w = workload(duration.toMillis()).withDelivery(deliveryMode);
    Comparison plan;
    try {
      plan =
          Comparison.builder()
              .profiles(ps)
              .kcp(transports)
              .tcp(!noTcp && !runVirtual)
              .floor(!noFloor)
              .workload(w)
              .seed(seed)
              .sessions(sessions != null ? sessions : w.kind() == Workload.Kind.BULK ? 1 : 10)
              .drainMillis(drain.toMillis())
              .build();
    } catch (IllegalArgumentException e) {
      throw CommandError.usage(e.getMessage(), e);
    }
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

  /** One profile spec resolved, or a usage error naming the option. */
  static Profile profile(String spec) {
    try {
      return Profiles.resolve(spec);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw CommandError.usage("bad --profile '" + spec + "': " + e.getMessage(), e);
    }
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
    switch (workload) {
      case game:
        return count > 0
            ? Workload.gameCount(rate, size, count)
            : Workload.game(rate, size, durationMillis);
      case rpc:
        return Workload.rpc(
            rate, size, responseSize, count > 0 ? Math.round(count * 1000 / rate) : durationMillis);
      case bulk:
        return Workload.bulk(bulkSize);
      default:
        throw new AssertionError(workload);
    }
  }
}
