package io.kcpj.core.secure;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Events of one secure session, called on the session's thread from inside {@code onDatagram},
 * {@code onTimer}, {@code start} or {@code abort}.
 *
 * <p>A listener may call {@link SecureSession#protect}, {@code closeSend} and {@code abort} on the
 * session from inside a callback; it must not call {@code onDatagram} or {@code onTimer}.
 */
public interface SecureSessionListener {
  /** Client: the handshake completed. Server: the client confirmed the session. */
  default void onEstablished(SecureSession session) {}

  /**
   * An inner datagram (FEC shard or KCP segments) from an authenticated, fresh record.
   *
   * <p><b>Buffer ownership:</b> {@code inner} (position to limit) is a view of the thread's scratch
   * memory, valid only during the call; consume or copy it (for example {@code Kcp.input(inner)}).
   */
  void onPayload(SecureSession session, ByteBuffer inner);

  /** The peer closed its sending direction (once). */
  default void onPeerClosed(SecureSession session) {}

  /**
   * Server: the client's new address was validated and is now where the session sends. {@code
   * previous} is the last validated address, or {@code null} if there was none.
   */
  default void onPathChanged(
      SecureSession session, InetSocketAddress previous, InetSocketAddress current) {}

  /**
   * Server: the client's new address {@code abandoned} did not answer the path challenge within the
   * path validation timeout; the session sends to {@code current} again (the last validated
   * address) or, if there was none, keeps sending to {@code abandoned} within its 3x budget ({@code
   * current} is then {@code abandoned}).
   */
  default void onPathValidationFailed(
      SecureSession session, InetSocketAddress abandoned, InetSocketAddress current) {}

  /** The session ended (once); {@code abortCode} is the peer's code for {@code ABORTED_BY_PEER}. */
  default void onClosed(SecureSession session, SecureCloseReason reason, int abortCode) {}
}
