package io.kcpj.core.cc;

/**
 * A read-only view of the engine that a {@link CongestionControl} consults when it is called.
 *
 * <p>The engine implements it once (no allocation per call) and it is valid only during the
 * callback. All values are in segments and milliseconds unless named otherwise.
 */
public interface FlowState {
  /** Maximum payload bytes per segment (mtu minus the 24-byte header). */
  int mss();

  /** The peer's advertised free receive window, in segments. */
  int remoteWindow();

  /** Segments sent and not yet cumulatively acknowledged ({@code sndNxt - sndUna}). */
  int inFlight();

  /** The fast-retransmit threshold ({@code resend}); 0 when fast retransmit is off. */
  int fastResend();

  /** The engine's current clock (the time given to the latest {@code update}), wrapping. */
  int nowMillis();

  /** Smoothed round-trip time in ms (0 before the first sample). */
  int smoothedRtt();
}
