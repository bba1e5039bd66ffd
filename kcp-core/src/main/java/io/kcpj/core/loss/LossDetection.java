package io.kcpj.core.loss;

/**
 * Strategy deciding when a segment in flight is presumed lost and retransmitted, and how its
 * retransmission timer backs off — the engine's loss detection, as {@code CongestionControl} is its
 * congestion control.
 *
 * <ul>
 *   <li>{@link ReferenceLossDetection}: ikcp's own rules — a per-segment retransmission timeout
 *       backed off by {@code nodelay}, and fast retransmit after {@code resend} ACKs of later
 *       segments. The default; byte-exact with the C reference.
 *   <li>{@link ThinStreamLossDetection}: for thin, latency-bound streams (games): time-based loss
 *       detection in the spirit of RACK, a tail-loss probe, linear timeouts, and outage probing
 *       with an immediate resend when the peer is heard again.
 * </ul>
 *
 * <p>The engine calls, per flush: {@link #beginFlush}, then for every segment in flight that was
 * already transmitted {@link #verdict} and, when it is not {@link #KEEP}, {@link #onRetransmit};
 * then {@link #endFlush}. It reports every transmission ({@link #onSend}), every ACK ({@link
 * #onAck}) and every accepted datagram ({@link #onInput}), and asks for timers with {@link
 * #delayUntilDue} and {@link #flightDelay}. One instance belongs to one engine and is confined to
 * its thread; implementations must not allocate on these paths.
 */
public interface LossDetection {
  /** {@link #verdict}: not now. */
  int KEEP = 0;

  /** {@link #verdict}: its retransmission timer expired. */
  int TIMEOUT = 1;

  /** {@link #verdict}: later segments were acknowledged (fast retransmit, RACK). */
  int FAST = 2;

  /** {@link #verdict}: a tail-loss probe (the newest segment, to elicit an ACK). */
  int PROBE = 3;

  /** {@link #verdict}: the peer was heard again after an outage; overdue segments go at once. */
  int RESUME = 4;

  /** What {@link #delayUntilDue} and {@link #flightDelay} return when nothing is timed. */
  int NO_DEADLINE = Integer.MAX_VALUE;

  /** A flush starts (after new segments were admitted to the window). */
  void beginFlush(RecoveryState state);

  /**
   * Why {@code seg} (transmitted at least once) must be retransmitted now: {@link #TIMEOUT}, {@link
   * #FAST}, {@link #PROBE}, {@link #RESUME}, or {@link #KEEP}.
   */
  int verdict(SentSegment seg, RecoveryState state);

  /**
   * {@code seg} is retransmitted now for {@code reason} (its transmission count already includes
   * this one): set its {@link SentSegment#rto} and {@link SentSegment#resendAt}.
   */
  void onRetransmit(SentSegment seg, int reason, RecoveryState state);

  /**
   * How long, in ms from now, until {@code seg} (transmitted at least once) needs a flush if
   * nothing arrives: ≤ 0 when due, {@link #NO_DEADLINE} when it has no timer. {@code untilTick} is
   * the delay to the engine's next interval flush (≥ 0).
   */
  int delayUntilDue(SentSegment seg, int untilTick, RecoveryState state);

  /** A timer of the whole flight (a tail-loss probe), in ms from now, or {@link #NO_DEADLINE}. */
  default int flightDelay(RecoveryState state) {
    return NO_DEADLINE;
  }

  /**
   * Whether the path is presumed dark (an outage): the engine then admits no new segments to the
   * window and adds no redundant copies, and lets the loss detection's probes find when it is back.
   * Default: never.
   */
  default boolean pathDown(RecoveryState state) {
    return false;
  }

  /** The flush is over. */
  default void endFlush(RecoveryState state) {}

  /** {@code seg} was just transmitted (first time, retransmission or copy) at the engine's now. */
  default void onSend(SentSegment seg, RecoveryState state) {}

  /**
   * An ACK arrived for {@code sn}, echoing {@code echoedTs}, the send time of the transmission that
   * reached the peer (not after now).
   */
  default void onAck(int sn, int echoedTs, RecoveryState state) {}

  /** A datagram from the peer was accepted (called before its segments are processed). */
  default void onInput(RecoveryState state) {}
}
