package io.kcpj.core.loss;

/**
 * A read-only view of the engine that a {@link LossDetection} consults during a callback. The
 * engine implements it once (no allocation per call); values are in ms and segments, times on the
 * engine's wrapping 32-bit clock (compare them with {@code io.kcpj.core.Seq}).
 */
public interface RecoveryState {
  /** The engine's clock: the time given to its latest {@code update}. */
  int nowMillis();

  /** Smoothed round-trip time in ms (0 before the first sample). */
  int smoothedRtt();

  /** Round-trip time variation in ms. */
  int rttVariance();

  /** The engine's retransmission timeout for a fresh segment (not backed off). */
  int rto();

  /** The flush interval ({@code interval}). */
  int interval();

  /** The back-off mode ({@code nodelay}: 0, 1 or 2). */
  int nodelay();

  /** The fast-retransmit threshold ({@code resend}); 0 when off. */
  int fastResend();

  /** Fast retransmit only while a segment was sent at most this many times; ≤ 0: no limit. */
  int fastLimit();

  /** Upper bound of a segment's backed-off RTO ({@code maxrto}); 0: none. */
  int maxRto();

  /** Segments in flight ({@code sndNxt - sndUna}). */
  int inFlight();

  /** The oldest sequence number in flight ({@code sndUna}). */
  int oldestInFlight();

  /** The newest sequence number in flight ({@code sndNxt - 1}), if {@link #inFlight()} > 0. */
  int newestInFlight();

  /** Transmissions of the oldest segment in flight (0 if none). */
  int oldestTransmissions();
}
