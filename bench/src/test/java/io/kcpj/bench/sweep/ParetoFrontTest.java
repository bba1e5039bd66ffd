package io.kcpj.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
  private static SweepPoint point(int nodelay, long p99Micros, long wire, long lost) {
    Histogram h = new Histogram(3);
    h.recordValueWithCount(p99Micros, 100); // every sample the same: p99 = that value
    RunResult r =
        RunResult.builder()
            .profile("p")
            .transport("t")
            .rttMicros(h)
            .messagesSent(100)
            .messagesEchoed(100 - lost)
            .goodputBytes(1000)
            .wireBytes(wire)
            .build();
    return new SweepPoint(KcpConfig.builder().noDelay(nodelay).build(), r);
  }

  @Test
  void frontKeepsOnlyUndominatedCompleteOutcomesOnce() {
    SweepPoint lean = point(0, 900_000, 1500, 0);
    SweepPoint fast = point(1, 100_000, 2000, 0);
    SweepPoint middle = point(2, 300_000, 1700, 0);
    SweepPoint dominated = point(0, 950_000, 1600, 0);
    SweepPoint sameAsMiddle = point(1, 300_000, 1700, 0);
    SweepPoint incomplete = point(2, 10_000, 1000, 3);
    List<SweepPoint> front =
        ParetoFront.of(List.of(lean, fast, middle, dominated, sameAsMiddle, incomplete));
    assertEquals(List.of(lean, middle, fast), front);
    // 1.25 x leanest overhead (1.5) = 1.875: fast (2.0) is too expensive, middle wins
    assertEquals(middle, ParetoFront.recommend(front, 1.25));
    assertEquals(fast, ParetoFront.recommend(front, 2.0));
    assertNull(ParetoFront.recommend(List.of(), 1.25));
  }

  @Test
  void aSweepIsDeterministicAndItsFrontIsUndominated() throws Exception {
    List<KcpConfig> grid =
        Sweep.grid(
            List.of(0, 1), List.of(10, 40), List.of(0, 2), List.of(false, true), List.of(32), 1400);
    assertEquals(16, grid.size());
    Workload w = Workload.game(20, 100, 15_000);
    List<SweepPoint> a = new Sweep(Profile.named("poor"), w, 3, grid).run(2, n -> {});
    List<SweepPoint> b = new Sweep(Profile.named("poor"), w, 3, grid).run(1, n -> {});
    List<Double> pa = new ArrayList<>();
    List<Double> pb = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      pa.add(a.get(i).p99Millis());
      pb.add(b.get(i).p99Millis());
      assertEquals(a.get(i).overhead(), b.get(i).overhead());
    }
    assertEquals(pa, pb, "same seed, same results, whatever the thread count");
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
