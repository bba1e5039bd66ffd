package io.kcpj.netty;

import io.kcpj.core.secure.SecureCounters;
import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;

/**
 * A datagram layer under a KCP codec that establishes each (remote address, conv) session itself
 * before the session may carry KCP, authenticates what it passes up, and reports on its sessions
 * with {@link KcpSessionLayerEvent}s fired inbound ({@code fireUserEventTriggered}) in order with
 * the datagrams it passes up. kcpj's secure sessions ({@code io.kcpj.netty.secure}) are such
 * layers.
 *
 * <p>A codec finds a layer of this type placed before it in its datagram channel's pipeline (it
 * must be there when the channel becomes active) and then changes how sessions open:
 *
 * <ul>
 *   <li>a client codec's {@code connect} calls {@link #open} and leaves the connect future pending;
 *       the session's channel is created, active, and the future succeeds only on the layer's
 *       {@link KcpSessionLayerEvent.Established}; a {@link KcpSessionLayerEvent.Closed} first fails
 *       the future with a {@link KcpConnectException} carrying the layer's reason;
 *   <li>a server codec opens a session on the layer's {@link KcpSessionLayerEvent.Established}
 *       only, as {@linkplain KcpChannel#isValidated() validated} (the layer proved the peer's
 *       address), so the codec's own anti-amplification limit does not apply; a datagram for no
 *       session is dropped;
 *   <li>a {@link KcpSessionLayerEvent.Closed} closes the session's channel with its reason;
 *   <li>a {@link KcpSessionLayerEvent.PeerHalfClosed} shuts the channel's input (with {@link
 *       io.netty.channel.ChannelOption#ALLOW_HALF_CLOSURE}) or closes it with {@link
 *       KcpCloseReason#PEER_CLOSED};
 *   <li>a {@link KcpSessionLayerEvent.PathChanged} moves the session to the new address.
 * </ul>
 *
 * <p>When one of the codec's sessions closes for any reason, the codec calls {@link
 * #close(InetSocketAddress, int, KcpCloseReason, int)}. A layer that {@linkplain
 * #supportsHalfClose() supports half-close} is also asked to end a session's sending direction
 * alone ({@link #shutdownOutput}): when the channel's {@link KcpChannel#shutdownOutput()} has had
 * everything acknowledged, and after a {@link KcpSessionLayerEvent.PeerHalfClosed} the channel did
 * not keep half-open. All calls are made on the datagram channel's event loop.
 */
public interface KcpSessionLayer extends ChannelHandler {
  /**
   * Client codecs: start establishing a session with {@code remote} for {@code conv}. The layer
   * answers later, with an {@link KcpSessionLayerEvent.Established} or a {@link
   * KcpSessionLayerEvent.Closed} for the same (remote, conv). A server layer refuses it.
   *
   * @throws UnsupportedOperationException if this layer does not open sessions (a server's)
   */
  void open(InetSocketAddress remote, int conv);

  /**
   * The codec's session for ({@code remote}, {@code conv}) closed with {@code reason}: end the
   * layer's session for it (gracefully or not, as the reason suggests). No-op for an unknown or
   * already closed session. The layer may fire events from inside this call.
   */
  void close(InetSocketAddress remote, int conv, KcpCloseReason reason);

  /**
   * As {@link #close(InetSocketAddress, int, KcpCloseReason)}, with the application's abort code:
   * for {@link KcpCloseReason#LOCAL_ABORT} the code given to {@link KcpChannel#abort(int)}, which
   * the layer should pass to the peer (kcpj's secure layers send it in their ABORT record), else 0.
   * The codec calls this one; the default ignores the code.
   */
  default void close(InetSocketAddress remote, int conv, KcpCloseReason reason, int abortCode) {
    close(remote, conv, reason);
  }

  /**
   * Whether this layer can end a session's sending direction alone ({@link #shutdownOutput}); the
   * codec's channels offer {@link KcpChannel#shutdownOutput()} only then. {@code false} by default;
   * kcpj's secure layers say {@code true}.
   */
  default boolean supportsHalfClose() {
    return false;
  }

  /**
   * End the sending direction of the layer's session for ({@code remote}, {@code conv}) and tell
   * the peer (kcpj's secure sessions: the CLOSE record, repeated until acknowledged), keeping the
   * session open for what the peer still sends. The codec calls it once every segment its engine
   * sent has been acknowledged (and its outbound buffer is empty), or when the peer half-closed and
   * the channel closes for it with nothing unacknowledged (then both ends drain and forget the
   * session). When data would be lost the codec calls {@link #close(InetSocketAddress, int,
   * KcpCloseReason, int)} with {@link KcpCloseReason#LOCAL_ABORT} and {@link
   * KcpChannel#ABORT_UNDELIVERED} instead, as it does for a channel that closes by a reason counted
   * clean ({@code LOCAL_CLOSE}, {@code IDLE_TIMEOUT}) with segments unacknowledged. The layer may
   * fire events from inside this call.
   *
   * @return whether the end of output was sent or is being sent; {@code false} for an unknown
   *     session, one not established or already ending, or a layer without half-close (the default)
   */
  default boolean shutdownOutput(InetSocketAddress remote, int conv) {
    return false;
  }

  /**
   * A snapshot of the layer's secure-session counters (every session, live or ended, with the
   * layer's own drops), for {@link KcpCodecMetrics#secureCounters()}; {@code null} (the default)
   * for a layer that does not run kcpj's secure sessions. Called on the event loop; the snapshot
   * belongs to the caller.
   */
  default SecureCounters secureCounters() {
    return null;
  }

  /**
   * Whether this layer runs kcpj's secure sessions, that is whether {@link #secureCounters()}
   * returns counters (a cheap test for {@link KcpCodec#isSecure()}, which builds no snapshot).
   * {@code false} by default; a layer that overrides {@link #secureCounters()} overrides this too.
   */
  default boolean isSecure() {
    return false;
  }
}
