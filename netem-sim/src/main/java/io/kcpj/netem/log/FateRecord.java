package io.kcpj.netem.log;

import io.kcpj.netem.Direction;

/**
 * One line of the fate log: a packet (or a duplicate copy) and what the link decided for it.
 *
 * <p>A link fills one reusable instance per packet and hands it to its {@link FateLog}; the log
 * must copy what it needs before returning and must not keep the instance. The setters exist for
 * the link; they are not meant for other callers.
 */
public final class FateRecord {
  private String link = "link";
  private long timeNanos;
  private Direction direction = Direction.A_TO_B;
  private long sequence;
  private int size;
  private Fate fate = Fate.DELIVERED;
  private long delayNanos;
  private long deliverNanos = -1;
  private boolean copy;
  private boolean corrupted;
  private boolean reordered;

  /** The name of the link (its builder's {@code name}). */
  public String link() {
    return link;
  }

  /** When the packet was offered, in nanoseconds on the link's clock. */
  public long timeNanos() {
    return timeNanos;
  }

  /** The direction it was offered to. */
  public Direction direction() {
    return direction;
  }

  /** Its offer number in the direction, from 0; a duplicate copy has its original's number. */
  public long sequence() {
    return sequence;
  }

  /** Its length in bytes. */
  public int size() {
    return size;
  }

  /** Its fate. */
  public Fate fate() {
    return fate;
  }

  /** The delay drawn for it (0 if dropped or reordered by the reorder model). */
  public long delayNanos() {
    return delayNanos;
  }

  /** Its delivery time (after delay, FIFO order and rate), or -1 if dropped. */
  public long deliverNanos() {
    return deliverNanos;
  }

  /** Whether this is the duplicate copy. */
  public boolean copy() {
    return copy;
  }

  /** Whether it had a bit flipped. */
  public boolean corrupted() {
    return corrupted;
  }

  /** Whether the reorder model sent it to the head of the queue. */
  public boolean reordered() {
    return reordered;
  }

  /** Sets every field (used by the link). */
  public FateRecord set(String link, long timeNanos, Direction direction, long sequence, int size) {
    this.link = link;
    this.timeNanos = timeNanos;
    this.direction = direction;
    this.sequence = sequence;
    this.size = size;
    this.fate = Fate.DELIVERED;
    this.delayNanos = 0;
    this.deliverNanos = -1;
    this.copy = false;
    this.corrupted = false;
    this.reordered = false;
    return this;
  }

  /** Sets the outcome (used by the link). */
  public FateRecord outcome(Fate fate, long delayNanos, long deliverNanos) {
    this.fate = fate;
    this.delayNanos = delayNanos;
    this.deliverNanos = deliverNanos;
    return this;
  }

  /** Sets the flags (used by the link). */
  public FateRecord flags(boolean copy, boolean corrupted, boolean reordered) {
    this.copy = copy;
    this.corrupted = corrupted;
    this.reordered = reordered;
    return this;
  }

  @Override
  public String toString() {
    return FateLogWriter.Format.CSV.format(this);
  }
}
