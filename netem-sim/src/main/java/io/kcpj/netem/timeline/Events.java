package io.kcpj.netem.timeline;

import java.util.Objects;

/** Shared argument checks of the timeline events. */
final class Events {
  private Events() {}

  static void check(Scope scope, long atNanos, long durationNanos) {
    Objects.requireNonNull(scope, "scope");
    if (atNanos < 0) {
      throw new IllegalArgumentException("event time must be >= 0, got " + atNanos + "ns");
    }
    if (durationNanos < 0) {
      throw new IllegalArgumentException(
          "event duration must be >= 0, got " + durationNanos + "ns");
    }
  }
}
