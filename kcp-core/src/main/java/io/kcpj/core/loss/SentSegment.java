package io.kcpj.core.loss;

/**
 * What a {@link LossDetection} sees, and may change, of one segment in flight: its retransmission
 * bookkeeping. The engine's own segment implements it; a reference is valid only during the call
 * that passes it (segments are pooled and reused), and only on the engine's thread.
 */
public interface SentSegment {
  /** Its sequence number. */
  int sn();

  /** When its latest transmission left (engine clock, wrapping): the {@code ts} it carried. */
  int sentAt();

  /** How many times it was transmitted (1 after the first transmission; copies not counted). */
  int transmissions();

  /** ACKs of later segments that skipped it (ikcp's {@code fastack}). */
  int fastAcks();

  /** Sets the fast-ack count to 0 (after a fast retransmission). */
  void clearFastAcks();

  /** Its own retransmission timeout, in ms (backed off on each timeout). */
  int rto();

  /** Sets its own retransmission timeout. */
  void rto(int millis);

  /** When its retransmission timer expires (engine clock, wrapping). */
  int resendAt();

  /** Sets when its retransmission timer expires. */
  void resendAt(int millis);
}
