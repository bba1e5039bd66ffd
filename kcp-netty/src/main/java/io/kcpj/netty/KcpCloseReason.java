package io.kcpj.netty;

/**
 * Why a {@link KcpChannel} closed. Reported once per session to {@link
 * KcpSessionListener#sessionClosed}, by {@link KcpChannel#closeReason()} and counted in {@link
 * KcpCodecMetrics#sessionsClosed(KcpCloseReason)}.
 */
public enum KcpCloseReason {
  /** {@code close()} was called and everything queued in the engine was acknowledged first. */
  LOCAL_CLOSE,
  /**
   * {@code close()} was called but the engine's queue was not acknowledged within {@link
   * KcpChannelOption#CLOSE_TIMEOUT_MILLIS}: what was left was discarded.
   */
  CLOSE_TIMEOUT,
  /** A segment reached the dead-link transmission count ({@link KcpDeadLinkException}). */
  DEAD_LINK,
  /** Nothing was received from the peer for {@link KcpChannelOption#IDLE_TIMEOUT_MILLIS}. */
  IDLE_TIMEOUT,
  /** The datagram channel closed, or the codec was removed from its pipeline. */
  PARENT_CLOSED,
  /**
   * Server: an {@linkplain KcpChannel#isValidated() unvalidated} session, the oldest, was closed to
   * admit a new opening while the session table was full ({@link KcpChannelOption#MAX_SESSIONS}).
   */
  EVICTED,
  /**
   * Server: an {@linkplain KcpChannel#isValidated() unvalidated} session received nothing for
   * {@link KcpChannelOption#UNVALIDATED_TIMEOUT_MILLIS}.
   */
  UNVALIDATED_TIMEOUT,
  /**
   * The codec's sessions held more than {@link KcpChannelOption#MEMORY_BUDGET} bytes in their
   * queues, and this session was among those holding the most.
   */
  MEMORY_BUDGET,
  /**
   * The session had data waiting to be acknowledged and its peer acknowledged none of it for {@link
   * KcpChannelOption#NO_PROGRESS_TIMEOUT_MILLIS} (a peer that never acknowledges, or that
   * advertises a zero window forever).
   */
  NO_PROGRESS
}
