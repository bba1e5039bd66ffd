package io.kcpj.bench.compare;

import java.util.Locale;

/**
 * How the workload asks a transport to deliver its messages. Every transport and the report carry
 * it, so delivery modes beyond {@link #ORDERED} slot in as transports learn them: a transport that
 * cannot deliver a mode is refused by {@link Comparison} with a clear message rather than measured
 * under a different contract. The {@code floor} row is an unreliable, unordered raw echo whatever
 * the mode.
 */
public enum Delivery {
  /** Reliable and in order (TCP's contract and KCP's own): the default. */
  ORDERED("ordered", "reliable, in order"),
  /** Reliable, each message delivered as soon as it arrives, exactly once. */
  UNORDERED("unordered", "reliable, delivered on arrival in any order"),
  /** Latest wins: a message older than one already delivered is dropped (state snapshots). */
  SEQUENCED("sequenced", "latest wins: older messages are dropped");

  private final String label;
  private final String meaning;

  Delivery(String label, String meaning) {
    this.label = label;
    this.meaning = meaning;
  }

  /** The name used on the command line and in reports. */
  public String label() {
    return label;
  }

  /** What it means, in a few words. */
  public String meaning() {
    return meaning;
  }

  /** The mode called {@code text} (case-insensitive). */
  public static Delivery parse(String text) {
    for (Delivery d : values()) {
      if (d.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown delivery '" + text + "'; valid: ordered, unordered, sequenced");
  }
}
