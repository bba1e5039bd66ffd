package io.kcpj.core.cc;

/**
 * ikcp's congestion control, with the reference's exact integer arithmetic (ikcp.c 1.7).
 *
 * <ul>
 *   <li>Start: {@code cwnd = 0} (the first flush sends nothing, then cwnd is raised to 1), {@code
 *       ssthresh = 2}.
 *   <li>Cumulative ACK advanced and {@code cwnd < remoteWindow}: below ssthresh {@code cwnd++};
 *       else {@code incr += mss*mss/incr + mss/16} and {@code cwnd = ceil(incr/mss)} once {@code
 *       (cwnd+1)*mss <= incr}; cwnd is capped at the remote window.
 *   <li>Fast retransmit: {@code ssthresh = max(inFlight/2, 2)}, {@code cwnd = ssthresh + resend}.
 *   <li>Timeout: {@code ssthresh = max(window/2, 2)}, {@code cwnd = 1}.
 * </ul>
 *
 * One instance per engine, confined to its thread; allocation-free.
 */
public final class ClassicKcp implements CongestionControl {
  /** ikcp's {@code IKCP_THRESH_INIT}. */
  public static final int THRESH_INIT = 2;

  /** ikcp's {@code IKCP_THRESH_MIN}. */
  public static final int THRESH_MIN = 2;

  private int cwnd;
  private int ssthresh = THRESH_INIT;

  /** Bytes of window credit accumulated in congestion avoidance (ikcp's {@code incr}). */
  private long increment;

  @Override
  public int window(int flowWindow, FlowState state) {
    return Math.min(cwnd, flowWindow);
  }

  @Override
  public void onAckAdvanced(FlowState state) {
    int remoteWindow = state.remoteWindow();
    if (cwnd >= remoteWindow) {
      return;
    }
    long mss = state.mss();
    if (cwnd < ssthresh) {
      cwnd++;
      increment += mss;
    } else {
      if (increment < mss) {
        increment = mss;
      }
      increment += (mss * mss) / increment + (mss / 16);
      if ((cwnd + 1L) * mss <= increment) {
        cwnd = (int) ((increment + mss - 1) / (mss > 0 ? mss : 1));
      }
    }
    if (cwnd > remoteWindow) {
      cwnd = remoteWindow;
      increment = (long) remoteWindow * mss;
    }
  }

  @Override
  public void onFastRetransmit(FlowState state) {
    ssthresh = Math.max(state.inFlight() / 2, THRESH_MIN);
    cwnd = ssthresh + state.fastResend();
    increment = (long) cwnd * state.mss();
  }

  @Override
  public void onTimeout(int window, FlowState state) {
    ssthresh = Math.max(window / 2, THRESH_MIN);
    cwnd = 1;
    increment = state.mss();
  }

  @Override
  public void afterFlush(FlowState state) {
    if (cwnd < 1) {
      cwnd = 1;
      increment = state.mss();
    }
  }

  @Override
  public int congestionWindow() {
    return cwnd;
  }

  @Override
  public int slowStartThreshold() {
    return ssthresh;
  }

  @Override
  public String toString() {
    return "ClassicKcp{cwnd=" + cwnd + ", ssthresh=" + ssthresh + ", incr=" + increment + '}';
  }
}
