package io.kcpj.netem.timeline;

import io.kcpj.netem.Direction;
import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.loss.LossModel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A script of {@link TimelineEvent}s for a link: blackouts, RTT steps, loss-model changes and
 * address rebinding, each at a time on the link's scheduler clock, in one direction or both.
 *
 * <p>The link consults the timeline when a packet is offered, so an event is exact to the
 * nanosecond and costs nothing between packets. Events are kept sorted by start time (stable for
 * equal times). Immutable and thread-safe.
 *
 * <pre>{@code
 * Timeline t = Timeline.builder()
 *     .blackout(Scope.BOTH, TimeUnits.seconds(10), TimeUnits.seconds(3))
 *     .delay(Scope.DOWN, TimeUnits.seconds(20), TimeUnits.seconds(5), DelayModel.constant(TimeUnits.millis(300)))
 *     .rebind(Scope.UP, TimeUnits.seconds(30))
 *     .build();
 * }</pre>
 */
public final class Timeline {
  /** No events. */
  public static final Timeline EMPTY = new Timeline(List.of());

  private final List<TimelineEvent> events;

  private Timeline(List<TimelineEvent> events) {
    List<TimelineEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(TimelineEvent::atNanos));
    this.events = Collections.unmodifiableList(sorted);
  }

  /** A builder for a new timeline. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting with this timeline's events. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.events.addAll(events);
    return b;
  }

  /** All events, sorted by start time. */
  public List<TimelineEvent> events() {
    return events;
  }

  /** Whether there are no events. */
  public boolean isEmpty() {
    return events.isEmpty();
  }

  /** The events that apply to {@code direction}, sorted by start time. */
  public List<TimelineEvent> eventsFor(Direction direction) {
    List<TimelineEvent> out = new ArrayList<>();
    for (TimelineEvent e : events) {
      if (e.scope().includes(direction)) {
        out.add(e);
      }
    }
    return out;
  }

  /** The rebinding events of {@code direction}, in order. */
  public List<Rebind> rebinds(Direction direction) {
    List<Rebind> out = new ArrayList<>();
    for (TimelineEvent e : events) {
      if (e instanceof Rebind && e.scope().includes(direction)) {
        out.add((Rebind) e);
      }
    }
    return out;
  }

  /**
   * How many rebinding events of {@code direction} have started at {@code nowNanos}: the sender's
   * source "epoch" a packet offered then carries (0 = its original address).
   */
  public int rebindCount(Direction direction, long nowNanos) {
    int n = 0;
    for (TimelineEvent e : events) {
      if (e.atNanos() > nowNanos) {
        break;
      }
      if (e instanceof Rebind && e.scope().includes(direction)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Timeline && ((Timeline) o).events.equals(events);
  }

  @Override
  public int hashCode() {
    return events.hashCode();
  }

  @Override
  public String toString() {
    return events.toString();
  }

  /** Collects events; not thread-safe. */
  public static final class Builder {
    private final List<TimelineEvent> events = new ArrayList<>();

    private Builder() {}

    /** Adds any event. */
    public Builder add(TimelineEvent event) {
      events.add(java.util.Objects.requireNonNull(event, "event"));
      return this;
    }

    /** The link goes down in {@code scope} during {@code [at, at + duration)}. */
    public Builder blackout(Scope scope, long atNanos, long durationNanos) {
      return add(new Blackout(scope, atNanos, durationNanos));
    }

    /** {@code delay} replaces the direction's delay during {@code [at, at + duration)}. */
    public Builder delay(Scope scope, long atNanos, long durationNanos, DelayModel delay) {
      return add(new DelayChange(scope, atNanos, durationNanos, delay));
    }

    /** {@code loss} replaces the direction's loss model during {@code [at, at + duration)}. */
    public Builder loss(Scope scope, long atNanos, long durationNanos, LossModel loss) {
      return add(new LossChange(scope, atNanos, durationNanos, loss));
    }

    /**
     * The sender of {@code scope} appears from a new address (picked by the front) from {@code at}.
     */
    public Builder rebind(Scope scope, long atNanos) {
      return add(new Rebind(scope, atNanos, null));
    }

    /** The sender of {@code scope} appears from {@code newAddress} from {@code at}. */
    public Builder rebind(Scope scope, long atNanos, InetSocketAddress newAddress) {
      return add(new Rebind(scope, atNanos, newAddress));
    }

    /** The timeline. */
    public Timeline build() {
      return events.isEmpty() ? EMPTY : new Timeline(events);
    }
  }
}
