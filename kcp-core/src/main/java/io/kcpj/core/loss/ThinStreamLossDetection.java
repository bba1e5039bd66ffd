package io.kcpj.core.loss;

/**
 * Loss detection for thin, latency-bound streams (a game's 20–60 messages a second): what makes a
 * single loss, a tail loss and an outage cost as little time as the path allows. Four rules, in the
 * order {@link #verdict} applies them:
 *
 * <ol>
 *   <li><b>Resume.</b> When a datagram arrives after an outage (below), every segment in flight
 *       (all were sent into the dark path, the last probe included) is retransmitted at once, with
 *       its RTO reset to the engine's: the path is back.
 *   <li><b>Outage probing.</b> The path is presumed dark when the oldest segment in flight was
 *       already retransmitted and nothing has arrived from the peer for more than twice the RTO.
 *       Then only the oldest segment keeps its timer (one probe per timeout, its back-off capped by
 *       {@code maxrto}); the others wait for the resume instead of each probing the dark path, and
 *       the engine holds new data and redundant copies back ({@link #pathDown}).
 *   <li><b>Timeout</b> (the segment's own timer), with <em>linear</em> timeouts: the first {@value
 *       #LINEAR_TIMEOUTS} retransmissions of a segment wait the engine's fresh RTO, not a
 *       backed-off one (a thin stream has too few packets in flight for a lost retransmission to
 *       mean congestion; Linux does the same for thin TCP streams); later ones grow by half, capped
 *       by {@code maxrto} when set.
 *   <li><b>RACK</b> (time-based detection in the spirit of RFC 8985): a segment is lost once a
 *       segment <em>sent after it</em> has been acknowledged and a reordering window has passed: at
 *       {@code sentAt + rackRtt + reorderWindow}, where {@code rackRtt} is the RTT of the most
 *       recently sent segment known delivered (taken from the {@code ts} its ACK echoes) and the
 *       window is {@code max(1, srtt / 4)}. Unlike counting duplicate ACKs it needs one later ACK,
 *       not {@code resend} of them, and tolerates reordering up to the window.
 *   <li><b>Tail-loss probe</b>: when nothing was sent and no ACK arrived for {@code PTO = max(2 ×
 *       srtt, }{@value #MIN_PTO_MILLIS}{@code ms)}, the newest segment in flight is retransmitted
 *       once (until the next ACK), so that the ACK it elicits lets RACK find earlier losses. It
 *       leaves the segment's timer and RTO alone, and the congestion controller is not told.
 * </ol>
 *
 * <p>Fast retransmit by duplicate-ACK count ({@code resend}) is not used: RACK replaces it.
 *
 * <p>One instance per engine (it keeps the RACK, probe and outage state), confined to the engine's
 * thread; allocation-free.
 */
public final class ThinStreamLossDetection implements LossDetection {
  /** Retransmissions of one segment that wait the fresh RTO before the back-off starts. */
  public static final int LINEAR_TIMEOUTS = 4;

  /** The smallest probe timeout, ms. */
  public static final int MIN_PTO_MILLIS = 2;

  // RACK: the most recently sent segment known delivered.
  private boolean hasRack;
  private int rackSentAt;
  private int rackRtt;

  // Tail-loss probe.
  private int lastSendAt;
  private int lastAckAt;
  private boolean probed;
  private boolean probeDue;

  // Outage.
  private boolean heard;
  private int lastInputAt;
  private boolean outage;
  private boolean resuming;

  @Override
  public void beginFlush(RecoveryState state) {
    outage = inOutage(state);
    probeDue = !outage && probeDelay(state) <= 0;
  }

  @Override
  public int verdict(SentSegment seg, RecoveryState state) {
    int now = state.nowMillis();
    boolean expired = now - seg.resendAt() >= 0;
    if (resuming) {
      return now - seg.sentAt() > 0 ? RESUME : KEEP; // everything sent into the dark path
    }
    if (outage && seg.sn() != state.oldestInFlight()) {
      return KEEP; // the oldest probes the dark path for everyone
    }
    if (expired) {
      return TIMEOUT;
    }
    if (rackDelay(seg, state) <= 0) {
      return FAST;
    }
    if (probeDue && seg.sn() == state.newestInFlight()) {
      probed = true;
      probeDue = false;
      return PROBE;
    }
    return KEEP;
  }

