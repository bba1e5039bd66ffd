package io.kcpj.netem.proxy;

import io.kcpj.netem.link.LinkStatsSnapshot;

/**
 * A consistent snapshot of a {@link UdpProxy}'s counters, published by the proxy thread; safe to
 * read from any thread.
 *
 * @param uptimeNanos time since the proxy started
 * @param mappings client mappings open (one per client address)
 * @param up the client → target direction, summed over the mappings
 * @param down the target → client direction, summed over the mappings
 * @param ioErrors socket errors (failed sends, unreachable ports); the datagram is lost
 */
public record ProxyCounters(
    long uptimeNanos, int mappings, LinkStatsSnapshot up, LinkStatsSnapshot down, long ioErrors) {

  /** Nothing yet. */
  public static final ProxyCounters EMPTY =
      new ProxyCounters(0, 0, LinkStatsSnapshot.ZERO, LinkStatsSnapshot.ZERO, 0);

  /** A one-line summary for a console. */
  public String summary() {
    return String.format(
        java.util.Locale.ROOT,
        "t=%.1fs clients=%d | up: %d in, %d out, %d lost, %d drop, %d queued | down: %d in, %d out,"
            + " %d lost, %d drop, %d queued | io-errors=%d",
        uptimeNanos / 1e9,
        mappings,
        up.offeredPackets(),
        up.deliveredPackets(),
        up.droppedLoss(),
        up.dropped() - up.droppedLoss(),
        up.pendingPackets(),
        down.offeredPackets(),
        down.deliveredPackets(),
        down.droppedLoss(),
        down.dropped() - down.droppedLoss(),
        down.pendingPackets(),
        ioErrors);
  }
}
