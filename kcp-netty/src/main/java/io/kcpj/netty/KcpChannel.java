package io.kcpj.netty;

import io.kcpj.core.KcpCounters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.channel.socket.DuplexChannel;
import java.net.InetSocketAddress;

/**
 * One KCP conversation as a Netty {@link Channel}: a child of the datagram channel that carries it,
 * with its own pipeline.
 *
 * <p>On a server the codec ({@link KcpServerCodecBuilder}) creates one when a new (address, conv)
 * opens a conversation; on a client {@link #newBootstrap(Channel)} creates one. Either way it is
 * active as soon as it exists (KCP has no handshake) and {@link #parent()} is the datagram channel.
 * Under a {@link KcpSessionLayer} (kcpj's secure sessions) it is created only once the layer
 * established the session (the handshake completed), and the layer's {@link KcpSessionLayerEvent}s
 * about it (a {@link KcpSessionLayerEvent.PathChanged PathChanged}, a {@link
 * KcpSessionLayerEvent.Closed Closed} with its description) reach its pipeline as user events.
 *
 * <p><b>Messages.</b> Inbound and outbound messages are {@link io.netty.buffer.ByteBuf}s. In
 * message mode one {@code ByteBuf} written is one KCP message, and each {@code ByteBuf} read is one
 * whole message; in stream mode ({@link KcpChannelOption#STREAM_MODE}) they are slices of a byte
 * stream, to be framed with Netty's codecs.
 *
 * <p><b>Buffer ownership.</b> A {@code ByteBuf} written to the channel belongs to the channel from
 * then on: its bytes are copied into the engine when the channel flushes and the buffer is released
 * then (or when the write fails). A {@code ByteBuf} given to {@code channelRead} is allocated from
 * the channel's allocator and belongs to the handler that receives it, which must release it or
 * pass it on.
 *
 * <p><b>Threads.</b> The channel runs on its parent's event loop; its engine is touched only there.
 * Writes and closes from other threads are handed to that loop, as for any channel.
 *
 * <p><b>Lifecycle.</b> {@code channelActive} when the session starts. {@code close()} first waits
 * until the engine's queue is acknowledged (at most {@link KcpChannelOption#CLOSE_TIMEOUT_MILLIS}),
 * then frees everything; {@link #abort(int)} closes at once with a code the peer sees under secure
 * sessions. A dead link fires {@link KcpDeadLinkException} through {@code exceptionCaught} and
 * closes; an idle timeout closes. {@link #closeReason()} tells why.
 *
 * <p><b>Half-close</b> (a {@link DuplexChannel}, as Netty's TCP channels; under kcpj's secure
 * sessions only). {@link #shutdownOutput()} ends this side's output and keeps reading: writes fail
 * with {@link ChannelOutputShutdownException} from the call on; once the peer's engine has
 * acknowledged everything written before it, the layer sends its CLOSE, the future succeeds and
 * {@link ChannelOutputShutdownEvent} is fired. On the other side, with {@link
 * ChannelOption#ALLOW_HALF_CLOSURE} set, the peer's CLOSE fires {@link ChannelInputShutdownEvent}
 * then {@link ChannelInputShutdownReadComplete} once everything it sent has been read, and the
 * channel stays open for writing; without it (the default) the channel closes with {@link
 * KcpCloseReason#PEER_CLOSED}, as it does when the peer calls {@code close()}. When both directions
 * have ended the channel closes with {@link KcpCloseReason#SHUTDOWN}. Plain KCP has no
 * end-of-output signal: there {@code shutdownOutput()} fails (one line) and changes nothing. {@link
 * #shutdownInput()} and {@link #shutdown()} are not supported (nothing in KCP asks a peer to stop
 * sending).
 *
 * <p>Where half-close differs from Netty's TCP channels (NIO, epoll):
 *
 * <ul>
 *   <li>the channel closes itself, with {@link KcpCloseReason#SHUTDOWN}, once both directions have
 *       ended (a TCP channel stays open until {@code close()});
 *   <li>{@link #isOutputShutdown()} stays {@code false} from the {@code shutdownOutput()} call
 *       until the peer acknowledged everything and the CLOSE went out, while writes already fail
 *       with {@link ChannelOutputShutdownException} (TCP: true at once);
 *   <li>writes made before the call and not yet flushed are flushed and sent, not failed (Netty's
 *       TCP {@code shutdownOutput} fails what its outbound buffer still holds);
 *   <li>the future succeeds when the peer's engine holds every byte, not when a FIN is queued;
 *   <li>{@link ChannelInputShutdownReadComplete} fires right after {@link
 *       ChannelInputShutdownEvent}, not after a further read attempt;
 *   <li>{@link #shutdownInput()} and {@link #shutdown()} fail (one line);
 *   <li>data the peer sends after its end of output aborts the channel ({@link
 *       #ABORT_DATA_AFTER_END}) instead of being read;
 *   <li>without {@link ChannelOption#ALLOW_HALF_CLOSURE}, the peer's end closes the channel, and
 *       the session ends with an ABORT ({@link #ABORT_UNDELIVERED}) rather than a CLOSE if what
 *       this side wrote was not all acknowledged (TCP would still deliver it);
 *   <li>on plain KCP {@link ChannelOption#ALLOW_HALF_CLOSURE} is stored ({@code
 *       config().isAllowHalfClosure()}) but has no effect, and the codec logs a warning for it.
 * </ul>
 *
 * <p><b>Backpressure.</b> {@link #isWritable()} turns false when the engine's send queue ({@code
 * waitSnd()}, in segments) rises above the high water mark of {@link
 * KcpChannelOption#SEND_QUEUE_WATER_MARK} and true again below the low one; writes beyond {@link
 * KcpChannelOption#SEND_QUEUE_CAP} fail with {@link KcpSendQueueFullException}.
 */
