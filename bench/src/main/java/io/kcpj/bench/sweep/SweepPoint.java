package io.kcpj.bench.sweep;

import io.kcpj.bench.report.RunResult;
import io.kcpj.core.EngineSetting;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.fec.FecSpec;
import java.util.Arrays;
import java.util.List;

/**
 * One configuration of a sweep and what it achieved on each seed: per seed, the merged sessions'
 * p99 RTT (over every message sent, undelivered ones as +∞) and wire overhead. The sweep ranks
 * configurations by the <b>median across seeds</b>, and the spread (lowest and highest seed) says
 * how much one seed can mislead. {@code fec} is the FEC both ends sent ({@link FecSpec#OFF} unless
 * the sweep was given {@code --fec}). Immutable.
 */
public record SweepPoint(KcpConfig config, FecSpec fec, List<RunResult> seeds) {
  public SweepPoint {
    java.util.Objects.requireNonNull(fec, "fec");
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("a sweep point needs at least one seed's result");
    }
    seeds = List.copyOf(seeds);
  }

  /** Without FEC. */
  public SweepPoint(KcpConfig config, List<RunResult> seeds) {
    this(config, FecSpec.OFF, seeds);
  }

  /** One seed's result as a point (tests, single-seed sweeps). */
  public SweepPoint(KcpConfig config, RunResult result) {
    this(config, FecSpec.OFF, List.of(result));
  }

  /** The first seed's result. */
  public RunResult result() {
    return seeds.get(0);
  }

  /** Each seed's p99 RTT in ms (+∞ past the undelivered messages, or when nothing was sent). */
  public double[] p99PerSeed() {
    double[] v = new double[seeds.size()];
    for (int i = 0; i < v.length; i++) {
      double p = seeds.get(i).rttMillisAt(99);
      v[i] = Double.isNaN(p) ? Double.POSITIVE_INFINITY : p;
    }
    return v;
  }

  /** Median across seeds of the p99 RTT, ms. */
  public double p99Millis() {
    return median(p99PerSeed());
  }

  /** The lowest seed's p99, ms. */
  public double p99Low() {
    return Arrays.stream(p99PerSeed()).min().orElse(Double.NaN);
  }

  /** The highest seed's p99, ms. */
  public double p99High() {
    return Arrays.stream(p99PerSeed()).max().orElse(Double.NaN);
  }

  /** Median across seeds of the mean RTT of delivered messages, ms. */
  public double meanMillis() {
    return median(seeds.stream().mapToDouble(RunResult::meanRttMillis).toArray());
  }

  /** Median across seeds of the wire bytes per goodput byte (+∞ when nothing was delivered). */
  public double overhead() {
    return median(
        seeds.stream()
            .mapToDouble(r -> r.goodputBytes() == 0 ? Double.POSITIVE_INFINITY : r.overhead())
            .toArray());
  }

  /** Messages never echoed, over all seeds. */
  public long undelivered() {
    return seeds.stream().mapToLong(RunResult::messagesLost).sum();
  }

  /** Whether the median p99 is finite (at most 1 % undelivered on at least half the seeds). */
  public boolean complete() {
    return !Double.isInfinite(p99Millis()) && !Double.isNaN(p99Millis());
  }

  /** Whether this point's seed range of p99 overlaps {@code o}'s. */
  public boolean overlaps(SweepPoint o) {
    return p99Low() <= o.p99High() && o.p99Low() <= p99High();
  }

  /** Whether this point is at least as good in both medians and better in one. */
  public boolean dominates(SweepPoint o) {
    return p99Millis() <= o.p99Millis()
        && overhead() <= o.overhead()
        && (p99Millis() < o.p99Millis() || overhead() < o.overhead());
  }

  /**
   * The compact config text, e.g. {@code nodelay=1,interval=10,resend=2,nc=true,wnd=128}, with
   * {@code ,fec=10/3} when FEC is on.
   */
  public String label() {
    return label(config, fec);
  }

  /** The compact text of a swept configuration with its FEC. */
  public static String label(KcpConfig c, FecSpec fec) {
    return label(c) + (fec.enabled() ? ",fec=" + fec : "");
  }

  /** The compact text of a swept configuration. */
  public static String label(KcpConfig c) {
    return "nodelay="
        + c.nodelay()
        + ",interval="
        + c.interval()
        + ",resend="
        + c.fastResend()
        + ",nc="
        + c.noCongestionWindow()
        + ",sndwnd="
        + c.sendWindow()
        + ",rcvwnd="
        + c.receiveWindow()
        + latencyLabel(c);
  }

  /** The latency knobs that differ from the reference, e.g. {@code ,thin=true,dup=1}. */
  private static String latencyLabel(KcpConfig c) {
    StringBuilder sb = new StringBuilder();
    for (EngineSetting<?> s :
        java.util.List.of(
            EngineSetting.THIN_STREAM,
            EngineSetting.REDUNDANCY,
            EngineSetting.MAX_RTO,
            EngineSetting.ACK_DELAY)) {
      Object v = c.get(s);
      if (!v.equals(s.defaultValue())) {
        sb.append(',').append(s.key()).append('=').append(v);
      }
    }
    return sb.toString();
  }

  /** The median of {@code v} (the mean of the middle two for an even count); NaN when empty. */
  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    if (n % 2 == 1) {
      return s[n / 2];
    }
    double a = s[n / 2 - 1];
    double b = s[n / 2];
    return Double.isInfinite(b) ? b : (a + b) / 2;
  }
}
