package io.kcpj.netem.tun;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small built-in impairment for one direction of a {@link TunBridge}: independent (Bernoulli)
 * loss with a fixed probability, drawn from a seeded generator, then a constant delay in real time.
 * It exists so the bridge can be tested and used on its own; the full netem-sim link models (other
 * loss models, jitter, reorder, rate limits, timelines) plug into the same {@link PacketPath} seam
 * through an adapter.
 *
 * <p>Exactly one random number is drawn per offered packet, in offer order, so the same seed and
 * the same packet sequence give the same fate for every packet. Because the delay is constant the
 * delay queue is FIFO and order is preserved. The queue is bounded; a packet arriving at a full
 * queue is dropped and counted in {@link #overflowed()} (it only happens if the bridge falls far
 * behind).
 *
 * <p><b>Threading:</b> {@link #offer}, {@link #nextDueNanos} and {@link #runDue} run on the bridge
 * thread only (see {@link PacketPath}). The counters may be read from any thread; each is exact on
 * its own but they are not a consistent snapshot while the bridge runs. One instance serves one
 * direction of one bridge.
 *
 * <p><b>Buffer ownership:</b> queued packets are the arrays the bridge handed over in {@link
 * #offer}; they are passed to the sink without copying and dropped afterwards.
 */
public final class LossDelayPath implements PacketPath {

  /** Default bound of the delay queue, in packets. */
  public static final int DEFAULT_MAX_QUEUED_PACKETS = 100_000;

  private final double lossProbability;
  private final long delayNanos;
  private final long seed;
  private final int maxQueuedPackets;
  private final SplittableRandom random;
  private final ArrayDeque<Held> queue = new ArrayDeque<>();

  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong overflowed = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();

  private record Held(long dueNanos, byte[] packet, int length) {}

  /**
   * Creates a path with the {@link #DEFAULT_MAX_QUEUED_PACKETS default queue bound}.
   *
   * @param lossProbability probability in [0, 1] that a packet is dropped
   * @param delay constant one-way delay added to every surviving packet (zero or positive)
   * @param seed seed of the loss generator
   */
  public LossDelayPath(double lossProbability, Duration delay, long seed) {
    this(lossProbability, delay, seed, DEFAULT_MAX_QUEUED_PACKETS);
  }

  /**
   * Creates a path.
   *
   * @param lossProbability probability in [0, 1] that a packet is dropped
   * @param delay constant one-way delay added to every surviving packet (zero or positive)
   * @param seed seed of the loss generator
   * @param maxQueuedPackets maximum number of packets held in the delay queue (at least 1)
   */
  public LossDelayPath(double lossProbability, Duration delay, long seed, int maxQueuedPackets) {
    if (!(lossProbability >= 0.0 && lossProbability <= 1.0)) {
      throw new IllegalArgumentException("lossProbability must be in [0, 1]: " + lossProbability);
    }
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    if (maxQueuedPackets < 1) {
      throw new IllegalArgumentException(
          "maxQueuedPackets must be at least 1: " + maxQueuedPackets);
    }
    this.lossProbability = lossProbability;
    this.delayNanos = delay.toNanos();
    this.seed = seed;
    this.maxQueuedPackets = maxQueuedPackets;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public void offer(byte[] packet, int length, long nowNanos, PacketSink sink) {
    offered.incrementAndGet();
    if (random.nextDouble() < lossProbability) {
      lost.incrementAndGet();
      return;
    }
    if (delayNanos == 0) {
      delivered.incrementAndGet();
      sink.deliver(packet, 0, length);
      return;
    }
    if (queue.size() >= maxQueuedPackets) {
      overflowed.incrementAndGet();
      return;
    }
    queue.addLast(new Held(nowNanos + delayNanos, packet, length));
  }

  @Override
  public long nextDueNanos() {
    Held first = queue.peekFirst();
    return first == null ? Long.MAX_VALUE : first.dueNanos;
  }

  @Override
  public void runDue(long nowNanos, PacketSink sink) {
    Held first;
    while ((first = queue.peekFirst()) != null && first.dueNanos - nowNanos <= 0) {
      queue.pollFirst();
      delivered.incrementAndGet();
      sink.deliver(first.packet, 0, first.length);
    }
  }

  /** The configured loss probability. */
  public double lossProbability() {
    return lossProbability;
  }

  /** The configured constant delay. */
  public Duration delay() {
    return Duration.ofNanos(delayNanos);
  }

  /** Packets offered so far. */
  public long offered() {
    return offered.get();
  }

  /** Packets dropped by the loss draw so far. */
  public long lost() {
    return lost.get();
  }

  /** Packets dropped because the delay queue was full. */
  public long overflowed() {
    return overflowed.get();
  }

  /** Packets handed to the sink so far. */
  public long delivered() {
    return delivered.get();
  }

  /** Packets currently held in the delay queue (bridge thread only; approximate elsewhere). */
  public int queued() {
    return queue.size();
  }

  @Override
  public String toString() {
    return "LossDelayPath[loss="
        + lossProbability
        + ", delay="
        + Duration.ofNanos(delayNanos)
        + ", seed="
        + seed
        + ", maxQueued="
        + maxQueuedPackets
        + "]";
  }
}
