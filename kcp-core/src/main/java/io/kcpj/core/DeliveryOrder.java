package io.kcpj.core;

import static io.kcpj.core.wire.SegmentHeader.CMD_SPUSH;
import static io.kcpj.core.wire.SegmentHeader.CMD_SPUSH_MORE;
import static io.kcpj.core.wire.SegmentHeader.CMD_UPUSH;
import static io.kcpj.core.wire.SegmentHeader.CMD_UPUSH_MORE;

/**
 * The receiving half of the delivery extension (unordered and sequenced messages, {@code
 * docs/wire-extensions.md}): which arriving messages may enter the receive queue before the
 * segments in front of them, and which sequenced messages are stale.
 *
 * <p>The engine keeps its receive buffer (by sn) and receive queue (the one order in which {@code
 * recv} hands out messages); this class decides moves between them. A message delivered early
 * leaves a {@link Segment#TOMBSTONE} per segment in the buffer, which marks the sn as received (a
 * later copy is a repeat) and is discarded when {@code rcvNxt} reaches it. Sequenced staleness is
 * decided when a message enters the queue, so the queue hands out sequenced messages with strictly
 * increasing first sn. Confined to its engine; allocation-free (tombstones come from the pool).
 */
final class DeliveryOrder {
  /** Most fragments one message has (the 8-bit frg field): the farthest walk back to a head. */
  private static final int MAX_WALK = 255;

  private boolean hasSequenced;
  private int newestSequenced;
  private boolean droppingStale;

  /**
   * {@code seg} is next in order ({@code sn == rcvNxt}): whether it enters the receive queue. False
   * for the segments of a stale sequenced message, which the caller releases.
   */
  boolean admitInOrder(Segment seg, KcpCounters counters) {
    switch (seg.cmd) {
      case CMD_SPUSH:
        if (hasSequenced && Seq.diff(seg.sn, newestSequenced) <= 0) {
          droppingStale = true;
          counters.staleMessagesDropped++;
          return false;
        }
        hasSequenced = true;
        newestSequenced = seg.sn;
        droppingStale = false;
        return true;
      case CMD_SPUSH_MORE:
        return !droppingStale;
      default:
        droppingStale = false;
        return true;
    }
  }

  /**
   * Segment {@code sn}, of the extension, was just stored in {@code buffer} beyond {@code rcvNxt}.
   * If its whole message is in the buffer and {@code queueRoom} segments suffice, moves the message
   * to {@code queue} (or drops it when it is a stale sequenced message), leaving tombstones.
   */
  void deliverEarly(
      int sn,
      int rcvNxt,
      int window,
      int queueRoom,
      SequenceRing buffer,
      SegmentQueue queue,
      SegmentPool pool,
      KcpCounters counters) {
    Segment h = buffer.get(sn);
    int family = family(h.cmd);
    int head = sn;
    for (int steps = 0; h.cmd == moreOf(family); steps++) {
      head--;
      if (steps >= MAX_WALK || Seq.diff(head, rcvNxt) < 0) {
        return; // the head left in order, or the fragments make no sense: delivered in order
      }
      h = buffer.get(head);
      if (h == null || h.sn != head || family(h.cmd) != family) {
        return; // an earlier fragment is missing
      }
    }
    if (head == rcvNxt) {
      return; // in order: the ordinary move takes it
    }
    Segment tail = queue.peekLast();
    if (tail != null && tail.frg != 0) {
      return; // the queue ends inside a message still arriving: appending would split it
    }
    int last = head + h.frg;
    if (Seq.diff(last, rcvNxt + window) >= 0 || h.frg + 1 > queueRoom) {
      return; // past the window, or no room: delivered in order later
    }
    int more = moreOf(family);
    for (int i = 1; i <= h.frg; i++) {
      Segment f = buffer.get(head + i);
      if (f == null || f.sn != head + i || f.cmd != more || f.frg != h.frg - i) {
        return; // not whole yet (or inconsistent fragment counts: left to the in-order path)
      }
    }
    boolean stale = family == CMD_SPUSH && hasSequenced && Seq.diff(head, newestSequenced) <= 0;
    if (stale) {
      counters.staleMessagesDropped++;
    } else {
      counters.messagesDeliveredEarly++;
      if (family == CMD_SPUSH) {
        hasSequenced = true;
        newestSequenced = head;
      }
    }
    int fragments = h.frg; // h may be recycled as a tombstone below
    for (int i = 0; i <= fragments; i++) {
      int at = head + i;
      Segment f = buffer.remove(at);
      if (stale) {
        pool.release(f);
      } else {
        queue.addLast(f);
      }
      Segment tombstone = pool.acquire(0);
      tombstone.sn = at;
      tombstone.cmd = Segment.TOMBSTONE;
      buffer.put(at, tombstone);
    }
  }

  /** The first-fragment command of {@code cmd}'s mode, or 0 for an ordered PUSH. */
  private static int family(int cmd) {
    switch (cmd) {
      case CMD_UPUSH:
      case CMD_UPUSH_MORE:
        return CMD_UPUSH;
      case CMD_SPUSH:
      case CMD_SPUSH_MORE:
        return CMD_SPUSH;
      default:
        return 0;
    }
  }

  private static int moreOf(int family) {
    return family == CMD_UPUSH ? CMD_UPUSH_MORE : family == CMD_SPUSH ? CMD_SPUSH_MORE : -2;
  }
}