public interface KcpChannel extends DuplexChannel {

  /**
   * The abort code kcpj's codec ends a session with when it ends while output this side wrote is
   * not acknowledged by the peer's engine (0xFFFE): the peer ended its output and this channel,
   * without {@link ChannelOption#ALLOW_HALF_CLOSURE}, closed with data still unacknowledged or in
   * its outbound buffer; or the channel closed for its idle timeout, or by {@code close()} with a
   * close timeout of 0, with segments unacknowledged. Under kcpj's secure sessions the layer then
   * sends an ABORT with this code instead of a CLOSE, so that the peer's channel closes with {@link
   * KcpCloseReason#PEER_ABORT} and this {@link #abortCode()}, never with a clean end ({@link
   * KcpCloseReason#PEER_CLOSED}, {@link KcpCloseReason#SHUTDOWN}) after losing data. Codes from
   * 0xFF00 up are kcpj's: applications pass {@link #abort(int)} codes below.
   */
  int ABORT_UNDELIVERED = 0xFFFE;

  /**
   * The abort code of a session whose peer sent application data after ending its output (kcpj's
   * secure CLOSE), a protocol violation (0xFFFD): the channel closes with {@link
   * KcpCloseReason#LOCAL_ABORT} and this {@link #abortCode()}, the data is not delivered and
   * counted as {@link KcpDropReason#DATA_AFTER_PEER_END}, and the peer is sent an ABORT with this
   * code.
   */
  int ABORT_DATA_AFTER_END = 0xFFFD;

  /**
   * A bootstrap for a client conversation over {@code datagramChannel}, whose pipeline must hold a
   * {@link KcpClientCodec}.
   */
  static KcpChannelBootstrap newBootstrap(Channel datagramChannel) {
    return new KcpChannelBootstrap(datagramChannel);
  }

  /** The conversation id (an unsigned 32-bit value held in an int). */
  int conv();

  /**
   * The peer's address. It changes only when a {@link KcpSessionLayer} reports that the peer moved
   * ({@link KcpSessionLayerEvent.PathChanged}).
   */
  @Override
  InetSocketAddress remoteAddress();

  @Override
  KcpChannelConfig config();

  /**
   * Ends this side's output, keeping the input open (TCP's half-close, {@code shutdown(SHUT_WR)}).
   * From the call on, writes fail with {@link ChannelOutputShutdownException}; what was written
   * before it (flushed or not) is sent. Once the peer's engine has acknowledged all of it, the
   * session layer sends its end of output (kcpj's secure sessions: the CLOSE record, repeated until
   * the peer acknowledges it): then the future succeeds and {@link ChannelOutputShutdownEvent} is
   * fired. So a successful future means that the peer holds every byte this side wrote, which is
   * more than a TCP {@code shutdownOutput} says (its future completes when the FIN is queued); that
   * the peer's layer acknowledged the CLOSE itself is not reported (a peer that never does ends the
   * session at its secure idle timeout). The engine keeps acknowledging what the peer sends. If the
   * input has already been shut down (the peer ended its output first), the channel then closes
   * with {@link KcpCloseReason#SHUTDOWN}. There is no timeout of its own: a peer that stops
   * acknowledging ends the session by the dead-link rule or the idle timeouts.
   *
   * <p>The future fails with an {@link UnsupportedOperationException} (one line, nothing changed)
   * for a plain KCP session, which has no end-of-output signal (close() is the graceful end there);
   * with a {@link java.nio.channels.ClosedChannelException} on a closed or closing channel, or if
   * the channel closes before the end of output is sent; with an {@link IllegalStateException} if
   * the session layer can no longer send it (its session is already ending), and then the channel
   * is aborted so that the peer never takes the end for a clean one. Every later call completes
   * with the first call's outcome. A cancelled promise is left alone, as Netty does. May be called
   * from any thread (runs on the event loop).
   */
  @Override
  ChannelFuture shutdownOutput();

