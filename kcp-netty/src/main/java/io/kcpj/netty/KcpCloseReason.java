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
   * Under a session layer also: a session at the (address, conv) a migrated client's validated
   * session moved to (the layer gave the route to the mover), or an established session the codec
   * could not take (the table full of validated sessions, or its channel could not be set up).
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
  NO_PROGRESS,
  /**
   * The {@linkplain KcpSessionLayer session layer} reported that the peer closed its session
   * (kcpj's secure sessions: the peer's CLOSE, sent when its channel closed or shut its output),
   * and this channel does not allow half-closure ({@link
   * io.netty.channel.ChannelOption#ALLOW_HALF_CLOSURE} false, the default); with it, the input
   * shuts instead and the channel stays open ({@link #SHUTDOWN} once both directions ended).
   */
  PEER_CLOSED,
  /**
   * The session layer reported that the peer aborted the session (a secure ABORT record); its code
   * is {@link KcpChannel#abortCode()}.
   */
  PEER_ABORT,
  /**
   * The session layer recognised the server's stateless reset: the server no longer holds this
   * session (it restarted, or dropped the session's state).
   */
  STATELESS_RESET,
  /**
   * The session layer heard nothing authenticated from the peer, not even a keepalive, for its idle
   * timeout: the peer is gone or unreachable. (The channel's own {@link #IDLE_TIMEOUT} is about the
   * application's inactivity instead.)
   */
  SECURE_IDLE_TIMEOUT,
  /**
   * The session layer could not establish the session: no authenticated answer within its handshake
   * timeout (a client's connect fails with a {@link KcpConnectException} for it).
   */
  HANDSHAKE_FAILED,
  /**
   * The session layer ended the session at one of its keys' limits: packet numbers used up, or too
   * many records failing authentication.
   */
  SECURE_LIMIT,
  /**
   * {@link KcpChannel#abort(int)} was called: closed at once, whatever was queued discarded. Under
   * a session layer the peer is told (kcpj's secure sessions: an ABORT record with the code; the
   * peer's channel closes with {@link #PEER_ABORT} and the same {@link KcpChannel#abortCode()}).
   * The codec aborts a channel itself, with a code of its own, when the peer sends data after
   * ending its output ({@link KcpChannel#ABORT_DATA_AFTER_END}) and when a {@link
   * KcpChannel#shutdownOutput()} cannot be sent (code 0).
   */
  LOCAL_ABORT,
  /**
   * Both directions were shut down, gracefully: this side's output with {@link
   * KcpChannel#shutdownOutput()} (everything it wrote acknowledged by the peer's engine, then the
   * session layer's end-of-output signal sent) and the peer's output by its own (kcpj's secure
   * CLOSE, with everything the peer sent delivered to the pipeline and {@link
   * io.netty.channel.socket.ChannelInputShutdownEvent} fired; needs {@link
   * io.netty.channel.ChannelOption#ALLOW_HALF_CLOSURE}), in either order. Nothing was lost: each
   * side's CLOSE is sent only once its peer's engine acknowledged everything that side wrote (a
   * side that closes with data unacknowledged sends an ABORT with {@link
   * KcpChannel#ABORT_UNDELIVERED} instead, and this side closes with {@link #PEER_ABORT}): the
   * half-closing counterpart of {@link #LOCAL_CLOSE}. Only under a session layer that supports
   * half-close (kcpj's secure sessions).
   */
  SHUTDOWN
}
