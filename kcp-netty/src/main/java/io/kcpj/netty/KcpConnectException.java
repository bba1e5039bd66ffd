package io.kcpj.netty;

import java.net.ConnectException;

/**
 * A client session could not be opened because the {@link KcpSessionLayer} under the codec could
 * not establish it (for kcpj's secure sessions: no authenticated answer within the handshake
 * timeout). The message is one line saying what happened and what may be wrong; {@link
 * #closeReason()} gives it as a {@link KcpCloseReason}.
 */
public final class KcpConnectException extends ConnectException {
  private static final long serialVersionUID = 1L;

  private final KcpCloseReason closeReason;

  /** A failed connect, for {@code reason}, described by {@code message}. */
  public KcpConnectException(KcpCloseReason reason, String message) {
    super(message);
    this.closeReason = reason;
  }

  /** Why the layer gave up (e.g. {@link KcpCloseReason#HANDSHAKE_FAILED}). */
  public KcpCloseReason closeReason() {
    return closeReason;
  }
}