  @Override
  public void onRetransmit(SentSegment seg, int reason, RecoveryState state) {
    int now = state.nowMillis();
    switch (reason) {
      case TIMEOUT:
        {
          int rto = seg.transmissions() - 1 <= LINEAR_TIMEOUTS ? state.rto() : seg.rto() * 3 / 2;
          int cap = state.maxRto();
          if (cap > 0 && rto > cap) {
            rto = cap;
          }
          seg.rto(Math.max(rto, 1));
          seg.resendAt(now + seg.rto());
          break;
        }
      case RESUME:
        seg.rto(state.rto());
        seg.resendAt(now + seg.rto());
        break;
      case FAST:
        seg.resendAt(now + seg.rto());
        break;
      default: // PROBE: the segment's own timer stays as it was
        break;
    }
  }

  @Override
  public void endFlush(RecoveryState state) {
    resuming = false;
  }

  @Override
  public int delayUntilDue(SentSegment seg, int untilTick, RecoveryState state) {
    int timer = seg.resendAt() - state.nowMillis();
    if (resuming) {
      return seg.sentAt() - state.nowMillis(); // due: resent by the next flush
    }
    if (inOutage(state) && seg.sn() != state.oldestInFlight()) {
      return NO_DEADLINE;
    }
    return Math.min(timer, rackDelay(seg, state));
  }

  @Override
  public int flightDelay(RecoveryState state) {
    return inOutage(state) ? NO_DEADLINE : probeDelay(state);
  }

  @Override
  public void onSend(SentSegment seg, RecoveryState state) {
    lastSendAt = state.nowMillis();
  }

  @Override
  public void onAck(int sn, int echoedTs, RecoveryState state) {
    int now = state.nowMillis();
    lastAckAt = now;
    probed = false;
    if (!hasRack || echoedTs - rackSentAt >= 0) {
      hasRack = true;
      rackSentAt = echoedTs;
      rackRtt = now - echoedTs;
    }
  }

  @Override
  public void onInput(RecoveryState state) {
    if (inOutage(state)) {
      resuming = true;
    }
    heard = true;
    lastInputAt = state.nowMillis();
  }

  @Override
  public boolean pathDown(RecoveryState state) {
    return inOutage(state);
  }

  /** Whether the path is presumed dark (see the class comment). */
  boolean inOutage(RecoveryState state) {
    return heard
        && state.inFlight() > 0
        && state.oldestTransmissions() >= 2
        && state.nowMillis() - lastInputAt > 2 * state.rto();
  }

  /** ms until RACK declares {@code seg} lost, or {@link #NO_DEADLINE}. */
  private int rackDelay(SentSegment seg, RecoveryState state) {
    if (!hasRack || rackSentAt - seg.sentAt() <= 0) {
      return NO_DEADLINE; // nothing sent after it is known delivered
    }
    int reorderWindow = Math.max(1, state.smoothedRtt() / 4);
    return seg.sentAt() + rackRtt + reorderWindow - state.nowMillis();
  }

  /** ms until the tail-loss probe is due, or {@link #NO_DEADLINE}. */
  private int probeDelay(RecoveryState state) {
    if (probed || state.inFlight() <= 0 || state.smoothedRtt() <= 0 && !hasRack) {
      return NO_DEADLINE;
    }
    int pto = Math.max(2 * state.smoothedRtt(), MIN_PTO_MILLIS);
    int since = lastAckAt - lastSendAt > 0 ? lastAckAt : lastSendAt;
    return since + pto - state.nowMillis();
  }

  /** The reordering window RACK waits after a later segment was acknowledged, ms. */
  public static int reorderWindow(int smoothedRtt) {
    return Math.max(1, smoothedRtt / 4);
  }
}
