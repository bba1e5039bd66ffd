package io.kcpj.netem.delay;

import io.kcpj.netem.loss.Probabilities;

/**
 * netem's explicit reordering ({@code reorder PROBABILITY gap GAP}): after every {@code gap - 1}
 * packets delayed normally, each packet skips the delay (and the rate) with probability {@code
 * probability} and goes to the head of the queue; that resets the count.
 *
 * <p>It needs a delay to have any effect. With gap g and probability p, the long-run fraction of
 * reordered packets is {@code p / (1 + (g - 1)·p)}.
 *
 * <p>Draws: one per packet, only once the count has reached {@code gap - 1}.
 *
 * <p>Profile syntax: {@code reorder=PROBABILITY[:GAP]} (gap 1 by default, as tc). Immutable.
 */
public final class Reorder {
  private final double probability;
  private final int gap;

  private Reorder(double probability, int gap) {
    this.probability = Probabilities.check("reorder probability", probability);
    if (gap < 1) {
      throw new IllegalArgumentException("reorder gap must be >= 1, got " + gap);
    }
    this.gap = gap;
  }

  /** Reorder with {@code probability} after every {@code gap - 1} normally delayed packets. */
  public static Reorder of(double probability, int gap) {
    return new Reorder(probability, gap);
  }

  /** The probability of skipping the delay, once the gap is reached. */
  public double probability() {
    return probability;
  }

  /** The gap: packets {@code gap - 1} after a reorder are always delayed normally. */
  public int gap() {
    return gap;
  }

  /** The long-run fraction of packets reordered: {@code p / (1 + (g - 1)·p)}. */
  public double rate() {
    return probability / (1.0 + (gap - 1) * probability);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reorder
        && ((Reorder) o).probability == probability
        && ((Reorder) o).gap == gap;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(probability) * 31 + gap;
  }

  @Override
  public String toString() {
    return Probabilities.format(probability) + (gap == 1 ? "" : ":" + gap);
  }
}
