package io.kcpj.core;

import io.kcpj.core.loss.SentSegment;
import io.kcpj.core.wire.SegmentHeader;

/**
 * One KCP segment held by an engine: header fields, retransmission bookkeeping and the payload.
 *
 * <p>Owned by exactly one {@link Kcp} and by exactly one of its queues at a time; recycled through
 * its {@link SegmentPool}. Never escapes the engine (its {@link SentSegment} face is lent to the
 * engine's loss detection during a call). {@code data} has room for at least {@code len} bytes and
 * usually for a whole mss, so stream-mode appends and reuse do not allocate.
 */
final class Segment implements SentSegment {
  /**
   * {@link #cmd} of a receive-buffer placeholder: the message of this sn was delivered early
   * (unordered or sequenced, docs/wire-extensions.md); it is discarded when rcvNxt reaches it.
   */
  static final int TOMBSTONE = -1;

  /** The data command it is sent with or arrived as: PUSH, or one of the extension's 85..88. */
  int cmd = SegmentHeader.CMD_PUSH;

  int frg;
  int ts;
  int sn;
  int len;

  /** Time (ms, wrapping) at or after which the segment is retransmitted. */
  int resendAt;

  /** This segment's own retransmission timeout, backed off on each timeout. */
  int rto;

  /** How many later segments were acknowledged while this one was not. */
  int fastAck;

  /** How many times this segment was transmitted. */
  int transmissions;

  /** How many redundant copies of it rode in later datagrams (proactive redundancy). */
  int copies;

  /**
   * Send time (ms, wrapping) of its latest retransmission; meaningful once {@link #transmissions}
   * is 2 or more. Unlike {@link #ts}, a redundant copy does not move it.
   */
  int retransmittedAt;

  /**
   * Whether its latest retransmission was already counted as spurious; cleared by each
   * retransmission, so one unneeded retransmission is counted once however many ACKs show it.
   */
  boolean spuriousCounted;

  /** Send time (ms, wrapping) of its first transmission (thin-stream mode's timeout evidence). */
  int firstSentAt;

  /** Whether it already gave its evidence to the thin-stream mode's RTO gate. */
  boolean rtoJudged;

  byte[] data;

  Segment(int capacity) {
    this.data = new byte[capacity];
  }

  /** Makes room for {@code capacity} bytes, keeping the first {@code len} (a rare slow path). */
  void ensureCapacity(int capacity) {
    if (data.length < capacity) {
      byte[] bigger = new byte[capacity];
      System.arraycopy(data, 0, bigger, 0, len);
      data = bigger;
    }
  }

  @Override
  public int sn() {
    return sn;
  }

  @Override
  public int sentAt() {
    return ts;
  }

  @Override
  public int transmissions() {
    return transmissions;
  }

  @Override
  public int fastAcks() {
    return fastAck;
  }

  @Override
  public void clearFastAcks() {
    fastAck = 0;
  }

  @Override
  public int rto() {
    return rto;
  }

  @Override
  public void rto(int millis) {
    rto = millis;
  }

  @Override
  public int resendAt() {
    return resendAt;
  }

  @Override
  public void resendAt(int millis) {
    resendAt = millis;
  }
}
