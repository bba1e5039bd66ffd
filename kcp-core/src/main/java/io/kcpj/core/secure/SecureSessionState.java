package io.kcpj.core.secure;

/** Where a secure session is in its life (docs/secure-sessions.md, section 10). Immutable. */
public enum SecureSessionState {
  /** Client: INITIATION sent (or not yet started), waiting for RESPONSE. */
  HANDSHAKE,
  /** Server: RESPONSE sent, waiting for the client's first authenticated record. */
  CONFIRMING,
  /** Keys confirmed both ways; records flow. */
  ESTABLISHED,
  /** Both directions closed gracefully; answering retransmitted CLOSEs until the drain ends. */
  DRAINING,
  /** Ended; see {@link SecureSession#closeReason()}. */
  CLOSED
}
