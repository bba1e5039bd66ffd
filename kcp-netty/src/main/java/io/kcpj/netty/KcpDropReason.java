package io.kcpj.netty;

/**
 * Why a codec dropped an inbound datagram without giving it to any session. Each drop is counted in
 * {@link KcpCodecMetrics#datagramsDropped(KcpDropReason)} and reported to {@link
 * KcpSessionListener#datagramDropped}; none raises an exception in the event loop, and none is
 * logged one by one (the codec logs at most one summary line per reason per interval, see {@link
 * KcpCodecBuilder#logSummaryInterval}).
 */
public enum KcpDropReason {
  /** Shorter than a KCP header (24 bytes), or its first segment's length runs past the end. */
  MALFORMED,
  /**
   * Server: from an address with no session, and not the opening of a conversation (a data segment
   * with sn 0). Client: from an (address, conv) that no {@link KcpChannel} of this codec owns.
   */
  UNKNOWN_SESSION,
  /** Server: from an address that has sessions, for a conv it has none of, and not an opening. */
  UNKNOWN_CONV,
  /**
   * Server: a valid opening refused because {@link KcpChannelOption#MAX_SESSIONS} sessions are open
   * and every one of them is {@linkplain KcpChannel#isValidated() validated} (an unvalidated one
   * would have been evicted to make room).
   */
  SESSION_LIMIT,
  /**
   * Server: a valid opening refused because its source (an IPv4 address, or an IPv6 /64 prefix)
   * already has {@link KcpChannelOption#MAX_UNVALIDATED_PER_SOURCE} unvalidated sessions.
   */
  SOURCE_LIMIT,
  /**
   * For a known session, but the engine rejected (part of) its content: bad command, bad length, a
   * second conv inside the datagram. Segments before the bad one were processed, as in ikcp.
   */
  ENGINE_REJECTED,
  /** The codec failed while handling it (a bug: counted, and summarised in the log). */
  INTERNAL_ERROR,
  /**
   * With {@link KcpChannelOption#CRYPT}: too short to open, or its CRC did not match after
   * decryption (wrong key or method, damage, forgery; kcp-go's InCsumErrors).
   */
  BAD_CHECKSUM,
  /**
   * An FEC shard for a session that sends no FEC, with {@link
   * KcpChannelOption#FEC_DECODE_UNREQUESTED} off. (A parity shard from an address with no session
   * counts as {@link #UNKNOWN_SESSION}: parity carries no conv and is routed by address.)
   */
  UNEXPECTED_FEC,
  /**
   * Server: for a conversation whose session this codec closed in the last minute (idle,
   * unvalidated or no-progress timeout, memory budget, eviction, the application's close; the 1,024
   * most recent closes), and not a new opening. Plain KCP has no reset: the peer is told nothing
   * and learns only through its own dead-link rule or idle timeout; this count lets an operator see
   * such peers. Without it these datagrams would count as {@link #UNKNOWN_SESSION} or {@link
   * #UNKNOWN_CONV}.
   */
  CLOSED_SESSION,
  /**
   * Carried application data for a session whose peer had ended its output (kcpj's secure CLOSE,
   * sent once everything the peer wrote had been acknowledged): a protocol violation. The data is
   * never delivered (no {@code channelRead} after {@code ChannelInputShutdownEvent}, and the input
   * shutdown is not postponed by it); the session is aborted ({@link KcpCloseReason#LOCAL_ABORT},
   * {@link KcpChannel#abortCode()} {@link KcpChannel#ABORT_DATA_AFTER_END}, sent to the peer).
   */
  DATA_AFTER_PEER_END
}
