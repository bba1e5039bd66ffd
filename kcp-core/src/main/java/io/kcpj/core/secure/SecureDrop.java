package io.kcpj.core.secure;

/**
 * What happened to a datagram given to the secure-session core: {@link #NONE} when it was accepted,
 * otherwise why it was dropped (docs/secure-sessions.md, section 11). A dropped datagram changed
 * nothing: no event, no state, no replay-window or budget movement.
 *
 * <p>Also the index of the drop counters in {@link SecureCounters}. Immutable.
 */
public enum SecureDrop {
  /** Accepted (not a drop). */
  NONE,
  /** Shorter than the smallest datagram of its type. */
  TOO_SHORT,
  /** First byte is not a type this side accepts. */
  UNKNOWN_TYPE,
  /** INITIATION of a protocol version this server does not speak. */
  UNKNOWN_VERSION,
  /** INITIATION naming a suite this server does not accept. */
  UNSUPPORTED_SUITE,
  /** Structurally invalid (bad token length, payload too short after authentication, …). */
  MALFORMED,
  /** Receiver id names no session of this receiver. */
  UNKNOWN_SESSION,
  /** Right format, wrong moment (a RESPONSE when established, a second RETRY, …). */
  UNEXPECTED,
  /** Address validation token absent where required, malformed, expired or forged. */
  TOKEN_INVALID,
  /** The AEAD tag or a Noise handshake message did not verify. */
  AUTHENTICATION_FAILED,
  /** Packet number already accepted. */
  REPLAYED,
  /** Packet number below the replay window. */
  TOO_OLD,
  /** Packet number in a key epoch this side holds no key for. */
  KEY_UNAVAILABLE,
  /** Packet number outside the valid range. */
  PACKET_NUMBER_INVALID,
  /** Authenticated record whose frames do not parse. */
  MALFORMED_FRAMES,
  /** A send refused by the 3x anti-amplification limit of an unvalidated address. */
  BLOCKED_BY_AMPLIFICATION_LIMIT,
  /** The session is closed or draining. */
  CLOSED,
  /**
   * This side's own cryptography refused to work (the JDK declined an encryption, as it does when a
   * key and nonce repeat: only a broken random source makes a handshake key repeat). Nothing was
   * sent and no state kept. Not caused by the datagram's content alone; a non-zero count is worth
   * investigating.
   */
  LOCAL_CRYPTO_FAILURE
}
