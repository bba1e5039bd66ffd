package io.kcpj.core.cc;

/**
 * No congestion window (ikcp's {@code nc = 1}): the engine sends up to the flow-control window
 * {@code min(sndWnd, remoteWindow)} whatever the losses. For low-latency links where the
 * application already bounds its own rate (games at a fixed tick rate).
 *
 * <p>The classic cwnd and ssthresh are still tracked, exactly as ikcp does with {@code nocwnd} set,
 * so {@link #congestionWindow()} reports what the C reference would. One instance per engine.
 */
public final class NoCongestionWindow implements CongestionControl {
  private final ClassicKcp tracked;

  public NoCongestionWindow() {
    this(new ClassicKcp());
  }

  /** Continues from an existing classic state (used when nc is switched on mid-session). */
  public NoCongestionWindow(ClassicKcp tracked) {
    this.tracked = tracked;
  }

  /** The classic state tracked underneath (used when nc is switched off again). */
  public ClassicKcp tracked() {
    return tracked;
  }

  @Override
  public int window(int flowWindow, FlowState state) {
    return flowWindow;
  }

  @Override
  public void onAckAdvanced(FlowState state) {
    tracked.onAckAdvanced(state);
  }

  @Override
  public void onFastRetransmit(FlowState state) {
    tracked.onFastRetransmit(state);
  }

  @Override
  public void onTimeout(int window, FlowState state) {
    tracked.onTimeout(window, state);
  }

  @Override
  public void afterFlush(FlowState state) {
    tracked.afterFlush(state);
  }

  @Override
  public int congestionWindow() {
    return tracked.congestionWindow();
  }

  @Override
  public int slowStartThreshold() {
    return tracked.slowStartThreshold();
  }
}
