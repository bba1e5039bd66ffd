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
  PARENT_CLOSED
}
