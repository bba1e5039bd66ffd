package io.kcpj.core.secure;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Where a secure session or responder hands the datagrams it produces on its own (handshake
 * messages, RETRY, PING, CLOSE, CLOSE_ACK, ABORT, path frames); records carrying PAYLOAD are
 * written by {@link SecureSession#protect} into the caller's buffer instead.
 *
 * <p><b>Buffer ownership:</b> {@code datagram} (position to limit) is a view of the thread's
 * scratch memory, valid only during the call; copy it to keep it. The implementation must not call
 * back into the core from inside {@code send}.
 */
@FunctionalInterface
public interface SecureDatagramSink {
  void send(ByteBuffer datagram, InetSocketAddress recipient);
}
