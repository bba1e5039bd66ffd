package io.kcpj.netem.link;

import io.kcpj.netem.log.Fate;
import java.util.Objects;

/**
 * What {@link LinkDirection#offer(Object, long)} did with one offered packet: the original's {@link
 * Fate} and, when the duplicate model made a copy, the copy's.
 *
 * <p>{@link Fate#DELIVERED} means "scheduled for delivery" (it reaches the sink at its time unless
 * the link is closed first). A copy whose original was hit by the loss model has the fate {@link
 * Fate#LOST}: as in netem, a loss on a duplicated packet cancels the copy, and the original goes on
 * alone.
 *
 * <p>Instances are shared constants, one per combination, so offering allocates nothing; compare
 * them with {@code ==} or {@link #equals}. Immutable and thread-safe.
 */
public final class Outcome {
  private static final Fate[] FATES = Fate.values();
  private static final Outcome[][] ALL = new Outcome[FATES.length][FATES.length + 1];

  static {
    for (Fate fate : FATES) {
      ALL[fate.ordinal()][0] = new Outcome(fate, null);
      for (Fate copy : FATES) {
        ALL[fate.ordinal()][copy.ordinal() + 1] = new Outcome(fate, copy);
      }
    }
  }

  private final Fate fate;
  private final Fate copyFate;

  private Outcome(Fate fate, Fate copyFate) {
    this.fate = fate;
    this.copyFate = copyFate;
  }

  /** A packet that was not duplicated and met {@code fate}. */
  public static Outcome of(Fate fate) {
    return ALL[fate.ordinal()][0];
  }

  /**
   * A packet that met {@code fate}, with a duplicate copy that met {@code copyFate} ({@code null}
   * when no copy was made).
   */
  public static Outcome of(Fate fate, Fate copyFate) {
    Objects.requireNonNull(fate, "fate");
    return ALL[fate.ordinal()][copyFate == null ? 0 : copyFate.ordinal() + 1];
  }

  /** The original packet's fate. */
  public Fate fate() {
    return fate;
  }

  /** Whether the duplicate model decided on a copy (even if the copy was then dropped). */
  public boolean duplicated() {
    return copyFate != null;
  }

  /** The copy's fate, or {@code null} if the packet was not duplicated. */
  public Fate copyFate() {
    return copyFate;
  }

  /** How many packets were scheduled for delivery: 0, 1 or 2. */
  public int deliveries() {
    return (fate == Fate.DELIVERED ? 1 : 0) + (copyFate == Fate.DELIVERED ? 1 : 0);
  }

  @Override
  public String toString() {
    return copyFate == null
        ? fate.logName()
        : fate.logName() + " (copy " + copyFate.logName() + ")";
  }
}
