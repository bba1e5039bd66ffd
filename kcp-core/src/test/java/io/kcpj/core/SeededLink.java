package io.kcpj.core;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A small seeded lossy link for the engine's property tests: per packet, in this order, it may
 * duplicate it (the copy takes its own draws), lose it, and delays each copy by a uniform draw in
 * [delayMin, delayMax] ms — so jitter wider than the packet spacing reorders. Deterministic for a
 * seed. (netem-sim's VirtualNetwork is the full laboratory; this keeps kcp-core's tests free of
 * it.)
 */
final class SeededLink {
  /** Per-direction impairments. */
  record Impairment(double loss, int delayMin, int delayMax, double duplicate) {}

  private record InFlight(long arriveAt, long order, boolean toB, byte[] bytes) {}

  private final SplittableRandom random;
  private final Impairment aToB;
  private final Impairment bToA;
  private final PriorityQueue<InFlight> queue =
      new PriorityQueue<>((x, y) -> x.arriveAt != y.arriveAt
          ? Long.compare(x.arriveAt, y.arriveAt) : Long.compare(x.order, y.order));
  private long order;
  long offered;
  long dropped;

  SeededLink(long seed, Impairment aToB, Impairment bToA) {
    this.random = new SplittableRandom(seed);
    this.aToB = aToB;
    this.bToA = bToA;
  }

  /** A datagram leaves an endpoint at {@code now}; the link copies it. */
  void offer(boolean toB, long now, byte[] bytes) {
    Impairment imp = toB ? aToB : bToA;
    offered++;
    int copies = random.nextDouble() < imp.duplicate() ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      if (random.nextDouble() < imp.loss()) {
        dropped++;
        continue;
      }
      int delay = imp.delayMin() + random.nextInt(imp.delayMax() - imp.delayMin() + 1);
      queue.add(new InFlight(now + delay, order++, toB, bytes));
    }
  }

  /** Arrival time of the next packet, or Long.MAX_VALUE. */
  long nextArrival() {
    InFlight head = queue.peek();
    return head == null ? Long.MAX_VALUE : head.arriveAt;
  }

  /** Delivers every packet due at or before {@code now}, in arrival order. */
  void deliverDue(long now, Kcp a, Kcp b) {
    while (!queue.isEmpty() && queue.peek().arriveAt <= now) {
      InFlight p = queue.poll();
      Kcp dst = p.toB ? b : a;
      int status = dst.input(p.bytes, 0, p.bytes.length);
      if (status != Kcp.INPUT_OK) {
        throw new AssertionError("a well-formed datagram was rejected with " + status);
      }
    }
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }
}
