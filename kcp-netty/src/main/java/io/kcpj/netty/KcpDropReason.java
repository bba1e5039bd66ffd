package io.kcpj.netty;

/**
 * Why a codec dropped an inbound datagram without giving it to any session. Each drop is counted in
 * {@link KcpCodecMetrics#datagramsDropped(KcpDropReason)} and reported to {@link
 * KcpSessionListener#datagramDropped}; none raises an exception in the event loop.
 */
public enum KcpDropReason {
  /** Shorter than a KCP header (24 bytes), or its first segment's length runs past the end. */
  MALFORMED,
  /**
   * Server: from an address with no session, and not the opening of a conversation (a PUSH with sn
   * 0). Client: from an (address, conv) that no {@link KcpChannel} of this codec owns.
   */
  UNKNOWN_SESSION,
  /** Server: from an address that has sessions, for a conv it has none of, and not an opening. */
  UNKNOWN_CONV,
  /** Server: a valid opening refused because {@link KcpChannelOption#MAX_SESSIONS} are open. */
  SESSION_LIMIT,
  /**
   * For a known session, but the engine rejected (part of) its content: bad command, bad length, a
   * second conv inside the datagram. Segments before the bad one were processed, as in ikcp.
   */
  ENGINE_REJECTED,
  /** The codec failed while handling it (a bug, logged with its stack trace). */
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
  UNEXPECTED_FEC
}
