package io.kcpj.netem.timeline;

import io.kcpj.netem.Direction;

/** The direction(s) a timeline event applies to. */
public enum Scope {
  /** {@link Direction#A_TO_B} only. */
  UP,
  /** {@link Direction#B_TO_A} only. */
  DOWN,
  /** Both directions. */
  BOTH;

  /** Whether the event applies to {@code direction}. */
  public boolean includes(Direction direction) {
    return this == BOTH || (this == UP) == (direction == Direction.A_TO_B);
  }

  /** The scope of exactly {@code direction}. */
  public static Scope of(Direction direction) {
    return direction == Direction.A_TO_B ? UP : DOWN;
  }
}
