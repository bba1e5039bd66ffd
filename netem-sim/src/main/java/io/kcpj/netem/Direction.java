package io.kcpj.netem;

/**
 * One of the two directions of a link between endpoint A and endpoint B.
 *
 * <p>By convention A is the client and B the server, so {@link #A_TO_B} is the <em>up</em>
 * direction (client to server) and {@link #B_TO_A} the <em>down</em> direction. Profiles name the
 * directions {@code up} and {@code down}; presets quoting "down/up kbps" follow that convention.
 */
public enum Direction {
  /** From endpoint A (the client) to endpoint B (the server): "up". */
  A_TO_B("up", "a>b"),
  /** From endpoint B (the server) to endpoint A (the client): "down". */
  B_TO_A("down", "b>a");

  private final String profileName;
  private final String logName;

  Direction(String profileName, String logName) {
    this.profileName = profileName;
    this.logName = logName;
  }

  /** The name profiles use for this direction: {@code up} or {@code down}. */
  public String profileName() {
    return profileName;
  }

  /** The short name written in fate logs: {@code a>b} or {@code b>a}. */
  public String logName() {
    return logName;
  }

  /** The other direction. */
  public Direction reverse() {
    return this == A_TO_B ? B_TO_A : A_TO_B;
  }
}
