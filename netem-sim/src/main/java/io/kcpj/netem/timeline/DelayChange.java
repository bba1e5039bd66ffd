package io.kcpj.netem.timeline;

import io.kcpj.netem.delay.DelayModel;
import java.util.Objects;

/**
 * An RTT step: packets offered during the event are delayed by {@code delay} instead of the
 * direction's own delay model; the jitter mode and the rate stay as configured.
 *
 * @param scope the direction(s) affected
 * @param atNanos start time on the link's clock
 * @param durationNanos how long ({@link TimelineEvent#FOREVER} for a permanent step)
 * @param delay the delay model in force during the event
 */
public record DelayChange(Scope scope, long atNanos, long durationNanos, DelayModel delay)
    implements TimelineEvent {
  /** Validates the fields. */
  public DelayChange {
    Events.check(scope, atNanos, durationNanos);
    Objects.requireNonNull(delay, "delay");
  }
}
