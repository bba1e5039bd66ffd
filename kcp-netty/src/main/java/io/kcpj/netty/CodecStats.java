package io.kcpj.netty;

import io.kcpj.core.KcpCounters;

/** The mutable counters behind {@link KcpCodecMetrics}. Event-loop confined. */
final class CodecStats {
  long sessionsOpened;
  final long[] closed = new long[KcpCloseReason.values().length];
  final long[] dropped = new long[KcpDropReason.values().length];
  long datagramsIn;
  long datagramsOut;
  /** Engine counters of the sessions already closed. */
  final KcpCounters closedEngines = new KcpCounters();
}
