package io.kcpj.netem.link;

import io.kcpj.netem.Direction;
import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.JitterMode;
import io.kcpj.netem.delay.Reorder;
import io.kcpj.netem.log.Fate;
import io.kcpj.netem.log.FateLog;
import io.kcpj.netem.log.FateRecord;
import io.kcpj.netem.loss.LossState;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.random.Xoshiro256;
import io.kcpj.netem.rate.QueueLimit;
import io.kcpj.netem.rate.RateLimit;
import io.kcpj.netem.time.Scheduler;
import io.kcpj.netem.time.TimeUnits;
import io.kcpj.netem.time.Timer;
import io.kcpj.netem.timeline.DelayChange;
import io.kcpj.netem.timeline.Timeline;
import io.kcpj.netem.timeline.TimelineEvent;

/**
 * One direction of a {@link Link}: packets offered here are impaired by the direction's {@link
 * DirectionProfile} and the link's timeline, then delivered to the direction's {@link PacketSink}
 * at their time (or dropped).
 *
 * <h2>The chain (netem's order) and the draw order</h2>
 *
 * For each {@link #offer(Object, long) offered} packet, at time {@code now}:
 *
 * <ol>
 *   <li>the timeline's transitions due by {@code now} are applied (no draw);
 *   <li>blackout → dropped as {@link Fate#BLACKOUT} (no draw);
 *   <li>longer than the maximum size → dropped as {@link Fate#TOO_BIG} (no draw);
 *   <li><b>duplicate</b>: one draw {@code U < duplicate} if the probability is above 0;
 *   <li><b>loss</b>: the loss model's draws (the timeline's model if one is in force). As in netem,
 *       a loss on a duplicated packet cancels the copy (its fate is {@link Fate#LOST}) and the
 *       original goes on alone; a loss on a packet not duplicated drops it as {@link Fate#LOST}. A
 *       duplicated packet not lost gets its copy now, before the original can be corrupted;
 *   <li><b>corrupt</b>: one draw {@code U < corrupt} if above 0; if hit (and the packet is not
 *       empty), two more draws: the byte index {@code nextInt(length)}, then the bit {@code
 *       nextInt(8)};
 *   <li><b>queue limit</b>: tail drop if the held packets/bytes are at the limit → {@link
 *       Fate#QUEUE_FULL} (no draw), the copy with it;
 *   <li><b>the copy</b>, if any, as netem re-enqueues it before queueing the original: its own
 *       loss, corrupt, queue limit (not counting the original, which passed its own check: as in
 *       netem, the pair can end one packet over the limit), reorder and delay draws (steps 5–10; it
 *       is not duplicated again);
 *   <li><b>reorder</b> (if configured): once {@code gap - 1} packets have been delayed normally,
 *       one draw {@code U < probability}; if hit, the packet leaves at {@code now}, at the head of
 *       the queue, without delay or rate, and the count restarts;
 *   <li>otherwise <b>delay</b>: the delay model's draw (0 or 1), {@code t = now + delay};
 *       <b>rate</b>: {@code t = max(t, previous departure) + transmission time}; <b>FIFO</b> mode:
 *       {@code t = max(t, previous departure)}. The packet is held until {@code t}.
 * </ol>
 *
 * Draws come from this direction's own {@link Xoshiro256} stream of the link's seed, so one
 * direction's fates do not depend on how much traffic the other direction carries.
 *
 * <h2>Time</h2>
 *
 * {@code now} is the caller's: {@link #offer(Object)} uses the scheduler's clock, {@link
 * #offer(Object, long)} a time stamped by the caller (e.g. when a real-time front read the packet).
 * An offer time ahead of the scheduler's clock fails with {@link IllegalStateException}: a
 * virtual-time caller runs the scheduler up to the offer time first, so that the packets due by
 * then have left (offering at 1 s, 2 s, ... on a clock left at 0 would otherwise fill the queue
 * with packets long delivered). Offer times must not go backwards; an earlier time is treated as
 * the latest one seen. Deliveries happen in the scheduler's timer, one timer per direction armed
 * for the head of the queue, so holding a packet allocates nothing.
 *
 * <h2>Ownership and threading</h2>
 *
 * Offering gives the packet to the link (see {@link PacketAdapter}). Everything here is confined to
 * the scheduler's thread: the test's for a {@code VirtualScheduler}, the owner loop's for a {@code
 * WallClockScheduler}, the channel's event loop for the Netty handler.
 */
