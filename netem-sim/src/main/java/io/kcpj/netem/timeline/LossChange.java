package io.kcpj.netem.timeline;

import io.kcpj.netem.loss.LossModel;
import java.util.Objects;

/**
 * A new loss model for packets offered during the event. It starts from a fresh state (e.g. GOOD)
 * when the event starts; when it ends, the direction's own model resumes from the state it was left
 * in.
 *
 * @param scope the direction(s) affected
 * @param atNanos start time on the link's clock
 * @param durationNanos how long ({@link TimelineEvent#FOREVER} for a permanent change)
 * @param loss the loss model in force during the event
 */
public record LossChange(Scope scope, long atNanos, long durationNanos, LossModel loss)
    implements TimelineEvent {
  /** Validates the fields. */
  public LossChange {
    Events.check(scope, atNanos, durationNanos);
    Objects.requireNonNull(loss, "loss");
  }
}
