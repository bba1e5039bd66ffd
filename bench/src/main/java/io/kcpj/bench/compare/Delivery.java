package io.kcpj.bench.compare;

import java.util.Locale;

/**
 * How the workload asks a transport to deliver its messages. Every transport and the report carry
 * it: a transport that cannot deliver a mode is refused by {@link Comparison} with a clear message
 * rather than measured under a different contract. KCP transports deliver {@link #UNORDERED} and
 * {@link #SEQUENCED} when their configuration enables kcp-core's delivery extension ({@code
 * xdelivery}, on in the {@code game} preset). The {@code floor} row is an unreliable, unordered raw
 * echo whatever the mode.
 *
 * <p>With {@link #SEQUENCED} a message may be dropped because a newer one was delivered first; its
 * latency is then the time until that newer echo arrived (the age of the newest state the client
 * holds), and it counts as superseded, not undelivered.
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

  /** kcp-core's delivery mode of the same name (what a KCP transport sends its messages as). */
  public io.kcpj.core.Delivery engineDelivery() {
    return io.kcpj.core.Delivery.valueOf(name());
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