public final class LinkDirection<P> {
  private final Link<P> link;
  private final Direction direction;
  private final Scheduler scheduler;
  private final PacketAdapter<P> adapter;
  private final PacketSink<P> sink;
  private final Xoshiro256 random;
  private final FateLog fateLog;
  private final FateRecord record;

  private final LossState baseLoss;
  private final DelayModel baseDelay;
  private final boolean fifo;
  private final Reorder reorder;
  private final double duplicate;
  private final double corrupt;
  private final RateLimit rate;
  private final QueueLimit queue;
  private final int maxPacketSize;
  private final TimelineCursor timeline;

  private final boolean inOrder;
  private final PendingQueue pending;
  private final Timer timer;
  private final LinkStats stats = new LinkStats();

  private long armedAt = Long.MAX_VALUE;
  private boolean delivering;
  private boolean closed;
  private long lastOfferNanos = Long.MIN_VALUE;
  private long nextSequence;
  private long maxDeliveredSequence = -1;
  private long lastDeparture = Long.MIN_VALUE;
  private int reorderCount;

  LinkDirection(
      Link<P> link,
      Direction direction,
      DirectionProfile profile,
      Timeline timeline,
      Xoshiro256 random,
      PacketSink<P> sink,
      FateLog fateLog) {
    this.link = link;
    this.direction = direction;
    this.scheduler = link.scheduler();
    this.adapter = link.adapter();
    this.sink = sink;
    this.random = random;
    this.fateLog = fateLog;
    this.record = fateLog == null ? null : new FateRecord();
    this.baseLoss = profile.loss().newState();
    this.baseDelay = profile.delay();
    this.fifo = profile.jitterMode() == JitterMode.FIFO;
    this.reorder = profile.reorder();
    this.duplicate = profile.duplicate();
    this.corrupt = profile.corrupt();
    this.rate = profile.rate();
    this.queue = profile.queue();
    this.maxPacketSize = profile.maxPacketSize();
    this.timeline = TimelineCursor.of(timeline, direction);
    this.inOrder = departuresInOfferOrder(profile, timeline, direction);
    this.pending = inOrder ? new FifoPendingQueue() : new TimeOrderedPendingQueue();
    this.timer = scheduler.newTimer(this::deliverDue);
  }

  /**
   * Whether every delayed packet departs no earlier than the one delayed before it, so the held
   * packets need only a ring (the reorder model's picks go to its head) instead of a heap: FIFO
   * mode; a rate (each departure follows the previous one); or a constant delay that no timeline
   * step changes.
   */
  private static boolean departuresInOfferOrder(
      DirectionProfile profile, Timeline timeline, Direction direction) {
    if (profile.jitterMode() == JitterMode.FIFO || profile.rate() != null) {
      return true;
    }
    if (profile.delay().spreadNanos() != 0) {
      return false;
    }
    for (TimelineEvent e : timeline.eventsFor(direction)) {
      if (e instanceof DelayChange) {
        return false;
      }
    }
    return true;
  }

  /** Which direction this is. */
  public Direction direction() {
    return direction;
  }

  /** The link this direction belongs to. */
  public Link<P> link() {
    return link;
  }

  /** This direction's counters (live; read on the link's thread). */
  public LinkStats stats() {
    return stats;
  }

  /** Offers {@code packet} at the scheduler's current time; see {@link #offer(Object, long)}. */
  public Outcome offer(P packet) {
    return offer(packet, scheduler.nowNanos());
  }

