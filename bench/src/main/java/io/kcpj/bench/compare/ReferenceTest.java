package io.kcpj.bench.compare;

import io.kcpj.bench.report.RunResult;
import io.kcpj.core.KcpConfig;
import io.kcpj.netem.profile.Profile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reproduces the C reference's {@code test.cpp} in virtual time and says whether kcpj passes
 * against the reference's published figures: profile {@code kcp-test} (LatencySimulator(10, 60,
 * 125)), 1000 messages of 8 bytes every 20 ms echoed, windows 128, its "normal" ({@code
 * nodelay(0,10,0,1)}) and "fast" ({@code nodelay(2,10,2,1)}, minrto 10, resend 1) modes, no flush
 * on send (the test program only flushes in {@code ikcp_update}), over several seeds.
 *
 * <p><b>Tolerances.</b> The reference publishes one run per mode (average and maximum RTT). A mode
 * passes when the mean over seeds of each run's average RTT is within {@value #AVERAGE_TOLERANCE}
 * of the published average, and the median over seeds of each run's maximum is within {@value
 * #MAXIMUM_TOLERANCE} of the published maximum (a maximum is one extreme message, so it is judged
 * loosely and by the median). A {@link Target} (an upper bound on the average, for modes the
 * reference does not have) passes when the mean over seeds is at most the bound.
 *
 * <p>Stateless apart from its output streams; the runs are deterministic for their seeds.
 */
public final class ReferenceTest {
  /** Relative tolerance on the average RTT. */
  public static final double AVERAGE_TOLERANCE = 0.10;

  /** Relative tolerance on the median of the per-run maximum RTTs. */
  public static final double MAXIMUM_TOLERANCE = 0.30;

  /** A published figure of the reference: a preset and its average and maximum RTT (ms). */
  public record Published(String preset, double averageMillis, double maximumMillis) {}

  /** An upper bound on a preset's average RTT over the reference's test (ms). */
  public record Target(String preset, double maxAverageMillis, String why) {}

  /** The reference's published results (its README): normal 156/571 ms, fast 138/392 ms. */
  public static final List<Published> PUBLISHED =
      List.of(new Published("test-normal", 156, 571), new Published("test-fast", 138, 392));

  /**
   * kcpj's own modes held to a bound on the same test: {@code game} must average at most 110 ms
   * where the reference's fast mode publishes 138 ms.
   */
  public static final List<Target> TARGETS =
      List.of(new Target("game", 110, "kcpj's game mode; the reference's fast mode: 138 ms"));

  /** One mode's outcome: its runs and whether it passed. */
  public record Outcome(String preset, List<RunResult> runs, boolean pass, String line) {}

  private final int seeds;
  private final List<Target> targets;

  /**
   * @param seeds runs per mode (seeds 1..n)
   * @param targets extra presets with an upper bound on their average (may be empty)
   */
  public ReferenceTest(int seeds, List<Target> targets) {
    if (seeds < 1) {
      throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
    }
    this.seeds = seeds;
    this.targets = List.copyOf(targets);
  }

  /** One preset's runs over seeds 1..n on the reference's test. */
  public static List<RunResult> run(String preset, int seeds) {
    KcpConfig cfg = KcpConfig.preset(preset).toBuilder().windows(128, 128).build();
    KcpTransport t = new KcpTransport("kcp-" + preset, cfg, false);
    List<RunResult> rs = new ArrayList<>();
    for (long seed = 1; seed <= seeds; seed++) {
      rs.add(
          new VirtualKcpRun(Profile.named("kcp-test"), t, Workload.gameCount(50, 8, 1000), seed)
              .run());
    }
    return rs;
  }

  /** Whether the runs match a published figure within the tolerances. */
  public static boolean matches(Published p, List<RunResult> runs) {
    double avg = meanOfAverages(runs);
    double max = medianOfMaxima(runs);
    return undelivered(runs) == 0
        && Math.abs(avg - p.averageMillis()) <= AVERAGE_TOLERANCE * p.averageMillis()
        && Math.abs(max - p.maximumMillis()) <= MAXIMUM_TOLERANCE * p.maximumMillis();
  }

