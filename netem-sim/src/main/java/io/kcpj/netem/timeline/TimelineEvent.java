package io.kcpj.netem.timeline;

/**
 * A scripted change to a link at a given time on the link's scheduler clock (nanoseconds since the
 * scheduler's origin), in one direction or both.
 *
 * <p>Timed events ({@link Blackout}, {@link DelayChange}, {@link LossChange}) last {@link
 * #durationNanos()} and then revert; {@link #FOREVER} never reverts. They apply to packets
 * <em>offered</em> in {@code [atNanos, atNanos + durationNanos)}: a packet already in flight keeps
 * the fate it was given. If several events of one kind overlap, the one started last wins until it
 * ends. Events are immutable values.
 */
public sealed interface TimelineEvent permits Blackout, DelayChange, LossChange, Rebind {

  /** A duration that never ends. */
  long FOREVER = Long.MAX_VALUE;

  /** The direction(s) affected. */
  Scope scope();

  /** When the event starts, in nanoseconds on the link's clock. */
  long atNanos();

  /** How long the event lasts ({@link #FOREVER}, or 0 for an instant such as a rebind). */
  long durationNanos();

  /** When the event ends: {@code atNanos + durationNanos}, saturating at {@link #FOREVER}. */
  default long endNanos() {
    long d = durationNanos();
    return d == FOREVER || atNanos() > FOREVER - d ? FOREVER : atNanos() + d;
  }
}
