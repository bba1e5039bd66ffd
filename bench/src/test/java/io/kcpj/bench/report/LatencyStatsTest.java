package io.kcpj.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Percentiles over every message (undelivered as +∞), the distribution-free p99 interval and the
 * bootstrap ratio interval: exact cases, and coverage measured over many seeded samples.
 */
class LatencyStatsTest {
  /** n exponential RTTs with mean {@code scaleMicros}, recorded with 3 significant digits. */
  static Histogram exponential(SplittableRandom r, int n, double scaleMicros) {
    Histogram h = new Histogram(3_600_000_000L, 3);
    for (int i = 0; i < n; i++) {
      h.recordValue(Math.round(-Math.log(1 - r.nextDouble()) * scaleMicros));
    }
    return h;
  }

  @Test
  void ranksAreExactAndMatchHdrHistogramWhenEverythingIsDelivered() {
    assertEquals(5940, Latency.rank(99, 6000));
    assertEquals(5994, Latency.rank(99.9, 6000));
    assertEquals(1, Latency.rank(0, 6000));
    assertEquals(6000, Latency.rank(100, 6000));
    assertEquals(1, Latency.rank(50, 1));
    SplittableRandom r = new SplittableRandom(42);
    Histogram h = exponential(r, 6_000, 100_000);
    Latency l = new Latency(h, 0);
    for (double p : new double[] {1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100}) {
      assertEquals(h.getValueAtPercentile(p), l.percentileMicros(p), 0.0, "p" + p);
    }
    assertEquals(h.getMaxValue(), l.maxMillis() * 1000, 0.0);
  }

  @Test
  void undeliveredMessagesMoveP99ToInfinityPastOnePercent() {
    Histogram h = new Histogram(3);
    h.recordValueWithCount(100_000, 990); // 990 messages at 100 ms
    Latency onePercent = new Latency(h, 10); // 1000 sent, 10 undelivered: exactly 1 %
    assertEquals(100.0, onePercent.percentileMillis(99), 0.1, "rank 990 is still delivered");
    assertTrue(Double.isInfinite(onePercent.percentileMillis(99.1)));
    assertTrue(Double.isInfinite(onePercent.maxMillis()));
    Latency past = new Latency(h, 11); // 1001 sent, 11 undelivered: 1.1 %
    assertTrue(Double.isInfinite(past.percentileMillis(99)), "rank 991 is undelivered");
    assertEquals(100.0, past.percentileMillis(50), 0.1);
    assertEquals(100.0, past.meanMillis(), 0.1, "the mean is over delivered messages");
    assertThrows(IllegalArgumentException.class, () -> past.valueAtRank(1002));
  }

  @Test
  void theOrderStatisticIntervalHasItsWorkedExampleRanks() {
    long[] r = OrderStatisticInterval.ranks(6000, 99, 0.95);
    assertTrue(r[0] >= 5923 && r[0] <= 5927, "lower rank " + r[0]);
    assertTrue(r[1] >= 5953 && r[1] <= 5957, "upper rank " + r[1]);
    long[] small = OrderStatisticInterval.ranks(100, 99, 0.95);
    assertEquals(101, small[1], "100 samples cannot bound p99 from above");
    Histogram h = new Histogram(3);
    h.recordValueWithCount(50_000, 5950);
    Interval withLoss = OrderStatisticInterval.of(new Latency(h, 50), 99, 0.95);
    assertEquals(50.0, withLoss.estimate(), 0.1, "0.83 % undelivered: p99 still delivered");
    assertTrue(Double.isInfinite(withLoss.high()), "but its upper bound falls on undelivered");
  }

  @Test
  void theP99IntervalCoversTheTrueP99AboutNinetyFivePercentOfTheTime() {
    // Exponential RTTs with mean 100 ms: the true p99 is 100 ms × ln(100) = 460.5 ms.
    double truth = 100.0 * Math.log(100);
    SplittableRandom r = new SplittableRandom(7);
    int trials = 600;
    int covered = 0;
    for (int t = 0; t < trials; t++) {
      Interval i =
          OrderStatisticInterval.of(new Latency(exponential(r, 6_000, 100_000), 0), 99, 0.95);
      if (i.low() <= truth && truth <= i.high()) {
        covered++;
      }
    }
    double coverage = covered / (double) trials;
    // 600 trials: a true 95 % coverage lands in [0.93, 0.97] with probability > 0.99.
    assertTrue(coverage >= 0.93 && coverage <= 0.975, "coverage " + coverage);
  }

  @Test
  void theBootstrapRatioIntervalCoversTheTrueRatio() {
    // a: exponential mean 100 ms, b: mean 250 ms; floor: constant 20 ms added to both.
    // True p99 excess ratio = (100 ln 100) / (250 ln 100) = 0.4; true mean excess ratio 0.4.
    SplittableRandom r = new SplittableRandom(11);
    int trials = 300;
    int coveredP99 = 0;
    int coveredMean = 0;
    double widthSum = 0;
    Histogram floorH = new Histogram(3);
    floorH.recordValueWithCount(20_000, 6_000);
    Latency floor = new Latency(floorH, 0);
    for (int t = 0; t < trials; t++) {
      Latency a = new Latency(shifted(exponential(r, 6_000, 100_000), 20_000), 0);
      Latency b = new Latency(shifted(exponential(r, 6_000, 250_000), 20_000), 0);
      RatioBootstrap boot = new RatioBootstrap(t, 1000, 0.95);
      Interval p99 = boot.percentileExcessRatio(a, b, floor, 99);
      Interval mean = boot.meanExcessRatio(a, b, floor);
      if (p99.low() <= 0.4 && 0.4 <= p99.high()) {
        coveredP99++;
      }
      if (mean.low() <= 0.4 && 0.4 <= mean.high()) {
        coveredMean++;
      }
      widthSum += p99.width();
    }
    double c99 = coveredP99 / (double) trials;
    double cMean = coveredMean / (double) trials;
    assertTrue(c99 >= 0.90 && c99 <= 0.99, "p99 ratio coverage " + c99);
    assertTrue(cMean >= 0.90 && cMean <= 0.99, "mean ratio coverage " + cMean);
    assertTrue(widthSum / trials < 0.2, "a useful interval, width " + widthSum / trials);
  }

  @Test
  void aRatioWithAnInfiniteNumeratorOrNoBaselineExcessIsUnbounded() {
    Histogram h = new Histogram(3);
    h.recordValueWithCount(100_000, 1000);
    Latency fine = new Latency(h, 0);
    Latency lossy = new Latency(h, 100); // 9 % undelivered
    RatioBootstrap boot = new RatioBootstrap(1);
    Interval inf = boot.percentileExcessRatio(lossy, fine, null, 99);
    assertTrue(Double.isInfinite(inf.estimate()) && Double.isInfinite(inf.low()));
    Interval noExcess = boot.percentileExcessRatio(fine, fine, fine, 99);
    assertTrue(Double.isInfinite(noExcess.high()), "TCP adds nothing over the floor: unbounded");
  }

  private static Histogram shifted(Histogram h, long micros) {
    Histogram s = new Histogram(3_600_000_000L, 3);
    for (org.HdrHistogram.HistogramIterationValue v : h.recordedValues()) {
      s.recordValueWithCount(v.getValueIteratedTo() + micros, v.getCountAtValueIteratedTo());
    }
    return s;
  }
}
