package io.kcpj.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.RunResult;
import io.kcpj.core.KcpConfig;
import io.kcpj.netem.profile.Profile;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {
  private static RunResult result(long p99Micros, long wire, long lost) {
    Histogram h = new Histogram(3);
    h.recordValueWithCount(p99Micros, 100 - lost); // every sample the same: p99 = that value
    return RunResult.builder()
        .profile("p")
        .transport("t")
        .rttMicros(h)
        .messagesSent(100)
        .messagesEchoed(100 - lost)
        .goodputBytes(1000)
        .wireBytes(wire)
        .build();
  }

  private static SweepPoint point(int nodelay, long p99Micros, long wire, long lost) {
    return new SweepPoint(
        KcpConfig.builder().noDelay(nodelay).build(), result(p99Micros, wire, lost));
  }

  /** A point over three seeds with the given p99s (µs), all at the same overhead. */
  private static SweepPoint seeds(int interval, long wire, long... p99Micros) {
    List<RunResult> rs = new ArrayList<>();
    for (long v : p99Micros) {
      rs.add(result(v, wire, 0));
    }
    return new SweepPoint(KcpConfig.builder().noDelay(1, interval, 0, true).build(), rs);
  }

  @Test
  void frontKeepsOnlyUndominatedCompleteOutcomesOnce() {
    SweepPoint lean = point(0, 900_000, 1500, 0);
    SweepPoint fast = point(1, 100_000, 2000, 0);
    SweepPoint middle = point(2, 300_000, 1700, 0);
    SweepPoint dominated = point(0, 950_000, 1600, 0);
    SweepPoint sameAsMiddle = point(1, 300_000, 1700, 0);
    SweepPoint incomplete = point(2, 10_000, 1000, 3); // 3 % undelivered: p99 is infinite
    assertTrue(Double.isInfinite(incomplete.p99Millis()));
    List<SweepPoint> front =
        ParetoFront.of(List.of(lean, fast, middle, dominated, sameAsMiddle, incomplete));
    assertEquals(List.of(lean, middle, fast), front);
    // 1.25 x leanest overhead (1.5) = 1.875: fast (2.0) is too expensive, middle wins
    assertEquals(middle, ParetoFront.recommend(front, 1.25));
    assertEquals(fast, ParetoFront.recommend(front, 2.0));
    assertNull(ParetoFront.recommend(List.of(), 1.25));
  }

  @Test
  void theMedianAcrossSeedsRanksAndOverlappingRangesAreWithinNoise() {
    SweepPoint steady = seeds(10, 1500, 400_000, 410_000, 420_000); // median 410
    SweepPoint lucky = seeds(20, 1500, 100_000, 900_000, 950_000); // best seed 100, median 900
    SweepPoint close = seeds(30, 1500, 405_000, 415_000, 500_000); // median 415, overlaps steady
    SweepPoint apart = seeds(40, 1500, 600_000, 610_000, 620_000); // clear of steady
    List<SweepPoint> all = List.of(steady, lucky, close, apart);
    assertEquals(410.0, steady.p99Millis(), 0.5);
    assertEquals(400.0, steady.p99Low(), 0.5);
    assertEquals(420.0, steady.p99High(), 0.5);
    List<SweepPoint> front = ParetoFront.of(all);
    SweepPoint best = ParetoFront.recommend(front, 1.25);
    assertEquals(steady, best, "the median, not one lucky seed, decides");
    List<SweepPoint> tied = ParetoFront.withinNoise(all, best, ParetoFront.budget(front, 1.25));
    assertTrue(tied.contains(close), "overlapping seed ranges are within noise");
    assertTrue(tied.contains(lucky), "its range 100-950 overlaps too");
    assertFalse(tied.contains(apart), "600-620 is clear of 400-420");
    SweepReport.Outcome o = SweepReport.analyse(all, List.of(1L, 2L, 3L));
    assertTrue(o.isWithinNoise());
    assertTrue(SweepReport.verdict(o, 3).contains("Within noise"), SweepReport.verdict(o, 3));
    assertTrue(o.perSeedPicks().get(0).contains("interval=20"), "seed 1 alone picks the lucky one");
    SweepReport.Outcome clear = SweepReport.analyse(List.of(steady, apart), List.of(1L, 2L, 3L));
    assertFalse(clear.isWithinNoise());
    assertTrue(SweepReport.verdict(clear, 3).contains("Clear of noise"));
  }

  @Test
  void aSweepIsDeterministicAndItsFrontIsUndominated() throws Exception {
    List<KcpConfig> grid =
        Sweep.grid(
            List.of(0, 1), List.of(10, 40), List.of(0, 2), List.of(false, true), List.of(32), 1400);
    assertEquals(16, grid.size());
    Workload w = Workload.game(20, 100, 15_000);
    List<Long> seeds = List.of(3L, 4L, 5L);
    List<SweepPoint> a = new Sweep(Profile.named("poor"), w, seeds, 2, grid).run(2, n -> {});
    List<SweepPoint> b = new Sweep(Profile.named("poor"), w, seeds, 2, grid).run(1, n -> {});
    List<Double> pa = new ArrayList<>();
    List<Double> pb = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      assertEquals(3, a.get(i).seeds().size());
      assertEquals(2, a.get(i).result().sessions());
      pa.add(a.get(i).p99Millis());
      pb.add(b.get(i).p99Millis());
      assertEquals(a.get(i).overhead(), b.get(i).overhead());
    }
    assertEquals(pa, pb, "same seeds, same results, whatever the thread count");
    List<SweepPoint> front = ParetoFront.of(a);
    assertTrue(!front.isEmpty());
    for (SweepPoint f : front) {
      for (SweepPoint p : a) {
        assertTrue(
            !(p.complete() && p.dominates(f)), p.label() + " dominates front point " + f.label());
      }
    }
  }
}
