package io.kcpj.bench.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto front of a sweep: the configurations no other configuration beats on both p99 RTT and
 * wire overhead (lower is better for both), sorted by overhead. Only complete runs (every message
 * delivered) are candidates. Configurations with exactly the same outcome are represented once, by
 * the first in grid order.
 */
public final class ParetoFront {
  private ParetoFront() {}

  public static List<SweepPoint> of(List<SweepPoint> points) {
    List<SweepPoint> front = new ArrayList<>();
    for (SweepPoint p : points) {
      if (!p.complete() || Double.isInfinite(p.p99Millis())) {
        continue;
      }
      boolean dominated = false;
      for (SweepPoint q : points) {
        if (q != p && q.complete() && q.dominates(p)) {
          dominated = true;
          break;
        }
      }
      boolean sameAsKept = false;
      for (SweepPoint f : front) {
        if (f.p99Millis() == p.p99Millis() && f.overhead() == p.overhead()) {
          sameAsKept = true; // an equivalent configuration (same outcome) is already on the front
          break;
        }
      }
      if (!dominated && !sameAsKept) {
        front.add(p);
      }
    }
    front.sort(
        Comparator.comparingDouble(SweepPoint::overhead)
            .thenComparingDouble(SweepPoint::p99Millis));
    return front;
  }

  /**
   * The recommended configuration: on the front, the lowest p99 among the points whose overhead is
   * at most {@code overheadSlack} times the front's lowest overhead (e.g. 1.25: pay at most 25 %
   * more bandwidth than the leanest configuration for lower tail latency). Null if the front is
   * empty.
   */
  public static SweepPoint recommend(List<SweepPoint> front, double overheadSlack) {
    if (front.isEmpty()) {
      return null;
    }
    double leanest = front.get(0).overhead();
    SweepPoint best = null;
    for (SweepPoint p : front) {
      if (p.overhead() <= leanest * overheadSlack
          && (best == null || p.p99Millis() < best.p99Millis())) {
        best = p;
      }
    }
    return best;
  }
}