  static double meanOfAverages(List<RunResult> runs) {
    return runs.stream().mapToDouble(RunResult::meanRttMillis).average().orElse(Double.NaN);
  }

  static double medianOfMaxima(List<RunResult> runs) {
    double[] m = runs.stream().mapToDouble(RunResult::maxRttMillis).sorted().toArray();
    if (m.length == 0) {
      return Double.NaN;
    }
    return m.length % 2 == 1 ? m[m.length / 2] : (m[m.length / 2 - 1] + m[m.length / 2]) / 2;
  }

  static long undelivered(List<RunResult> runs) {
    return runs.stream().mapToLong(RunResult::messagesLost).sum();
  }

  /** Runs every mode and target; returns their outcomes in order. */
  public List<Outcome> evaluate() {
    List<Outcome> out = new ArrayList<>();
    for (Published p : PUBLISHED) {
      List<RunResult> rs = run(p.preset(), seeds);
      boolean pass = matches(p, rs);
      out.add(
          new Outcome(
              p.preset(),
              rs,
              pass,
              String.format(
                  Locale.ROOT,
                  "%s %-12s published avg/max %.0f/%.0f ms; ours avg %.1f ms (mean of %d seeds,"
                      + " within ±%.0f %%: %.1f–%.1f), max %.0f ms (median of %d seeds, within"
                      + " ±%.0f %%: %.0f–%.0f)%s; per seed avg/max:%s",
                  pass ? "PASS" : "FAIL",
                  p.preset(),
                  p.averageMillis(),
                  p.maximumMillis(),
                  meanOfAverages(rs),
                  rs.size(),
                  AVERAGE_TOLERANCE * 100,
                  p.averageMillis() * (1 - AVERAGE_TOLERANCE),
                  p.averageMillis() * (1 + AVERAGE_TOLERANCE),
                  medianOfMaxima(rs),
                  rs.size(),
                  MAXIMUM_TOLERANCE * 100,
                  p.maximumMillis() * (1 - MAXIMUM_TOLERANCE),
                  p.maximumMillis() * (1 + MAXIMUM_TOLERANCE),
                  undelivered(rs) > 0 ? ", " + undelivered(rs) + " undelivered" : "",
                  perSeed(rs))));
    }
    for (Target t : targets) {
      List<RunResult> rs = run(t.preset(), seeds);
      double avg = meanOfAverages(rs);
      boolean pass = undelivered(rs) == 0 && avg <= t.maxAverageMillis();
      out.add(
          new Outcome(
              t.preset(),
              rs,
              pass,
              String.format(
                  Locale.ROOT,
                  "%s %-12s target avg ≤ %.0f ms (%s); ours avg %.1f ms (mean of %d seeds)%s;"
                      + " per seed avg/max:%s",
                  pass ? "PASS" : "FAIL",
                  t.preset(),
                  t.maxAverageMillis(),
                  t.why(),
                  avg,
                  rs.size(),
                  undelivered(rs) > 0 ? ", " + undelivered(rs) + " undelivered" : "",
                  perSeed(rs))));
    }
    return out;
  }

  private static String perSeed(List<RunResult> rs) {
    StringBuilder per = new StringBuilder();
    for (RunResult r : rs) {
      per.append(String.format(Locale.ROOT, " %.0f/%.0f", r.meanRttMillis(), r.maxRttMillis()));
    }
    return per.toString();
  }

  /** Prints the outcomes and a verdict; returns 0 if every mode passed, 1 otherwise. */
  public int print(PrintWriter out) {
    out.println(
        "C reference test reproduction (virtual time, profile kcp-test, 1000 x 8 B @ 50 Hz,"
            + " windows 128, seeds 1.."
            + seeds
            + ")");
    List<Outcome> outcomes = evaluate();
    boolean all = true;
    for (Outcome o : outcomes) {
      out.println("  " + o.line());
      all &= o.pass();
    }
    out.println(
        all
            ? "reference test: PASS"
            : "reference test: FAIL ("
                + Arrays.toString(
                    outcomes.stream().filter(o -> !o.pass()).map(Outcome::preset).toArray())
                + ")");
    out.flush();
    return all ? 0 : 1;
  }
}
