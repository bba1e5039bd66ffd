package io.kcpj.bench.cli;

import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.VirtualKcpRun;
import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.RunResult;
import io.kcpj.core.KcpConfig;
import io.kcpj.netem.profile.Profile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Reproduces the C reference's {@code test.cpp} in virtual time: profile {@code kcp-test}
 * (LatencySimulator(10, 60, 125)), 1000 messages of 8 bytes every 20 ms echoed, windows 128, its
 * "normal" ({@code nodelay(0,10,0,1)}) and "fast" ({@code nodelay(2,10,2,1)}, minrto 10, resend 1)
 * modes, no flush on send (the test program only flushes in {@code ikcp_update}).
 */
final class ReferenceTestRun implements Callable<Integer> {
  /** The reference's published results: mode, average RTT, maximum RTT. */
  static final Object[][] PUBLISHED = {{"test-normal", 156, 571}, {"test-fast", 138, 392}};

  private final int seeds;
  private final PrintStream out;
  private final PrintStream err;

  ReferenceTestRun(int seeds, PrintStream out, PrintStream err) {
    this.seeds = seeds;
    this.out = out;
    this.err = err;
  }

  /** One mode's runs over seeds 1..n. */
  static List<RunResult> run(String preset, int seeds) {
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

  @Override
  public Integer call() {
    out.println(
        "C reference test reproduction (virtual time, profile kcp-test, 1000 x 8 B @ 50 Hz)");
    for (Object[] p : PUBLISHED) {
      String mode = (String) p[0];
      List<RunResult> rs = run(mode, seeds);
      StringBuilder per = new StringBuilder();
      double sumMean = 0;
      double maxMax = 0;
      for (RunResult r : rs) {
        per.append(String.format(Locale.ROOT, " %.0f/%.0f", r.meanRttMillis(), r.maxRttMillis()));
        sumMean += r.meanRttMillis();
        maxMax = Math.max(maxMax, r.maxRttMillis());
        if (r.messagesLost() != 0) {
          err.println("warning: " + r.messagesLost() + " messages undelivered in " + mode);
        }
      }
      out.printf(
          Locale.ROOT,
          "  %-12s published avg/max %d/%d ms; ours avg %.1f ms (mean of %d seeds),"
              + " worst max %.0f ms; per seed avg/max:%s%n",
          mode,
          p[1],
          p[2],
          sumMean / rs.size(),
          rs.size(),
          maxMax,
          per);
    }
    return 0;
  }
}
