package io.kcpj.netem.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.Distribution;
import io.kcpj.netem.delay.JitterMode;
import io.kcpj.netem.delay.Reorder;
import io.kcpj.netem.log.Fate;
import io.kcpj.netem.log.FateRecord;
import io.kcpj.netem.loss.BernoulliLoss;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.rate.QueueLimit;
import io.kcpj.netem.rate.RateLimit;
import io.kcpj.netem.time.TimeUnits;
import io.kcpj.netem.timeline.Scope;
import io.kcpj.netem.timeline.Timeline;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the chain over generated profiles and traffic (fixed jqwik seed, so runs are
 * reproducible).
 */
class LinkPropertiesTest {
  private static final long MS = TimeUnits.NANOS_PER_MILLI;

  /** One offered packet: the gap since the previous one (µs) and its size. */
  record Send(int gapMicros, int size) {}

  @Provide
  Arbitrary<List<Send>> traffic() {
    Arbitrary<Send> send =
        Combinators.combine(
                Arbitraries.integers().between(0, 20_000), Arbitraries.integers().between(0, 1500))
            .as(Send::new);
    return send.list().ofMinSize(1).ofMaxSize(300);
  }

  @Provide
  Arbitrary<DirectionProfile> profiles() {
    Arbitrary<DelayModel> delay =
        Combinators.combine(
                Arbitraries.longs().between(0, 200).map(ms -> ms * MS),
                Arbitraries.longs().between(0, 100).map(ms -> ms * MS),
                Arbitraries.of(
                    Distribution.UNIFORM,
                    Distribution.NORMAL,
                    Distribution.PARETO,
                    Distribution.PARETO_NORMAL))
            .as(DelayModel::of);
    Arbitrary<RateLimit> rate =
        Arbitraries.longs()
            .between(100_000, 20_000_000)
            .map(RateLimit::bitsPerSecond)
            .injectNull(0.4);
    Arbitrary<Reorder> reorder =
        Combinators.combine(
                Arbitraries.doubles().between(0.01, 1.0), Arbitraries.integers().between(1, 6))
            .as(Reorder::of)
            .injectNull(0.6);
    Arbitrary<Double> probability = Arbitraries.doubles().between(0, 0.3);
    Arbitrary<QueueLimit> queue =
        Arbitraries.integers().between(1, 50).map(QueueLimit::packets).injectNull(0.5);
    return Combinators.combine(
            delay,
            rate,
            reorder,
            probability,
            probability,
            probability,
            queue,
            Arbitraries.of(JitterMode.values()))
        .as(
            (d, r, ro, loss, dup, corrupt, q, mode) ->
                DirectionProfile.builder()
                    .delay(d)
                    .rate(r)
                    .reorder(d.meanNanos() > 0 ? ro : null) // reorder needs a delay
                    .loss(BernoulliLoss.of(loss))
                    .duplicate(dup)
                    .corrupt(corrupt)
                    .queue(q == null ? QueueLimit.UNLIMITED : q)
                    .jitterMode(mode)
                    .build());
  }

  private record Key(long number, boolean copy) {}

  @Property(tries = 300, seed = "20240611")
  void noPacketIsDeliveredBeforeItsSendTimePlusItsDelay(
      @ForAll("profiles") DirectionProfile profile,
      @ForAll("traffic") List<Send> traffic,
      @ForAll @LongRange(min = 0, max = 1000) long seed) {
    Map<Key, long[]> decided = new HashMap<>();
    Harness h =
        new Harness(
            Profile.builder().up(profile).build(),
            seed,
            (FateRecord r) -> {
              if (r.fate() == Fate.DELIVERED) {
                decided.put(
                    new Key(r.sequence(), r.copy()),
                    new long[] {r.timeNanos(), r.delayNanos(), r.deliverNanos()});
              }
            });
    long t = 0;
    for (Send s : traffic) {
      t += s.gapMicros() * 1000L;
      h.offerAt(t, s.size());
    }
    h.drain();
    assertEquals(decided.size(), h.delivered.size());
    for (Harness.Delivery d : h.delivered) {
      long[] r = decided.get(new Key(d.probe().number(), d.probe().copy()));
      assertEquals(d.probe().sentAt(), r[0]);
      assertTrue(d.at() >= r[0] + r[1], "delivered before send time + delay");
      assertEquals(r[2], d.at(), "delivered at another time than decided");
    }
  }

  @Property(tries = 300, seed = "20240612")
  void fifoModeNeverReorders(
      @ForAll("profiles") DirectionProfile generated,
      @ForAll("traffic") List<Send> traffic,
      @ForAll @LongRange(min = 0, max = 1000) long seed,
      @ForAll @IntRange(min = 0, max = 3000) int stepAtMs,
      @ForAll @IntRange(min = 0, max = 400) int stepDelayMs) {
    DirectionProfile profile =
        generated.toBuilder().jitterMode(JitterMode.FIFO).reorder(null).build();
    Timeline steps =
        Timeline.builder()
            .delay(Scope.UP, stepAtMs * MS, 500 * MS, DelayModel.constant(stepDelayMs * MS))
            .build();
    Harness h = new Harness(profile, steps, seed);
    long t = 0;
    for (Send s : traffic) {
      t += s.gapMicros() * 1000L;
      h.offerAt(t, s.size());
    }
    h.drain();
    long last = -1;
    for (Harness.Delivery d : h.delivered) {
      assertTrue(d.probe().number() >= last, "reordered in FIFO mode");
      last = d.probe().number();
    }
    assertEquals(0, h.up.stats().deliveredOutOfOrder());
  }

  @Property(tries = 300, seed = "20240613")
  void aBlackoutDropsExactlyThePacketsSentDuringIt(
      @ForAll("traffic") List<Send> traffic,
      @ForAll @LongRange(min = 0, max = 3_000_000) long startMicros,
      @ForAll @LongRange(min = 1, max = 2_000_000) long durationMicros,
      @ForAll @LongRange(min = 0, max = 1000) long seed) {
    long start = startMicros * 1000;
    long end = start + durationMicros * 1000;
    Timeline blackout = Timeline.builder().blackout(Scope.UP, start, end - start).build();
    DirectionProfile profile =
        DirectionProfile.builder().delay(DelayModel.uniform(50 * MS, 30 * MS)).build();
    Harness h = new Harness(profile, blackout, seed);
    long t = 0;
    int during = 0;
    for (Send s : traffic) {
      t += s.gapMicros() * 1000L;
      Fate f = h.offerAt(t, s.size());
      boolean inBlackout = t >= start && t < end;
      during += inBlackout ? 1 : 0;
      assertEquals(inBlackout ? Fate.BLACKOUT : Fate.DELIVERED, f, "at " + t);
    }
    h.drain();
    assertEquals(during, h.up.stats().droppedBlackout());
    assertEquals(traffic.size() - during, h.delivered.size());
  }
}
