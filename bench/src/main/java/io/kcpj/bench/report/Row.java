package io.kcpj.bench.report;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One row of a comparison report — a transport on a profile — with every figure derived from it:
 * percentiles over every message sent (undelivered ones as +∞), the p99's 95 % interval, the excess
 * over the profile's {@code floor} row, and ratios to the profile's baseline row ({@code tcp}) with
 * their bootstrap intervals. All figures come from the rows' {@link Latency} (the same data as the
 * {@code .hlog} files), so every format agrees.
 *
 * <p>Immutable apart from lazily computed, cached intervals; confined to the report-writing thread.
 */
public final class Row {
  /** The confidence of every interval in the reports. */
  public static final double CONFIDENCE = 0.95;

  private final RunResult result;
  private final RunResult floor;
  private final RunResult baseline;
  private Interval p99;
  private Interval p99ExcessRange;
  private Interval p99ExcessRatio;
  private Interval meanExcessRatio;

  /**
   * @param result this row
   * @param floor the profile's floor row, or null (none, or this is it)
   * @param baseline the profile's baseline row ({@code tcp}), or null
   */
  public Row(RunResult result, RunResult floor, RunResult baseline) {
    this.result = Objects.requireNonNull(result, "result");
    this.floor = floor == result ? null : floor;
    this.baseline = baseline;
  }

  public RunResult result() {
    return result;
  }

  /** The floor row of this row's profile (null for the floor itself or when there is none). */
  public RunResult floor() {
    return floor;
  }

  /** The baseline row of this row's profile, or null. */
  public RunResult baseline() {
    return baseline;
  }

  public String profile() {
    return result.profile();
  }

  public String transport() {
    return result.transport();
  }

  public Latency latency() {
    return result.latency();
  }

  /** Whether this row is the profile's baseline ({@code tcp}). */
  public boolean isBaseline() {
    return baseline == result;
  }

  /** RTT at percentile {@code p} in ms over every message sent (undelivered: +∞). */
  public double at(double p) {
    return result.rttMillisAt(p);
  }

  /** The p99 with its distribution-free 95 % interval (ms). */
  public Interval p99() {
    if (p99 == null) {
      p99 = OrderStatisticInterval.of(latency(), 99, CONFIDENCE);
    }
    return p99;
  }

  /** Mean RTT over the floor's mean, ms (NaN without a floor). */
  public double meanExcess() {
    return floor == null ? Double.NaN : result.meanRttMillis() - floor.meanRttMillis();
  }

  /** p50 over the floor's p50, ms. */
  public double p50Excess() {
    return excessAt(50);
  }

  /** p99 over the floor's p99, ms (+∞ when this row's p99 is). */
  public double p99Excess() {
    return excessAt(99);
  }

  /** RTT at {@code p} over the floor's at {@code p}, ms; NaN without a floor. */
  public double excessAt(double p) {
    if (floor == null) {
      return Double.NaN;
    }
    double mine = at(p);
    double f = floor.rttMillisAt(p);
    if (Double.isInfinite(f)) {
      return Double.NaN; // the floor itself lost too much to be a floor
    }
    return mine - f;
  }

  /**
   * The p99 excess with a conservative 95 % range: this row's p99 interval minus the floor's (low −
   * floor high, high − floor low). NaN without a floor.
   */
  public Interval p99ExcessRange() {
    if (p99ExcessRange == null) {
      if (floor == null) {
        p99ExcessRange = Interval.NONE;
      } else {
        Interval f = OrderStatisticInterval.of(floor.latency(), 99, CONFIDENCE);
        Interval m = p99();
        p99ExcessRange = new Interval(p99Excess(), m.low() - f.high(), m.high() - f.low());
      }
    }
    return p99ExcessRange;
  }

  /**
   * This row's p99 excess over the baseline's (both over the floor; raw p99s without a floor), with
   * a bootstrap 95 % interval. NaN without a baseline, and for the baseline itself.
   */
  public Interval p99ExcessVsBaseline() {
    if (p99ExcessRatio == null) {
      p99ExcessRatio =
          comparable()
              ? bootstrap()
                  .percentileExcessRatio(
                      latency(), baseline.latency(), floor == null ? null : floor.latency(), 99)
              : Interval.NONE;
    }
    return p99ExcessRatio;
  }

  /** This row's mean excess over the baseline's, with a bootstrap 95 % interval. */
  public Interval meanExcessVsBaseline() {
    if (meanExcessRatio == null) {
      meanExcessRatio =
          comparable()
              ? bootstrap()
                  .meanExcessRatio(
                      latency(), baseline.latency(), floor == null ? null : floor.latency())
              : Interval.NONE;
    }
    return meanExcessRatio;
  }

  /** Wire bytes per goodput byte, relative to the baseline's (NaN without one). */
  public double wireVsBaseline() {
    if (!comparable() || baseline.overhead() == 0) {
      return Double.NaN;
    }
    return result.overhead() / baseline.overhead();
  }

  private boolean comparable() {
    return baseline != null
        && baseline != result
        && !isFloorRow()
        && latency().count() > 0
        && baseline.latency().count() > 0;
  }

  /** Whether this row is a floor row (it has no floor of its own and is labelled so). */
  public boolean isFloorRow() {
    return result.transport().equals(FLOOR);
  }

  /** The label of floor rows. */
  public static final String FLOOR = "floor";

  /** The label of baseline rows. */
  public static final String BASELINE = "tcp";

  private RatioBootstrap bootstrap() {
    // Seeded by the row's names: the same data give the same intervals in every report.
    byte[] k = (profile() + "\n" + transport()).getBytes(StandardCharsets.UTF_8);
    long seed = 1125899906842597L;
    for (byte b : k) {
      seed = 31 * seed + b;
    }
    return new RatioBootstrap(seed);
  }
}
