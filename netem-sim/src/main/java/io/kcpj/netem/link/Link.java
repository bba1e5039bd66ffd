package io.kcpj.netem.link;

import io.kcpj.netem.Direction;
import io.kcpj.netem.log.FateLog;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.random.Xoshiro256;
import io.kcpj.netem.time.Scheduler;
import io.kcpj.netem.timeline.Timeline;
import java.util.Objects;

/**
 * A simulated link between endpoint A and endpoint B: two independent {@link LinkDirection}s
 * configured by a {@link Profile}, driven by a {@link Scheduler}, seeded by one {@code long}.
 *
 * <p>The packet type {@code P} is the caller's; a {@link PacketAdapter} tells the link its length
 * and how to copy, corrupt and release it. Each direction delivers to its own {@link PacketSink}.
 *
 * <pre>{@code
 * VirtualScheduler clock = new VirtualScheduler();
 * Link<byte[]> link = Link.builder(clock, PacketAdapter.byteArrays())
 *     .profile(Profile.named("3g-lossy"))
 *     .seed(42)
 *     .sink(Direction.A_TO_B, (packet, now) -> serverInbox.add(packet))
 *     .sink(Direction.B_TO_A, (packet, now) -> clientInbox.add(packet))
 *     .build();
 * link.direction(Direction.A_TO_B).offer(bytes);   // at clock.nowNanos()
 * clock.advanceByMillis(10);                         // deliveries happen in here
 * }</pre>
 *
 * <p><b>Determinism:</b> direction A→B draws from stream 0 and B→A from stream 1 of {@link
 * Xoshiro256#stream(long, int) the seed}. With a {@code VirtualScheduler}, the same seed, profile
 * and offered packets (times, sizes, order) give the same fates and the same fate log.
 *
 * <p><b>Threading:</b> confined to the scheduler's thread (see {@link LinkDirection}).
 */
public final class Link<P> implements AutoCloseable {
  private final String name;
  private final Scheduler scheduler;
  private final PacketAdapter<P> adapter;
  private final Profile profile;
  private final long seed;
  private final LinkDirection<P> aToB;
  private final LinkDirection<P> bToA;

  private Link(Builder<P> b) {
    this.name = b.name;
    this.scheduler = b.scheduler;
    this.adapter = b.adapter;
    this.profile = b.profile;
    this.seed = b.seed;
    Timeline timeline = profile.timeline();
    this.aToB =
        new LinkDirection<>(
            this,
            Direction.A_TO_B,
            profile.up(),
            timeline,
            Xoshiro256.stream(seed, 0),
            b.sinkAToB,
            b.fateLog);
    this.bToA =
        new LinkDirection<>(
            this,
            Direction.B_TO_A,
            profile.down(),
            timeline,
            Xoshiro256.stream(seed, 1),
            b.sinkBToA,
            b.fateLog);
  }

  /**
   * A builder for a link driven by {@code scheduler} carrying packets of the type {@code adapter}
   * handles. Defaults: ideal profile, seed 0, name "link", no fate log.
   */
  public static <P> Builder<P> builder(Scheduler scheduler, PacketAdapter<P> adapter) {
    return new Builder<>(scheduler, adapter);
  }

  /** The direction {@code d}. */
  public LinkDirection<P> direction(Direction d) {
    return d == Direction.A_TO_B ? aToB : bToA;
  }

  /** The A→B (up) direction. */
  public LinkDirection<P> aToB() {
    return aToB;
  }

  /** The B→A (down) direction. */
  public LinkDirection<P> bToA() {
    return bToA;
  }

  /** The name written in fate logs. */
  public String name() {
    return name;
  }

  /** The scheduler that drives the link. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The packet adapter. */
  public PacketAdapter<P> adapter() {
    return adapter;
  }

  /** The configuration. */
  public Profile profile() {
    return profile;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /**
   * Stops both directions: cancels their timers and releases every held packet through the adapter.
   * Later offers throw. Idempotent. Call on the link's thread.
   */
  @Override
  public void close() {
    aToB.close();
    bToA.close();
  }

  @Override
  public String toString() {
    return "Link " + name + " (" + profile + ", seed " + seed + ")";
  }

  /** Configures a {@link Link}; not thread-safe. */
  public static final class Builder<P> {
    private final Scheduler scheduler;
    private final PacketAdapter<P> adapter;
    private String name = "link";
    private Profile profile = Profile.ideal();
    private long seed;
    private PacketSink<P> sinkAToB;
    private PacketSink<P> sinkBToA;
    private FateLog fateLog;

    private Builder(Scheduler scheduler, PacketAdapter<P> adapter) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      this.adapter = Objects.requireNonNull(adapter, "adapter");
    }

    /** The name written in the fate log's {@code link} column. */
    public Builder<P> name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Both directions and the timeline. */
    public Builder<P> profile(Profile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /** The seed of every random draw. */
    public Builder<P> seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Where direction {@code d} delivers. Both directions need one: {@link #build()} checks. */
    public Builder<P> sink(Direction d, PacketSink<P> sink) {
      Objects.requireNonNull(sink, "sink");
      if (d == Direction.A_TO_B) {
        sinkAToB = sink;
      } else {
        sinkBToA = sink;
      }
      return this;
    }

    /** A per-packet fate log for both directions ({@code null}, the default, for none). */
    public Builder<P> fateLog(FateLog fateLog) {
      this.fateLog = fateLog;
      return this;
    }

    /**
     * The link.
     *
     * @throws IllegalStateException if a direction has no sink (give one even to a direction you do
     *     not use, e.g. {@code (packet, now) -> {}}, releasing the packet if it holds memory)
     */
    public Link<P> build() {
      for (Direction d : Direction.values()) {
        if ((d == Direction.A_TO_B ? sinkAToB : sinkBToA) == null) {
          throw new IllegalStateException(
              "link "
                  + name
                  + " has no sink for direction "
                  + d.logName()
                  + " ("
                  + d.profileName()
                  + "): give one with sink(Direction."
                  + d
                  + ", ...)");
        }
      }
      return new Link<>(this);
    }
  }
}
