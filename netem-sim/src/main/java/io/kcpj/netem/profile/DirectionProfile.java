package io.kcpj.netem.profile;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.Distribution;
import io.kcpj.netem.delay.JitterMode;
import io.kcpj.netem.delay.Reorder;
import io.kcpj.netem.loss.LossModel;
import io.kcpj.netem.loss.NoLoss;
import io.kcpj.netem.loss.Probabilities;
import io.kcpj.netem.rate.QueueLimit;
import io.kcpj.netem.rate.RateLimit;
import io.kcpj.netem.time.TimeUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The impairments of one direction of a link: loss, delay and jitter mode, reorder, duplicate,
 * corrupt, rate, queue limit and a maximum packet size. Every part is optional; the default is an
 * ideal direction (everything delivered at once, in order).
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()}. {@link #ideal()} is the
 * all-defaults value.
 */
public final class DirectionProfile {
  private static final DirectionProfile IDEAL = new Builder().build();

  private final LossModel loss;
  private final DelayModel delay;
  private final JitterMode jitterMode;
  private final Reorder reorder;
  private final double duplicate;
  private final double corrupt;
  private final RateLimit rate;
  private final QueueLimit queue;
  private final int maxPacketSize;

  private DirectionProfile(Builder b) {
    this.loss = b.loss;
    this.delay = b.delay;
    this.jitterMode = b.jitterMode;
    this.reorder = b.reorder;
    this.duplicate = b.duplicate;
    this.corrupt = b.corrupt;
    this.rate = b.rate;
    this.queue = b.queue;
    this.maxPacketSize = b.maxPacketSize;
  }

  /** A builder with every impairment off. */
  public static Builder builder() {
    return new Builder();
  }

  /** A direction with no impairment at all. */
  public static DirectionProfile ideal() {
    return IDEAL;
  }

  /** A builder starting from this profile's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.loss = loss;
    b.delay = delay;
    b.jitterMode = jitterMode;
    b.reorder = reorder;
    b.duplicate = duplicate;
    b.corrupt = corrupt;
    b.rate = rate;
    b.queue = queue;
    b.maxPacketSize = maxPacketSize;
    return b;
  }

  /** The loss model ({@link NoLoss} when none). */
  public LossModel loss() {
    return loss;
  }

  /** The delay model ({@link DelayModel#NONE} when none). */
  public DelayModel delay() {
    return delay;
  }

  /** Whether jitter may reorder packets. */
  public JitterMode jitterMode() {
    return jitterMode;
  }

  /** netem's explicit reordering, or {@code null}. */
  public Reorder reorder() {
    return reorder;
  }

  /** The probability that a packet is duplicated. */
  public double duplicate() {
    return duplicate;
  }

  /** The probability that a packet gets one bit flipped. */
  public double corrupt() {
    return corrupt;
  }

  /** The rate limit, or {@code null} for an unlimited rate. */
  public RateLimit rate() {
    return rate;
  }

  /** The queue limit ({@link QueueLimit#UNLIMITED} by default). */
  public QueueLimit queue() {
    return queue;
  }

  /** Packets longer than this many bytes are dropped (a path-MTU black hole); 0 = no limit. */
  public int maxPacketSize() {
    return maxPacketSize;
  }

  /**
   * Whether this direction changes nothing: no loss, delay, reorder, duplicate, corrupt, rate,
   * limit.
   */
  public boolean isIdeal() {
    return equals(IDEAL);
  }

  /**
   * This direction in the compact profile syntax, each key prefixed with {@code prefix} (e.g.
   * {@code "up."} or {@code ""}); only the keys that differ from the defaults.
   */
  public List<String> toSpecTokens(String prefix) {
    List<String> t = new ArrayList<>();
    if (!delay.isNone()) {
      t.add(prefix + "delay=" + TimeUnits.format(delay.meanNanos()));
      if (delay.spreadNanos() > 0) {
        t.add(prefix + "jitter=" + TimeUnits.format(delay.spreadNanos()));
        if (delay.distribution() != Distribution.UNIFORM) {
          t.add(prefix + "dist=" + delay.distribution().specName());
        }
      }
    }
    if (jitterMode == JitterMode.FIFO) {
      t.add(prefix + "fifo=on");
    }
    if (!(loss instanceof NoLoss)) {
      t.add(prefix + "loss=" + loss.toSpec());
    }
    if (reorder != null) {
      t.add(prefix + "reorder=" + reorder);
    }
    if (duplicate > 0) {
      t.add(prefix + "duplicate=" + Probabilities.format(duplicate));
    }
    if (corrupt > 0) {
      t.add(prefix + "corrupt=" + Probabilities.format(corrupt));
    }
    if (rate != null) {
      t.add(prefix + "rate=" + rate.toSpec());
      if (rate.overheadBytes() > 0) {
        t.add(prefix + "overhead=" + rate.overheadBytes());
      }
    }
    if (!queue.isUnlimited()) {
      t.add(prefix + "queue=" + queue.toSpec());
    }
    if (maxPacketSize > 0) {
      t.add(prefix + "mtu=" + maxPacketSize);
    }
    return t;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DirectionProfile)) {
      return false;
    }
    DirectionProfile d = (DirectionProfile) o;
    return loss.equals(d.loss)
        && delay.equals(d.delay)
        && jitterMode == d.jitterMode
        && Objects.equals(reorder, d.reorder)
        && duplicate == d.duplicate
        && corrupt == d.corrupt
        && Objects.equals(rate, d.rate)
        && queue.equals(d.queue)
        && maxPacketSize == d.maxPacketSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        loss, delay, jitterMode, reorder, duplicate, corrupt, rate, queue, maxPacketSize);
  }

  @Override
  public String toString() {
    List<String> t = toSpecTokens("");
    return t.isEmpty() ? "ideal" : String.join(",", t);
  }

  /** Sets the parts of a {@link DirectionProfile}; not thread-safe. */
  public static final class Builder {
    private LossModel loss = NoLoss.INSTANCE;
    private DelayModel delay = DelayModel.NONE;
    private JitterMode jitterMode = JitterMode.REORDER;
    private Reorder reorder;
    private double duplicate;
    private double corrupt;
    private RateLimit rate;
    private QueueLimit queue = QueueLimit.UNLIMITED;
    private int maxPacketSize;

    private Builder() {}

    /** The loss model. */
    public Builder loss(LossModel loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
      return this;
    }

    /** The delay model. */
    public Builder delay(DelayModel delay) {
      this.delay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /** Whether jitter may reorder ({@link JitterMode#REORDER}, the default) or not. */
    public Builder jitterMode(JitterMode mode) {
      this.jitterMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * netem's explicit reordering, or {@code null} for none. It needs a delay ({@link #build()}
     * checks).
     */
    public Builder reorder(Reorder reorder) {
      this.reorder = reorder;
      return this;
    }

    /** The duplication probability. */
    public Builder duplicate(double probability) {
      this.duplicate = Probabilities.check("duplicate", probability);
      return this;
    }

    /** The corruption (one bit flipped) probability. */
    public Builder corrupt(double probability) {
      this.corrupt = Probabilities.check("corrupt", probability);
      return this;
    }

    /** The rate limit, or {@code null} for none. */
    public Builder rate(RateLimit rate) {
      this.rate = rate;
      return this;
    }

    /** The queue limit. */
    public Builder queue(QueueLimit queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /** Drop packets longer than {@code bytes} (0 = no limit). */
    public Builder maxPacketSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("max packet size must be >= 0, got " + bytes);
      }
      this.maxPacketSize = bytes;
      return this;
    }

    /**
     * The profile.
     *
     * @throws IllegalArgumentException if reorder is set without a delay (mean above 0)
     */
    public DirectionProfile build() {
      if (reorder != null && delay.meanNanos() == 0) {
        throw new IllegalArgumentException(
            "reorder="
                + reorder
                + " needs a delay: it sends the packets it picks at once, ahead of the delayed ones,"
                + " so without delay=... it reorders nothing (tc refuses it too); add a delay,"
                + " e.g. delay=20ms");
      }
      return new DirectionProfile(this);
    }
  }
}
