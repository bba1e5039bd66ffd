package io.kcpj.netem.timeline;

/**
 * The link is down: every packet offered during {@code [atNanos, atNanos + durationNanos)} is
 * dropped (counted as a blackout drop, with no random draw). Packets already in flight are still
 * delivered.
 *
 * @param scope the direction(s) that go down
 * @param atNanos start time on the link's clock
 * @param durationNanos how long, > 0
 */
public record Blackout(Scope scope, long atNanos, long durationNanos) implements TimelineEvent {
  /** Validates the fields. */
  public Blackout {
    Events.check(scope, atNanos, durationNanos);
    if (durationNanos == 0) {
      throw new IllegalArgumentException("a blackout needs a duration > 0");
    }
  }
}
