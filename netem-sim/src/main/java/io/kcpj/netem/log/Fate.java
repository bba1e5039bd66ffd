package io.kcpj.netem.log;

/** What became of one packet (or one duplicate copy) offered to a link direction. */
public enum Fate {
  /**
   * Scheduled for delivery; it is delivered at its delivery time unless the link is closed first.
   */
  DELIVERED("delivered"),
  /** Dropped by the loss model. */
  LOST("lost"),
  /** Dropped because the direction was blacked out by the timeline. */
  BLACKOUT("blackout"),
  /** Tail-dropped because the queue limit was reached. */
  QUEUE_FULL("queue"),
  /** Dropped because it was longer than the maximum packet size (path-MTU black hole). */
  TOO_BIG("size");

  private final String logName;

  Fate(String logName) {
    this.logName = logName;
  }

  /** The word written in fate logs. */
  public String logName() {
    return logName;
  }

  /** Whether the packet was dropped. */
  public boolean isDrop() {
    return this != DELIVERED;
  }
}
