package io.kcpj.netem.timeline;

import java.net.InetSocketAddress;

/**
 * Address rebinding, as on a Wi-Fi ↔ 4G move or a NAT rebinding: from {@code atNanos} on, the
 * receiver of the {@code scope} direction sees the sender's packets come from a new source address.
 * Replies to the new address still reach the real sender.
 *
 * <p>The link itself carries no addresses; the fronts apply it: {@code VirtualNetwork} gives the
 * sender a new source address (the given one, or the next free port on the same host); {@code
 * UdpProxy} opens a new upstream socket for each client (the target sees a new port); {@code
 * NetemHandler} rewrites the sender of inbound packets. A packet carries the source in force when
 * it was offered.
 *
 * @param scope the direction(s) whose sender appears to move: {@code UP} means B sees A move
 * @param atNanos when, on the link's clock
 * @param newAddress the new source address, or {@code null} to let the front pick one
 */
public record Rebind(Scope scope, long atNanos, InetSocketAddress newAddress)
    implements TimelineEvent {
  /** Validates the fields. */
  public Rebind {
    Events.check(scope, atNanos, 0);
  }

  @Override
  public long durationNanos() {
    return 0;
  }
}
