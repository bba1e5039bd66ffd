package io.kcpj.bench.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto front of a sweep: the configurations no other configuration beats on both median p99
 * RTT and median wire overhead (lower is better for both), sorted by overhead. Only configurations
 * with a finite median p99 are candidates. Configurations with exactly the same outcome are
 * represented once, by the first in grid order. Stateless.
 */
public final class ParetoFront {
  private ParetoFront() {}

  public static List<SweepPoint> of(List<SweepPoint> points) {
    List<SweepPoint> front = new ArrayList<>();
    for (SweepPoint p : points) {
      if (!p.complete()) {
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
   * The recommended configuration: on the front, the lowest median p99 among the points whose
   * overhead is at most {@code overheadSlack} times the front's lowest overhead (e.g. 1.25: pay at
   * most 25 % more bandwidth than the leanest configuration for lower tail latency). Null if the
   * front is empty.
   */
  public static SweepPoint recommend(List<SweepPoint> front, double overheadSlack) {
    if (front.isEmpty()) {
      return null;
    }
    double budget = budget(front, overheadSlack);
    SweepPoint best = null;
    for (SweepPoint p : front) {
      if (p.overhead() <= budget && (best == null || p.p99Millis() < best.p99Millis())) {
        best = p;
      }
    }
    return best;
  }

  /** The overhead budget of {@link #recommend}: the front's lowest overhead times the slack. */
  public static double budget(List<SweepPoint> front, double overheadSlack) {
    return front.isEmpty() ? Double.NaN : front.get(0).overhead() * overheadSlack;
  }

  /**
   * The configurations the seeds cannot tell from {@code best}: within the overhead budget, with a
   * finite median p99, and a p99 range across seeds (lowest to highest seed) that overlaps {@code
   * best}'s. Sorted by median p99. When it is not empty the choice is within noise.
   */
  public static List<SweepPoint> withinNoise(
      List<SweepPoint> points, SweepPoint best, double budget) {
    List<SweepPoint> tied = new ArrayList<>();
    if (best == null) {
      return tied;
    }
    for (SweepPoint p : points) {
      if (p != best && p.complete() && p.overhead() <= budget && p.overlaps(best)) {
        tied.add(p);
      }
    }
    tied.sort(Comparator.comparingDouble(SweepPoint::p99Millis));
    return tied;
  }
}
