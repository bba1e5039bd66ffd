package io.kcpj.netty;

import io.kcpj.core.KcpCounters;
import io.kcpj.core.stack.DatagramStackCounters;

/** The mutable counters behind {@link KcpCodecMetrics}. Event-loop confined. */
final class CodecStats {
  long sessionsOpened;
  final long[] closed = new long[KcpCloseReason.values().length];
  final long[] dropped = new long[KcpDropReason.values().length];
  long datagramsIn;
  long datagramsOut;

  /** Read bursts (channelReadComplete after at least one datagram). */
  long readBursts;

  /** Times read coalescing paused reading. */
  long readPauses;

  /** Sessions open now whose peer is not validated (see {@link SessionAdmission}). */
  int sessionsUnvalidated;

  /** Sessions that became validated after opening unvalidated. */
  long validations;

  /** Sessions moved to a new address on a session layer's path change. */
  long pathChanges;

  /** Path validations a session layer reported failed for an open session. */
  long pathValidationsFailed;

  /** Datagrams cut or withheld by the anti-amplification limit, and the bytes not sent. */
  long datagramsWithheld;

  long bytesWithheld;

  /** Bytes held by the open sessions' queues, and the budget ({@link MemoryBudget}). */
  long bytesHeld;

  long memoryBudget;

  /** Failures inside the codec while serving a session outside a datagram's handling. */
  long sessionFailures;

  /** Engine counters of the sessions already closed. */
  final KcpCounters closedEngines = new KcpCounters();

  /** Datagram-layer counters of the sessions already closed. */
  final DatagramStackCounters closedLayers = new DatagramStackCounters();
}
