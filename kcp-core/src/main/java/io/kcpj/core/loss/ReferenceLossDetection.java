package io.kcpj.core.loss;

/**
 * ikcp's loss detection, byte-exact with the C reference: a segment is retransmitted when its own
 * timer expires (its RTO then grows: doubles with {@code nodelay} 0, by half of itself with 1, by
 * half the engine's RTO with 2), or when {@code resend} ACKs of later segments skipped it while it
 * was sent at most {@code fastlimit} times (fast retransmit). A fast retransmission keeps the RTO
 * and restarts the timer. With {@code maxrto} set (a kcpj addition, 0 by default) the backed-off
 * RTO never exceeds it.
 *
 * <p>Stateless: one shared instance serves every engine.
 */
public final class ReferenceLossDetection implements LossDetection {
  /** The one instance (the strategy keeps no state). */
  public static final ReferenceLossDetection INSTANCE = new ReferenceLossDetection();

  private ReferenceLossDetection() {}

  @Override
  public void beginFlush(RecoveryState state) {}

  @Override
  public int verdict(SentSegment seg, RecoveryState state) {
    if (state.nowMillis() - seg.resendAt() >= 0) {
      return TIMEOUT;
    }
    return fastRetransmitReady(seg, state) ? FAST : KEEP;
  }

  @Override
  public void onRetransmit(SentSegment seg, int reason, RecoveryState state) {
    int now = state.nowMillis();
    if (reason == FAST) {
      seg.clearFastAcks();
      seg.resendAt(now + seg.rto());
      return;
    }
    int rto = seg.rto() + backOff(seg.rto(), state);
    int cap = state.maxRto();
    if (cap > 0 && rto > cap) {
      rto = cap;
    }
    seg.rto(rto);
    seg.resendAt(now + rto);
  }

  @Override
  public int delayUntilDue(SentSegment seg, int untilTick, RecoveryState state) {
    int diff = seg.resendAt() - state.nowMillis();
    // As in ikcp, a fast retransmission goes out with a flush: the next tick at the latest (a
    // segment that just timed out keeps its fastack count and is resent again then).
    return fastRetransmitReady(seg, state) ? Math.min(diff, untilTick) : diff;
  }

  /** Enough duplicate ACKs skipped it, and fastlimit (≤ 0: none) still allows a fast resend. */
  private static boolean fastRetransmitReady(SentSegment seg, RecoveryState state) {
    int threshold = state.fastResend();
    if (threshold <= 0) {
      return false;
    }
    int limit = state.fastLimit();
    return seg.fastAcks() >= threshold && (seg.transmissions() <= limit || limit <= 0);
  }

  /** How much a timed-out segment's RTO grows: doubles (nodelay 0), +50 % (1), +rto/2 (2). */
  private static int backOff(int segmentRto, RecoveryState state) {
    if (state.nodelay() == 0) {
      return Math.max(segmentRto, state.rto());
    }
    int step = state.nodelay() < 2 ? segmentRto : state.rto();
    return step / 2;
  }
}
