package io.kcpj.bench.compare;

import io.kcpj.netem.loss.NoLoss;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.timeline.Blackout;
import io.kcpj.netem.timeline.LossChange;
import io.kcpj.netem.timeline.Timeline;
import io.kcpj.netem.timeline.TimelineEvent;

/**
 * The path a profile allows: the same profile with everything that loses packets removed — loss
 * models, corruption, blackouts and scripted loss changes — and everything that delays them kept:
 * delay and jitter (and their scripted steps), reordering, duplication, the rate limit and its
 * queue, the packet-size limit, rebinding. A raw UDP echo over it (the comparison's {@code floor}
 * row) measures the round trip no transport can beat on that path; what a transport adds on top is
 * its excess latency.
 *
 * <p>The queue still tail-drops when the floor's own traffic overflows it (it never does at the
 * game workload's rates), and such a drop counts as an undelivered floor message. Stateless.
 */
public final class FloorProfile {
  private FloorProfile() {}

  /** {@code profile} without loss, corruption or blackouts; same name and source. */
  public static Profile of(Profile profile) {
    Timeline.Builder t = Timeline.builder();
    for (TimelineEvent e : profile.timeline().events()) {
      if (!(e instanceof Blackout) && !(e instanceof LossChange)) {
        t.add(e);
      }
    }
    return profile.toBuilder()
        .up(lossless(profile.up()))
        .down(lossless(profile.down()))
        .timeline(t.build())
        .build();
  }

  private static DirectionProfile lossless(DirectionProfile d) {
    return d.toBuilder().loss(NoLoss.INSTANCE).corrupt(0).build();
  }
}