  /**
   * Offers {@code packet} at {@code nowNanos} on the link's clock. The link owns the packet from
   * now on.
   *
   * <p>{@code nowNanos} must not be ahead of the scheduler's clock: time moves only when the
   * scheduler runs, and a packet offered ahead of it would find packets still held that are due
   * before it (they would count against the queue limit and the rate). A time behind the clock is
   * fine (a real-time front's read time).
   *
   * @return the original's fate and, if the packet was duplicated, the copy's ({@link
   *     Fate#DELIVERED} means scheduled for delivery)
   * @throws IllegalStateException if the link is closed, or if {@code nowNanos} is ahead of the
   *     scheduler's clock (the packet is released first in both cases)
   */
  public Outcome offer(P packet, long nowNanos) {
    if (closed) {
      adapter.release(packet);
      throw new IllegalStateException("link " + link.name() + " is closed");
    }
    long clock = scheduler.nowNanos();
    if (nowNanos > clock) {
      adapter.release(packet);
      throw new IllegalStateException(
          "offer at "
              + TimeUnits.format(nowNanos)
              + " is ahead of link "
              + link.name()
              + "'s clock ("
              + TimeUnits.format(clock)
              + "): run the scheduler to the offer time first (VirtualScheduler.runUntil),"
              + " or offer(packet) at the clock's time");
    }
    long now = nowNanos;
    if (now < lastOfferNanos) {
      now = lastOfferNanos;
    } else {
      lastOfferNanos = now;
    }
    long sequence = nextSequence++;
    int size = adapter.length(packet);
    stats.offeredPackets++;
    stats.offeredBytes += size;
    LossState loss = baseLoss;
    DelayModel delay = baseDelay;
    if (timeline != null) {
      timeline.advanceTo(now);
      if (timeline.blackout()) {
        return Outcome.of(drop(packet, Fate.BLACKOUT, now, sequence, size, false));
      }
      loss = timeline.loss(baseLoss);
      delay = timeline.delay(baseDelay);
    }
    if (maxPacketSize > 0 && size > maxPacketSize) {
      return Outcome.of(drop(packet, Fate.TOO_BIG, now, sequence, size, false));
    }
    boolean duplicated = duplicate > 0 && random.nextDouble() < duplicate;
    boolean lost = loss.lose(random);
    if (lost && !duplicated) {
      return Outcome.of(drop(packet, Fate.LOST, now, sequence, size, false));
    }
    Fate copyFate = null;
    P copy = null;
    if (duplicated) {
      stats.duplicated++;
      if (lost) {
        // netem: a loss on a duplicated packet cancels the copy; the original goes on alone
        copyFate = count(Fate.LOST, now, sequence, size, true);
      } else {
        copy = adapter.duplicate(packet); // before the original can be corrupted
      }
    }
    boolean corrupted = corruptDraw(size);
    if (corrupted) {
      packet = corrupt(packet, size);
    }
    if (queue.rejects(stats.pendingPackets, stats.pendingBytes, size)) {
      Fate fate = drop(packet, Fate.QUEUE_FULL, now, sequence, size, false);
      if (copy != null) {
        copyFate = drop(copy, Fate.QUEUE_FULL, now, sequence, size, true);
      }
      return Outcome.of(fate, copyFate);
    }
    if (copy != null) {
      copyFate = carryCopy(copy, now, sequence, size, loss, delay);
    }
    schedule(packet, now, sequence, size, delay, false, corrupted);
    return Outcome.of(Fate.DELIVERED, copyFate);
  }

  /**
   * The copy of a duplicated packet, as netem re-enqueues it before queueing the original: its own
   * loss, corrupt, queue and delay draws. Its queue check, like netem's, does not count the
   * original, which passed its own check already: the pair can end one packet over the limit.
   */
  private Fate carryCopy(
      P copy, long now, long sequence, int size, LossState loss, DelayModel delay) {
    if (loss.lose(random)) {
      return drop(copy, Fate.LOST, now, sequence, size, true);
    }
    boolean corrupted = corruptDraw(size);
    if (corrupted) {
      copy = corrupt(copy, size);
    }
    if (queue.rejects(stats.pendingPackets, stats.pendingBytes, size)) {
      return drop(copy, Fate.QUEUE_FULL, now, sequence, size, true);
    }
    schedule(copy, now, sequence, size, delay, true, corrupted);
    return Fate.DELIVERED;
  }

  /** The corrupt model's draw: one {@code U < corrupt} when above 0; never for an empty packet. */
  private boolean corruptDraw(int size) {
    return corrupt > 0 && random.nextDouble() < corrupt && size > 0;
  }

  /** Flips the drawn bit: two draws, the byte {@code nextInt(size)} then the bit. */
  private P corrupt(P packet, int size) {
    int index = random.nextInt(size);
    int bit = random.nextInt(8);
    stats.corrupted++;
    return adapter.corrupt(packet, index, bit);
  }

