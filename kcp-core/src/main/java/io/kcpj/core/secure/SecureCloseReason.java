package io.kcpj.core.secure;

/** Why a secure session ended (docs/secure-sessions.md, section 10). Immutable. */
public enum SecureCloseReason {
  /** Both directions closed and drained. */
  GRACEFUL,
  /** This side called {@code abort}. */
  ABORTED_LOCALLY,
  /** The peer sent ABORT (its code is reported with the event). */
  ABORTED_BY_PEER,
  /** No authenticated record within the idle timeout. */
  IDLE_TIMEOUT,
  /**
   * Client: no valid RESPONSE within the handshake timeout (wrong key or pinned public key, server
   * not in secure mode, or unreachable). Server: the client never confirmed.
   */
  HANDSHAKE_TIMEOUT,
  /** Client: the server's stateless reset (it lost the session). */
  STATELESS_RESET,
  /** A direction used up its packet numbers. */
  PACKET_NUMBER_EXHAUSTED,
  /** Too many records failed authentication for one session (AEAD integrity limit). */
  INTEGRITY_LIMIT
}
