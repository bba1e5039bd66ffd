package io.kcpj.netem.delay;

import io.kcpj.netem.random.Xoshiro256;
import io.kcpj.netem.time.TimeUnits;
import java.util.Objects;

/**
 * How long one packet is delayed: {@code mean + spread · t} nanoseconds, {@code t} drawn from a
 * {@link Distribution}, never below zero (a negative draw delays by 0, as netem sends it at once).
 *
 * <p>As netem's {@code tabledist}: for {@link Distribution#UNIFORM} (netem's default) the delay is
 * an integer number of nanoseconds, uniform in {@code [mean - spread, mean + spread)}: {@code mean
 * - spread + floor(U · 2·spread)}. For the table shapes (normal, pareto, paretonormal) it is {@code
 * mean + spread · v / 8192} for a table entry {@code v}, rounded half away from zero.
 *
 * <p>Whether jitter may reorder packets is not part of the delay: see {@link JitterMode}.
 *
 * <p>Immutable and thread-safe.
 */
public final class DelayModel {
  /** No delay at all. */
  public static final DelayModel NONE = new DelayModel(0, 0, Distribution.CONSTANT);

  private final long meanNanos;
  private final long spreadNanos;
  private final Distribution distribution;

  private DelayModel(long meanNanos, long spreadNanos, Distribution distribution) {
    if (meanNanos < 0) {
      throw new IllegalArgumentException("delay must be >= 0, got " + meanNanos + "ns");
    }
    if (spreadNanos < 0) {
      throw new IllegalArgumentException("jitter must be >= 0, got " + spreadNanos + "ns");
    }
    this.meanNanos = meanNanos;
    this.spreadNanos = spreadNanos;
    this.distribution =
        spreadNanos == 0
            ? Distribution.CONSTANT
            : Objects.requireNonNull(distribution, "distribution");
  }

  /** Always {@code nanos}. */
  public static DelayModel constant(long nanos) {
    return new DelayModel(nanos, 0, Distribution.CONSTANT);
  }

  /** Uniform in {@code [mean - halfWidth, mean + halfWidth)} (netem's default jitter). */
  public static DelayModel uniform(long meanNanos, long halfWidthNanos) {
    return new DelayModel(meanNanos, halfWidthNanos, Distribution.UNIFORM);
  }

  /** netem's normal table with location {@code mean} and scale {@code sigma} (≈ the SD). */
  public static DelayModel normal(long meanNanos, long sigmaNanos) {
    return new DelayModel(meanNanos, sigmaNanos, Distribution.NORMAL);
  }

  /** netem's pareto table with location {@code mean} and scale {@code sigma} (SD 0.82·sigma). */
  public static DelayModel pareto(long meanNanos, long sigmaNanos) {
    return new DelayModel(meanNanos, sigmaNanos, Distribution.PARETO);
  }

  /**
   * netem's paretonormal table with location {@code mean} and scale {@code sigma} (SD 0.83·sigma).
   */
  public static DelayModel paretoNormal(long meanNanos, long sigmaNanos) {
    return new DelayModel(meanNanos, sigmaNanos, Distribution.PARETO_NORMAL);
  }

  /** {@code mean + spread · t}, t from {@code distribution} (constant when spread is 0). */
  public static DelayModel of(long meanNanos, long spreadNanos, Distribution distribution) {
    return new DelayModel(meanNanos, spreadNanos, distribution);
  }

  /** The mean (the location) in nanoseconds. */
  public long meanNanos() {
    return meanNanos;
  }

  /** The spread in nanoseconds: the half-width for uniform, netem's {@code σ} for the tables. */
  public long spreadNanos() {
    return spreadNanos;
  }

  /** The shape of the jitter ({@link Distribution#CONSTANT} when the spread is 0). */
  public Distribution distribution() {
    return distribution;
  }

  /** Whether every packet gets zero delay. */
  public boolean isNone() {
    return meanNanos == 0 && spreadNanos == 0;
  }

  /** One packet's delay in nanoseconds (≥ 0), drawing as {@link Distribution} states. */
  public long sample(Xoshiro256 random) {
    switch (distribution) {
      case CONSTANT:
        return meanNanos;
      case UNIFORM:
        long d = meanNanos - spreadNanos + (long) (random.nextDouble() * (2.0 * spreadNanos));
        return Math.max(0L, d);
      default:
        long x = meanNanos + NetemTables.scale(spreadNanos, distribution.tableEntry(random));
        return Math.max(0L, x);
    }
  }

  /** The smallest delay this model can produce. */
  public long minimumNanos() {
    switch (distribution) {
      case CONSTANT:
        return meanNanos;
      case UNIFORM:
        return Math.max(0L, meanNanos - spreadNanos);
      default:
        return Math.max(
            0L, meanNanos + NetemTables.scale(spreadNanos, distribution.tableMinimum()));
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DelayModel)) {
      return false;
    }
    DelayModel m = (DelayModel) o;
    return m.meanNanos == meanNanos
        && m.spreadNanos == spreadNanos
        && m.distribution == distribution;
  }

  @Override
  public int hashCode() {
    return Objects.hash(meanNanos, spreadNanos, distribution);
  }

  @Override
  public String toString() {
    if (spreadNanos == 0) {
      return TimeUnits.format(meanNanos);
    }
    return TimeUnits.format(meanNanos)
        + " "
        + distribution.specName()
        + " ±"
        + TimeUnits.format(spreadNanos);
  }
}
