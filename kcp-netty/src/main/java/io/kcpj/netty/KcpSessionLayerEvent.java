package io.kcpj.netty;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a {@link KcpSessionLayer} reports to the codec above it about one of its (remote address,
 * conv) sessions, as a user event fired inbound on the datagram channel's pipeline, in order with
 * the datagrams the layer passes up (so an {@link Established} comes before the session's first
 * datagram, and a {@link PathChanged} before the first datagram from the new address). The codec
 * consumes these events; it fires {@link PathChanged}, {@link PathValidationFailed} and {@link
 * Closed} again on the session's own channel, so that its handlers see them ({@code
 * userEventTriggered}); a {@link PeerHalfClosed} becomes Netty's {@link
 * io.netty.channel.socket.ChannelInputShutdownEvent} there, or a {@link Closed}. Immutable.
 */
public sealed interface KcpSessionLayerEvent {
  /** The session's peer address as the codec knows it (the new one, for {@link PathChanged}). */
  InetSocketAddress remoteAddress();

  /** The session's KCP conversation id. */
  int conv();

  /**
   * The layer established the session: its peer proved its keys and its address. A client codec
   * completes the pending connect; a server codec opens the session as validated.
   *
   * @param remoteAddress the peer's address
   * @param conv the KCP conversation id
   */
  record Established(InetSocketAddress remoteAddress, int conv) implements KcpSessionLayerEvent {
    /** Checks the address is present. */
    public Established {
      Objects.requireNonNull(remoteAddress, "remoteAddress");
    }
  }

  /**
   * The layer's session ended: the codec closes the session's channel with {@code reason}, or, on a
   * client still waiting for {@link Established}, fails the connect future with {@code
   * description}.
   *
   * @param remoteAddress the peer's address
   * @param conv the KCP conversation id
   * @param reason why, as the channel will report it ({@link KcpChannel#closeReason()})
   * @param description one line for people: what happened and what may be wrong
   * @param abortCode the peer's code for {@link KcpCloseReason#PEER_ABORT} (0 to 65535, as the
   *     channel will report it: {@link KcpChannel#abortCode()}), 0 for the other reasons
   */
  record Closed(
      InetSocketAddress remoteAddress,
      int conv,
      KcpCloseReason reason,
      String description,
      int abortCode)
      implements KcpSessionLayerEvent {
    /**
     * Checks that every field is present and {@code abortCode} is 0 to 65535.
     *
     * @throws IllegalArgumentException if {@code abortCode} is outside 0 to 65535
     */
    public Closed {
      Objects.requireNonNull(remoteAddress, "remoteAddress");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(description, "description");
      if (abortCode < 0 || abortCode > 0xFFFF) {
        throw new IllegalArgumentException("an abort code is 0 to 65535, not " + abortCode);
      }
    }

    /** A close with no abort code (0). */
    public Closed(
        InetSocketAddress remoteAddress, int conv, KcpCloseReason reason, String description) {
      this(remoteAddress, conv, reason, description, 0);
    }
  }

  /**
   * The peer closed its sending direction (kcpj's secure sessions: its CLOSE record, sent once its
   * engine had every segment it sent acknowledged), while this side may still send. The layer has
   * passed up everything the peer sent before; data the peer sends after it is a protocol violation
   * that aborts the channel ({@link KcpChannel#ABORT_DATA_AFTER_END}). The layer does not answer it
   * by itself: the codec either shuts the session's channel's input once its engine has delivered
   * what it holds ({@link io.netty.channel.ChannelOption#ALLOW_HALF_CLOSURE} on the channel; the
   * channel keeps sending, and later calls {@link KcpSessionLayer#shutdownOutput}), or fires a
   * {@link Closed} with {@link KcpCloseReason#PEER_CLOSED} and {@code description} on the channel,
   * closes it, and ends the layer's session (the default): with {@link
   * KcpSessionLayer#shutdownOutput} if the peer's engine had acknowledged everything the channel
   * wrote and its outbound buffer was empty, else with {@link KcpSessionLayer#close(
   * InetSocketAddress, int, KcpCloseReason, int)} for {@link KcpCloseReason#LOCAL_ABORT} and {@link
   * KcpChannel#ABORT_UNDELIVERED} (the peer must not see a clean end after losing data). For a
   * session the codec holds no channel for, the codec calls {@link KcpSessionLayer#shutdownOutput}
   * at once.
   *
   * @param remoteAddress the peer's address
   * @param conv the KCP conversation id
   * @param description one line for people, used if the channel is closed for it
   */
  record PeerHalfClosed(InetSocketAddress remoteAddress, int conv, String description)
      implements KcpSessionLayerEvent {
    /** Checks that the address and description are present. */
    public PeerHalfClosed {
      Objects.requireNonNull(remoteAddress, "remoteAddress");
      Objects.requireNonNull(description, "description");
    }
  }

  /**
   * The peer moved (server side: a client's NAT rebinding or network switch) and the layer
   * validated its new address: the codec re-keys the session from ({@code previous}, conv) to
   * ({@code remoteAddress}, conv), keeping its KCP state; the channel's {@code remoteAddress()} is
   * the new address from then on.
   *
   * @param previous the address the codec knew the session by
   * @param remoteAddress the new, validated address
   * @param conv the KCP conversation id
   */
  record PathChanged(InetSocketAddress previous, InetSocketAddress remoteAddress, int conv)
      implements KcpSessionLayerEvent {
    /** Checks that both addresses are present. */
    public PathChanged {
      Objects.requireNonNull(previous, "previous");
      Objects.requireNonNull(remoteAddress, "remoteAddress");
    }
  }

  /**
   * Server: the peer seemed to move (an authenticated record from a new address), but the new
   * address {@code failed} did not answer the layer's path challenge within its path validation
   * timeout (a spoofed or replayed source, or a path that works one way only). The session stays
   * where it was: the codec keeps knowing it by {@code remoteAddress}, and the layer sends to the
   * last validated address again (or, if it had none, still to {@code failed}, within its 3x
   * anti-amplification budget). The codec counts it ({@link
   * KcpCodecMetrics#pathValidationsFailed()}) and fires it on the session's channel.
   *
   * @param remoteAddress the session's address as the codec knows it (unchanged)
   * @param failed the new address that was not validated
   * @param conv the KCP conversation id
   */
  record PathValidationFailed(InetSocketAddress remoteAddress, InetSocketAddress failed, int conv)
      implements KcpSessionLayerEvent {
    /** Checks that both addresses are present. */
    public PathValidationFailed {
      Objects.requireNonNull(remoteAddress, "remoteAddress");
      Objects.requireNonNull(failed, "failed");
    }
  }
}
