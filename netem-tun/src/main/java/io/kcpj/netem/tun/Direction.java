package io.kcpj.netem.tun;

/**
 * One direction of a {@link TunBridge}: packets read from the source side's TUN device, carried by
 * that direction's {@link PacketPath}, written into the destination side's TUN device.
 */
public enum Direction {
  /** From namespace A to namespace B. */
  A_TO_B(Side.A, Side.B),
  /** From namespace B to namespace A. */
  B_TO_A(Side.B, Side.A);

  private final Side source;
  private final Side destination;

  Direction(Side source, Side destination) {
    this.source = source;
    this.destination = destination;
  }

  /** The side whose kernel sent the packets. */
  public Side source() {
    return source;
  }

  /** The side whose kernel receives the packets. */
  public Side destination() {
    return destination;
  }

  /** The opposite direction. */
  public Direction reverse() {
    return this == A_TO_B ? B_TO_A : A_TO_B;
  }
}
