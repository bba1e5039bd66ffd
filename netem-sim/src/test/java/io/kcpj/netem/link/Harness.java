package io.kcpj.netem.link;

import io.kcpj.netem.Direction;
import io.kcpj.netem.log.FateLog;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.VirtualScheduler;
import io.kcpj.netem.timeline.Timeline;
import java.util.ArrayList;
import java.util.List;

/** A link of {@link Probe}s on a virtual clock, recording every delivery of the A→B direction. */
public final class Harness {
  /** One delivery: the probe and when it arrived. */
  public record Delivery(Probe probe, long at) {
    /** Arrival minus offer time. */
    public long delay() {
      return at - probe.sentAt();
    }
  }

  public final VirtualScheduler clock = new VirtualScheduler();
  public final List<Delivery> delivered = new ArrayList<>();
  public final Link<Probe> link;
  public final LinkDirection<Probe> up;
  private long number;

  public Harness(DirectionProfile upProfile, long seed) {
    this(Profile.builder().up(upProfile).build(), seed, null);
  }

  public Harness(DirectionProfile upProfile, Timeline timeline, long seed) {
    this(Profile.builder().up(upProfile).timeline(timeline).build(), seed, null);
  }

  public Harness(Profile profile, long seed, FateLog log) {
    link =
        Link.builder(clock, Probe.ADAPTER)
            .profile(profile)
            .seed(seed)
            .fateLog(log)
            .sink(Direction.A_TO_B, (p, now) -> delivered.add(new Delivery(p, now)))
            .sink(Direction.B_TO_A, (p, now) -> {})
            .build();
    up = link.aToB();
  }

  /** Runs the clock to {@code at}, then offers a probe of {@code size} bytes then. */
  public Outcome offer(long at, int size) {
    clock.runUntil(at);
    return up.offer(Probe.of(at, number++, size), at);
  }

  /** {@link #offer(long, int)}, returning the original's fate. */
  public io.kcpj.netem.log.Fate offerAt(long at, int size) {
    return offer(at, size).fate();
  }

  /** Delivers everything still held. */
  public void drain() {
    clock.runUntilIdle();
  }
}
