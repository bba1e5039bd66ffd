package io.kcpj.core.cc;

/**
 * Strategy deciding how many segments an engine may have in flight (like Aeron's {@code
 * CongestionControl} and KCP 2.0's {@code IKCPOPS}).
 *
 * <p>The engine calls these hooks at fixed points of {@code input} and {@code flush}; an
 * implementation keeps its own state and never touches the engine. One instance belongs to one
 * engine and is confined to that engine's thread. Implementations must not allocate on these paths:
 * they run for every datagram.
 *
 * <ul>
 *   <li>{@link ClassicKcp}: ikcp's own arithmetic (slow start, additive increase, halving on fast
 *       retransmit, collapse to one segment on timeout) — the default, byte-exact with the C
 *       reference.
 *   <li>{@link NoCongestionWindow}: ikcp's {@code nc = 1}: the window is the flow-control window
 *       alone. It still tracks the classic values so diagnostics read as the reference's do.
 * </ul>
 *
 * A delay- or rate-based controller (CUBIC-like, BBR-like) fits the same hooks: it sees every RTT
 * sample, every cumulative-ACK advance, every loss signal and decides the window.
 */
public interface CongestionControl {

  /**
   * The effective send window in segments, given the flow-control window {@code min(sndWnd,
   * remoteWindow)}. New segments leave the send queue while {@code sndNxt < sndUna + window}.
   */
  int window(int flowWindow, FlowState state);

  /** An RTT sample (ms) was taken from an ACK. Default: ignored. */
  default void onRttSample(int rttMillis, FlowState state) {}

  /** The cumulative acknowledgement point advanced while one datagram was processed. */
  void onAckAdvanced(FlowState state);

  /** At least one segment was fast-retransmitted during the flush that just finished. */
  void onFastRetransmit(FlowState state);

  /**
   * At least one segment timed out during the flush that just finished; {@code window} is the
   * effective window that flush used.
   */
  void onTimeout(int window, FlowState state);

  /** Called at the end of every flush, after the loss hooks. */
  void afterFlush(FlowState state);

  /** Current congestion window in segments, for diagnostics. */
  int congestionWindow();

  /** Current slow-start threshold in segments, for diagnostics. */
  int slowStartThreshold();
}
