package io.kcpj.netem.tun;

import io.kcpj.netem.Direction;

/**
 * One end of a {@link TunBridge}: each side is a network namespace holding one TUN device and one
 * address. Side {@link #A} holds the lower address by default (192.0.2.1), {@link #B} the higher.
 */
public enum Side {
  /** The first namespace. */
  A,
  /** The second namespace. */
  B;

  /** The other side. */
  public Side peer() {
    return this == A ? B : A;
  }

  /** The direction whose packets this side sends. */
  public Direction outgoing() {
    return this == A ? Direction.A_TO_B : Direction.B_TO_A;
  }
}