  /** As {@link #shutdownOutput()}, completing {@code promise}. */
  @Override
  ChannelFuture shutdownOutput(ChannelPromise promise);

  /**
   * Whether this side's output has ended: {@link #shutdownOutput()} succeeded, or the channel is
   * closed.
   */
  @Override
  boolean isOutputShutdown();

  /**
   * Whether the input has ended: the peer ended its output and everything it sent was read ({@link
   * ChannelInputShutdownEvent} fired), or the channel is closed.
   */
  @Override
  boolean isInputShutdown();

  /** Not supported: KCP cannot ask the peer to stop sending. Fails the future, one line. */
  @Override
  ChannelFuture shutdownInput();

  /** Not supported (see {@link #shutdownInput()}): fails {@code promise}, one line. */
  @Override
  ChannelFuture shutdownInput(ChannelPromise promise);

  /**
   * Not supported: it would shut the input too (see {@link #shutdownInput()}); call {@link
   * #shutdownOutput()} and wait for the peer's end. Fails the future, one line.
   */
  @Override
  ChannelFuture shutdown();

  /** Not supported (see {@link #shutdown()}): fails {@code promise}, one line. */
  @Override
  ChannelFuture shutdown(ChannelPromise promise);

  /**
   * Whether the peer has proven that it receives at {@link #remoteAddress()}. A client's sessions
   * are validated from the start. A server's session starts unvalidated, since anyone can forge an
   * opening's source address, and becomes validated when the peer acknowledges something the server
   * sent; until then it is short-lived, evictable and limited to sending three times what it
   * received (see {@link KcpServerCodec}). A server that never sends on a session leaves it
   * unvalidated. Plain KCP carries no secret, so this is a proof of reachability against blind
   * senders, not authentication. A server session opened by a {@link KcpSessionLayer} is validated
   * from the start (the layer's handshake proved the address). Read on the event loop for an exact
   * answer.
   */
  boolean isValidated();

  /** Why the channel closed, or {@code null} while it is open. */
  KcpCloseReason closeReason();

  /**
   * Closes the session at once, like a TCP reset: nothing queued is sent or waited for, the close
   * reason is {@link KcpCloseReason#LOCAL_ABORT} and {@link #abortCode()} is {@code code}.
   *
   * <p>Under kcpj's secure sessions telling the peer is best effort: the layer sends one ABORT
   * record carrying {@code code}, once and unacknowledged, and then forgets the session. If it
   * arrives, the peer's channel closes with {@link KcpCloseReason#PEER_ABORT} and the same {@link
   * #abortCode()}. If it is lost, or was never sent (the session had no keys yet, early in the
   * handshake, or was draining after a graceful close), the peer learns no code: a client ends with
   * {@link KcpCloseReason#STATELESS_RESET} when the server answers its next record with a stateless
   * reset, a server by its secure idle timeout. Plain KCP has no such message: the peer learns
   * nothing (its dead-link rule or idle timeout ends its session).
   *
   * <p>If the session layer has already ended the session (a handler calling this on the layer's
   * {@link KcpSessionLayerEvent.Closed} event), the channel closes with the layer's reason and
   * abort code, and {@code code} is not used. No-op on a closed channel, and when called from
   * another thread after the event loop has shut down. May be called from any thread (runs on the
   * event loop).
   *
   * @param code the application's reason, 0 to 65535 (what it means is up to the application)
   * @return the channel's close future
   * @throws IllegalArgumentException if {@code code} is outside 0 to 65535
   */
  ChannelFuture abort(int code);

  /**
   * The abort code of a closed channel: the one given to {@link #abort(int)} ({@link
   * KcpCloseReason#LOCAL_ABORT}), or the peer's ({@link KcpCloseReason#PEER_ABORT}); 0 for any
   * other close and while open.
   */
  int abortCode();

  /**
   * A copy of the engine's counters. On the event loop it is exact; from another thread the call
   * runs on the event loop and waits for it.
   */
  KcpCounters counters();

  /** Segments queued in the engine and not yet acknowledged (kcp's {@code waitsnd}). */
  int waitSnd();

  /** The engine's smoothed round-trip time in ms (0 before the first sample). */
  int srtt();
}
