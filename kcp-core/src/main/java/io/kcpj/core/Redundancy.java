package io.kcpj.core;

import static io.kcpj.core.wire.SegmentHeader.HEADER_SIZE;

import io.kcpj.core.loss.LossDetection;
import io.kcpj.core.loss.RecoveryState;

/**
 * Proactive redundancy for thin streams: a flush that sends new data anyway also carries copies of
 * the most recent unacknowledged segments, while there is room under the mtu and within a byte
 * budget. Only flushes with new data carry copies: an acknowledgement or a retransmission alone
 * would grow by a copy that a thin stream's next message carries soon anyway, and a copy riding on
 * the peer's pure ACKs would cost a datagram's worth of bytes per message. A lost segment then
 * costs the time to the next datagram — one send interval of a game's stream — instead of a
 * retransmission timeout.
 *
 * <p>Rules: newest first; at most {@code copiesPerSegment} copies of one segment over its life;
 * never a segment transmitted in the same millisecond (a copy beside its original protects
 * nothing); only a segment whose copy saves time, i.e. younger than {@code rto} (the copy arrives
 * half an RTT from now, a timeout would resend it at {@code sentAt + rto} and that resend would
 * arrive half an RTT after that; when the path's RTT is shorter than the gap between two messages
 * the ACK usually comes first and no copy is made, and when the ACK is missing as the next message
 * leaves, the copy is what spares the lost message a timeout and the messages behind it a wait);
 * only segments among the {@value #SCAN} newest in flight; only whole segments that fit both the
 * datagram's room and the remaining budget. A copy is an ordinary data segment with the same sn and
 * command and the current {@code ts} (so its ACK gives a true RTT sample and RACK sees its latest
 * transmission); it does not count as a transmission for the dead-link limit and does not move the
 * retransmission timer. A reference receiver takes a copy as a repeated segment.
 *
 * <p>Confined to its engine; allocation-free.
 */
final class Redundancy {
  /** How many of the newest segments in flight are considered for copies. */
  static final int SCAN = 16;

  private int copiesPerSegment;
  private int byteBudget;

  /** {@link EngineSetting#REDUNDANCY}: copies per segment, 0 = off. */
  void setCopiesPerSegment(int copies) {
    this.copiesPerSegment = copies;
  }

  int copiesPerSegment() {
    return copiesPerSegment;
  }

  /**
   * {@link EngineSetting#REDUNDANCY_BYTES}: most bytes of copies (headers included) per datagram.
   */
  void setByteBudget(int bytes) {
    this.byteBudget = bytes;
  }

  int byteBudget() {
    return byteBudget;
  }

  boolean enabled() {
    return copiesPerSegment > 0 && byteBudget >= HEADER_SIZE;
  }

  /**
   * Appends copies to the datagram under construction in {@code packer} (the caller checked that it
   * is not empty). {@code wnd} and {@code una} are the values every segment of this flush carries.
   */
  void addCopies(
      DatagramPacker packer,
      SequenceRing sendBuffer,
      int sndUna,
      int sndNxt,
      int now,
      int wnd,
      int una,
      LossDetection loss,
      RecoveryState view,
      KcpCounters counters) {
    int budget = Math.min(byteBudget, packer.room());
    // A copy arrives about srtt/2 from now; the retransmission timer would resend the segment at
    // sentAt + rto, and that resend would arrive srtt/2 later still. The copy comes sooner whenever
    // the segment is younger than rto (and it also frees the messages queued behind it).
    int youngerThan = view.rto();
    int scanned = 0;
    for (int sn = sndNxt - 1;
        Seq.atOrAfter(sn, sndUna) && scanned < SCAN && budget >= HEADER_SIZE;
        sn--, scanned++) {
      Segment seg = sendBuffer.get(sn);
      if (seg == null
          || seg.transmissions == 0
          || seg.copies >= copiesPerSegment
          || now - seg.ts <= 0
          || now - seg.ts >= youngerThan
          || HEADER_SIZE + seg.len > budget) {
        continue;
      }
      packer.header(seg.cmd, seg.frg, wnd, now, seg.sn, una, seg.len);
      packer.payload(seg.data, seg.len);
      budget -= HEADER_SIZE + seg.len;
      seg.copies++;
      seg.ts = now;
      counters.redundantSegments++;
      loss.onSend(seg, view);
    }
  }
}
