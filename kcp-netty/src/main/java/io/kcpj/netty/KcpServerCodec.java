package io.kcpj.netty;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The server side of {@link KcpCodec}: a datagram from an unknown (address, conv) opens a session
 * only if its first segment is a data segment (a PUSH, or an unordered or sequenced segment of the
 * delivery extension) with sn 0, the first segment any KCP sender transmits. A client whose first
 * datagram was lost still gets in: the engine retransmits that same segment (still sn 0) until it
 * is acknowledged. Anything else from an unknown session is dropped and counted ({@link
 * KcpDropReason}). Built by {@link KcpServerCodecBuilder}.
 *
 * <p><b>Admission.</b> Anyone can send an opening from any address, so a new session starts
 * <em>unvalidated</em> and becomes validated when its peer acknowledges something the server sent
 * ({@link KcpChannel#isValidated()}). Unvalidated sessions close after {@link
 * KcpChannelOption#UNVALIDATED_TIMEOUT_MILLIS} (5 s) without input; one source address holds at
 * most {@link KcpChannelOption#MAX_UNVALIDATED_PER_SOURCE} of them; when {@link
 * KcpChannelOption#MAX_SESSIONS} are open, a new opening evicts the oldest unvalidated session
 * (validated ones are never evicted), so a flood of forged openings cannot lock legitimate clients
 * out; and until validated a session sends at most three times the bytes it received, so the server
 * cannot be used to amplify traffic towards a forged address. {@link
 * KcpChannelOption#MEMORY_BUDGET} caps the bytes all sessions hold, and {@link
 * KcpChannelOption#NO_PROGRESS_TIMEOUT_MILLIS} closes a session whose peer stops acknowledging.
 * Every refusal, eviction and forced close is counted in {@link #metrics()} and summarised in the
 * log at most once per cause per interval.
 *
 * <p><b>Under a session layer.</b> With a {@link KcpSessionLayer} before the codec (kcpj's secure
 * sessions), sessions open only on the layer's {@link KcpSessionLayerEvent.Established}, validated
 * from the start (the layer's handshake proved the peer's keys and address, and the layer enforces
 * its own anti-amplification limit until then), so none of the limits on unvalidated sessions above
 * applies to them; a datagram for no session is dropped ({@link KcpDropReason#UNKNOWN_SESSION}).
 * {@link KcpChannelOption#MAX_SESSIONS} still holds: an established session that finds the table
 * full (of validated sessions) is refused, counted as a {@link KcpDropReason#SESSION_LIMIT} drop,
 * and the layer is told to end it.
 */
public final class KcpServerCodec extends KcpCodec {

  private final ClosedSessions closedSessions = new ClosedSessions();

  KcpServerCodec(CodecSettings settings) {
    super(settings);
  }

  @Override
  ClosedSessions closedSessions() {
    return closedSessions;
  }

  @Override
  KcpChildChannel onUnknownSession(ByteBuf content, InetSocketAddress sender, int conv) {
    if (sessionLayer() != null) {
      drop(sender, conv, KcpDropReason.UNKNOWN_SESSION); // sessions open on the layer's word only
      return null;
    }
    OpeningGate.Verdict verdict = admission().classify(content, sender, nowMillis());
    if (verdict == OpeningGate.Verdict.NONE) {
      KcpDropReason reason;
      if (recentlyClosed(sender, conv)) {
        reason = KcpDropReason.CLOSED_SESSION; // its peer goes on: it learns by its dead-link rule
      } else {
        reason =
            hasSessionsFrom(sender) ? KcpDropReason.UNKNOWN_CONV : KcpDropReason.UNKNOWN_SESSION;
      }
      drop(sender, conv, reason);
      return null;
    }
    KcpDropReason refused =
        admission().makeRoom(sender, verdict, sessionCountInternal(), settings.maxSessions);
    if (refused == null && sessionCountInternal() >= settings.maxSessions) {
      refused = KcpDropReason.SESSION_LIMIT; // the evicted session did not leave (cannot happen)
    }
    if (refused != null) {
      drop(sender, conv, refused);
      return null;
    }
    return openSession(
        sender,
        conv,
        settings.childHandler,
        Map.of(),
        settings.childAttrs,
        verdict == OpeningGate.Verdict.VALIDATED);
  }

  @Override
  void onLayerEstablished(InetSocketAddress remote, int conv) {
    KcpChildChannel old = sessionAt(remote, conv);
    if (old != null) {
      closeForLayer(old, KcpCloseReason.PEER_CLOSED); // the peer started over with the same pair
    }
    KcpDropReason refused =
        admission()
            .makeRoom(
                remote,
                OpeningGate.Verdict.VALIDATED,
                sessionCountInternal(),
                settings.maxSessions);
    KcpChildChannel child = null;
    if (refused == null) {
      try {
        child =
            openSession(remote, conv, settings.childHandler, Map.of(), settings.childAttrs, true);
      } catch (RuntimeException e) {
        sessionFailed(e); // e.g. a non-@Sharable child handler: no channel, end the layer's session
        refused = KcpDropReason.INTERNAL_ERROR;
      }
    }
    if (child == null) {
      drop(remote, conv, refused != null ? refused : KcpDropReason.SESSION_LIMIT);
      KcpSessionLayer layer = sessionLayer();
      if (layer != null) {
        layer.close(remote, conv, KcpCloseReason.EVICTED); // no channel for it: end it below too
      }
    }
  }
}
