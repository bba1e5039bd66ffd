package io.kcpj.netem.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The in-order fast path is only a faster structure: whenever departures come in offer order (a
 * rate, FIFO mode, a constant delay), the ring ({@link FifoPendingQueue}) hands out exactly what
 * the heap ({@link TimeOrderedPendingQueue}) would, in the same order and at the same times. The
 * operations mimic a link: time moves forward and due packets leave first; a delayed packet departs
 * no earlier than the one before it; the reorder model puts a packet at the head, due now.
 */
class PendingQueueEquivalenceTest {

  /** One step: advance the clock, add a delayed packet, or add a reordered one (kind 0, 1, 2). */
  record Step(int kind, long amount, int size) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(0, 50),
                Arbitraries.integers().between(1, 1500))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(400);
  }

  @Property(tries = 500, seed = "20250117")
  void theRingHandsOutWhatTheHeapWouldWheneverDeparturesAreInOrder(
      @ForAll("steps") List<Step> steps) {
    PendingQueue ring = new FifoPendingQueue();
    PendingQueue heap = new TimeOrderedPendingQueue();
    List<String> fromRing = new ArrayList<>();
    List<String> fromHeap = new ArrayList<>();
    long now = 0;
    long lastDeparture = 0;
    long sequence = 0;
    for (Step s : steps) {
      switch (s.kind()) {
        case 0:
          now += s.amount();
          drainDue(ring, now, fromRing);
          drainDue(heap, now, fromHeap);
          break;
        case 1:
          lastDeparture = Math.max(now + s.amount(), lastDeparture); // as a rate or FIFO mode
          ring.addLast(lastDeparture, "p" + sequence, s.size(), sequence);
          heap.addLast(lastDeparture, "p" + sequence, s.size(), sequence);
          sequence++;
          break;
        default:
          ring.addFirst(now, "r" + sequence, s.size(), sequence);
          heap.addFirst(now, "r" + sequence, s.size(), sequence);
          sequence++;
      }
      assertEquals(heap.size(), ring.size());
      if (!heap.isEmpty()) {
        assertEquals(heap.headTime(), ring.headTime());
      }
      assertEquals(fromHeap, fromRing);
    }
    drainDue(ring, Long.MAX_VALUE, fromRing);
    drainDue(heap, Long.MAX_VALUE, fromHeap);
    assertEquals(fromHeap, fromRing);
    assertEquals(sequence, fromRing.size());
  }

  private static void drainDue(PendingQueue q, long now, List<String> out) {
    while (!q.isEmpty() && q.headTime() <= now) {
      String entry = q.headTime() + "/" + q.headSize() + "/" + q.headSequence();
      out.add(entry + "/" + q.poll());
    }
  }
}