  /** Reorder or delay, then rate or FIFO: holds the packet until its departure. */
  private void schedule(
      P packet,
      long now,
      long sequence,
      int size,
      DelayModel delay,
      boolean isCopy,
      boolean corrupted) {
    long delayNanos;
    long time;
    boolean reordered = false;
    if (reorder != null
        && reorderCount >= reorder.gap() - 1
        && random.nextDouble() < reorder.probability()) {
      reorderCount = 0;
      reordered = true;
      stats.reordered++;
      delayNanos = 0;
      time = now;
      pending.addFirst(time, packet, size, sequence);
      if (inOrder) {
        time = pending.headTime(); // the ring keeps its head no later than the rest
      }
    } else {
      reorderCount++;
      delayNanos = delay.sample(random);
      time = now + delayNanos;
      if (rate != null) {
        time = Math.max(time, lastDeparture) + rate.transmitNanos(size);
        lastDeparture = time;
      } else if (fifo) {
        time = Math.max(time, lastDeparture);
        lastDeparture = time;
      }
      pending.addLast(time, packet, size, sequence);
    }
    stats.pendingPackets++;
    stats.pendingBytes += size;
    if (stats.pendingPackets > stats.queueHighWaterPackets) {
      stats.queueHighWaterPackets = stats.pendingPackets;
    }
    if (stats.pendingBytes > stats.queueHighWaterBytes) {
      stats.queueHighWaterBytes = stats.pendingBytes;
    }
    if (!delivering && time < armedAt) {
      armedAt = time;
      timer.scheduleAt(time);
    }
    if (record != null) {
      record
          .set(link.name(), now, direction, sequence, size)
          .outcome(Fate.DELIVERED, delayNanos, time)
          .flags(isCopy, corrupted, reordered);
      fateLog.record(record);
    }
  }

  /** Releases a dropped packet and {@link #count counts} it. */
  private Fate drop(P packet, Fate fate, long now, long sequence, int size, boolean isCopy) {
    adapter.release(packet);
    return count(fate, now, sequence, size, isCopy);
  }

  /** Counts a drop and writes it to the fate log. */
  private Fate count(Fate fate, long now, long sequence, int size, boolean isCopy) {
    switch (fate) {
      case LOST:
        stats.droppedLoss++;
        break;
      case BLACKOUT:
        stats.droppedBlackout++;
        break;
      case QUEUE_FULL:
        stats.droppedQueue++;
        break;
      case TOO_BIG:
        stats.droppedSize++;
        break;
      default:
        throw new AssertionError(fate);
    }
    if (record != null) {
      record
          .set(link.name(), now, direction, sequence, size)
          .outcome(fate, 0, -1)
          .flags(isCopy, false, false);
      fateLog.record(record);
    }
    return fate;
  }

  /** The timer action: delivers every packet due by now, in order, then re-arms for the head. */
  private void deliverDue() {
    long now = scheduler.nowNanos();
    armedAt = Long.MAX_VALUE;
    delivering = true;
    int delivered = 0;
    try {
      while (!closed && !pending.isEmpty() && pending.headTime() <= now) {
        int size = pending.headSize();
        long sequence = pending.headSequence();
        @SuppressWarnings("unchecked")
        P packet = (P) pending.poll();
        stats.pendingPackets--;
        stats.pendingBytes -= size;
        stats.deliveredPackets++;
        stats.deliveredBytes += size;
        if (sequence < maxDeliveredSequence) {
          stats.deliveredOutOfOrder++;
        } else {
          maxDeliveredSequence = sequence;
        }
        delivered++;
        sink.deliver(packet, now);
      }
    } finally {
      delivering = false;
      if (!closed && !pending.isEmpty()) {
        armedAt = pending.headTime();
        timer.scheduleAt(armedAt);
      }
    }
    if (delivered > 0 && !closed) {
      sink.endOfBatch();
    }
  }

  /** Drops everything held (releasing each packet) and stops; used by {@link Link#close()}. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.cancel();
    while (!pending.isEmpty()) {
      int size = pending.headSize();
      @SuppressWarnings("unchecked")
      P packet = (P) pending.poll();
      stats.pendingPackets--;
      stats.pendingBytes -= size;
      adapter.release(packet);
    }
  }

  /** Whether {@link Link#close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return link.name() + " " + direction.logName() + ": " + stats;
  }
}
