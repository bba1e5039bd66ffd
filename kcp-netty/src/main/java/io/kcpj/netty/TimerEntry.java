package io.kcpj.netty;

/**
 * One session's place in a {@link DeadlineHeap}: the deadline (absolute ms on the event loop's
 * clock) and the entry's index in the heap ({@code -1} when absent). A session owns two — one for
 * its engine (retransmissions, probes, close timeout) and one for its idle timeout — so that moving
 * one never disturbs the other. Event-loop confined.
 */
final class TimerEntry {
  final KcpChildChannel session;
  long deadline = Long.MAX_VALUE;
  int index = -1;

  TimerEntry(KcpChildChannel session) {
    this.session = session;
  }

  boolean isScheduled() {
    return index >= 0;
  }
}
