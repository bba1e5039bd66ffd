package io.kcpj.netem.link;

import io.kcpj.netem.Direction;
import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.loss.LossState;
import io.kcpj.netem.timeline.Blackout;
import io.kcpj.netem.timeline.DelayChange;
import io.kcpj.netem.timeline.LossChange;
import io.kcpj.netem.timeline.Timeline;
import io.kcpj.netem.timeline.TimelineEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plays one direction's timeline forward as packets are offered: applies every start and end due at
 * or before the offer time, then answers "blackout?", "which delay?", "which loss state?".
 *
 * <p>Transitions are sorted by time, ends before starts at equal times (so back-to-back events hand
 * over exactly), then by the order of the events. Overlapping events of one kind: the one started
 * last is in force. Each {@link LossChange} gets a fresh loss state when it starts. Confined to the
 * link's thread.
 */
final class TimelineCursor {

  private static final class Transition {
    final long time;
    final boolean start;
    final int index;
    final TimelineEvent event;

    Transition(long time, boolean start, int index, TimelineEvent event) {
      this.time = time;
      this.start = start;
      this.index = index;
      this.event = event;
    }
  }

  private final Transition[] transitions;
  private int next;
  private int blackoutDepth;
  private final List<DelayChange> delays = new ArrayList<>();
  private final List<LossChange> losses = new ArrayList<>();
  private final List<LossState> lossStates = new ArrayList<>();

  private TimelineCursor(Transition[] transitions) {
    this.transitions = transitions;
  }

  /**
   * A cursor over {@code timeline}'s blackout, delay and loss events for {@code direction}, or
   * null.
   */
  static TimelineCursor of(Timeline timeline, Direction direction) {
    List<Transition> list = new ArrayList<>();
    int index = 0;
    for (TimelineEvent e : timeline.eventsFor(direction)) {
      if (!(e instanceof Blackout || e instanceof DelayChange || e instanceof LossChange)) {
        continue;
      }
      list.add(new Transition(e.atNanos(), true, index, e));
      if (e.endNanos() != TimelineEvent.FOREVER) {
        list.add(new Transition(e.endNanos(), false, index, e));
      }
      index++;
    }
    if (list.isEmpty()) {
      return null;
    }
    list.sort(
        Comparator.<Transition>comparingLong(t -> t.time)
            .thenComparing(t -> t.start)
            .thenComparingInt(t -> t.index));
    return new TimelineCursor(list.toArray(new Transition[0]));
  }

  /** Applies every transition due at or before {@code nowNanos}. */
  void advanceTo(long nowNanos) {
    while (next < transitions.length && transitions[next].time <= nowNanos) {
      apply(transitions[next++]);
    }
  }

  private void apply(Transition t) {
    TimelineEvent e = t.event;
    if (e instanceof Blackout) {
      blackoutDepth += t.start ? 1 : -1;
    } else if (e instanceof DelayChange) {
      if (t.start) {
        delays.add((DelayChange) e);
      } else {
        delays.remove(e);
      }
    } else if (e instanceof LossChange) {
      if (t.start) {
        losses.add((LossChange) e);
        lossStates.add(((LossChange) e).loss().newState());
      } else {
        int i = losses.indexOf(e);
        losses.remove(i);
        lossStates.remove(i);
      }
    }
  }

  boolean blackout() {
    return blackoutDepth > 0;
  }

  DelayModel delay(DelayModel base) {
    return delays.isEmpty() ? base : delays.get(delays.size() - 1).delay();
  }

  LossState loss(LossState base) {
    return lossStates.isEmpty() ? base : lossStates.get(lossStates.size() - 1);
  }
}
