package io.kcpj.bench.sweep;

import io.kcpj.bench.report.Charts;
import io.kcpj.bench.report.Figures;
import io.kcpj.bench.report.Plot;
import io.kcpj.bench.report.RunResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep's outcome and its folder: {@code sweep.csv} (every configuration, every seed), {@code
 * pareto.png} (every configuration: the front in colour, dominated ones grey, the recommendation
 * red, seed ranges as whiskers) and {@code index.md} (recommendation first, with whether it is
 * within noise and what each seed alone would have picked).
 */
public final class SweepReport {
  public static final String CSV = "sweep.csv";
  public static final String CHART = "pareto.png";
  public static final String INDEX = "index.md";

  /** The overhead slack of the recommendation rule. */
  public static final double SLACK = 1.25;

  /** The sweep's conclusions. */
  public record Outcome(
      List<SweepPoint> points,
      List<SweepPoint> front,
      SweepPoint recommended,
      double budget,
      List<SweepPoint> withinNoise,
      List<String> perSeedPicks) {

    /** Whether the seeds cannot separate the recommendation from another configuration. */
    public boolean isWithinNoise() {
      return !withinNoise.isEmpty();
    }
  }

  private SweepReport() {}

  /** The front, the recommendation, the configurations within noise and each seed's own pick. */
  public static Outcome analyse(List<SweepPoint> points, List<Long> seeds) {
    List<SweepPoint> front = ParetoFront.of(points);
    SweepPoint best = ParetoFront.recommend(front, SLACK);
    double budget = ParetoFront.budget(front, SLACK);
    List<SweepPoint> tied = ParetoFront.withinNoise(points, best, budget);
    List<String> picks = new ArrayList<>();
    for (int s = 0; s < seeds.size(); s++) {
      List<SweepPoint> one = new ArrayList<>();
      for (SweepPoint p : points) {
        one.add(new SweepPoint(p.config(), p.fec(), List.of(p.seeds().get(s))));
      }
      SweepPoint pick = ParetoFront.recommend(ParetoFront.of(one), SLACK);
      picks.add(
          "seed "
              + seeds.get(s)
              + ": "
              + (pick == null ? "none" : pick.label())
              + (pick != null
                      && best != null
                      && pick.config().equals(best.config())
                      && pick.fec().equals(best.fec())
                  ? " (the same)"
                  : ""));
    }
    return new Outcome(points, front, best, budget, tied, picks);
  }

  /** One line on the recommendation and its noise, for the console and the index. */
  public static String verdict(Outcome o, int seeds) {
    if (o.recommended() == null) {
      return "no configuration has a finite median p99 (every one left more than 1 % of its"
          + " messages undelivered on most seeds)";
    }
    SweepPoint r = o.recommended();
    String s =
        String.format(
            Locale.ROOT,
            "%s: median p99 %s ms over %d seeds (range %s–%s), median mean %s ms, wire/goodput %.3f",
            r.label(),
            Figures.ms(r.p99Millis()),
            seeds,
            Figures.ms(r.p99Low()),
            Figures.ms(r.p99High()),
            Figures.ms(r.meanMillis()),
            r.overhead());
    if (seeds < 2) {
      return s + ". One seed: no spread to judge noise by (use --seeds 3 or more).";
    }
    if (o.isWithinNoise()) {
      return s
          + String.format(
              Locale.ROOT,
              ". Within noise: %d other configuration%s within the overhead budget overlap its"
                  + " seed range (best of them %s, median p99 %s ms); the seeds do not separate"
                  + " them.",
              o.withinNoise().size(),
              o.withinNoise().size() == 1 ? "" : "s",
              o.withinNoise().get(0).label(),
              Figures.ms(o.withinNoise().get(0).p99Millis()));
    }
    return s
        + ". Clear of noise: no other configuration within the overhead budget overlaps its"
        + " seed range.";
  }

  public static List<Path> write(Path dir, Map<String, String> info, Outcome o, List<Long> seeds)
      throws IOException {
    Files.createDirectories(dir);
    Path csvFile = dir.resolve(CSV);
    Files.writeString(csvFile, csv(o, seeds), StandardCharsets.UTF_8);
    Path chartFile = dir.resolve(CHART);
    chart(info.getOrDefault("profile name", ""), o).write(chartFile);

    StringBuilder md = new StringBuilder("# kcpj sweep\n\n## Recommended\n\n");
    md.append(verdict(o, seeds.size())).append("\n\n");
    md.append("What each seed alone would have recommended:\n\n");
    for (String p : o.perSeedPicks()) {
      md.append("- ").append(p).append('\n');
    }
    md.append(
            "\nRule: on the Pareto front of median p99 against median wire overhead, the lowest"
                + " median p99 among configurations whose overhead is at most ")
        .append(SLACK)
        .append(
            " × the leanest front point's. Within noise: another configuration within that"
                + " budget whose p99 range across seeds overlaps the recommendation's.\n");
    if (o.isWithinNoise()) {
      md.append("\n### Within noise of the recommendation\n\n")
          .append("| configuration | median p99 ms | seed range ms | wire/goodput |\n")
          .append("|---|---:|---:|---:|\n");
      for (SweepPoint p : o.withinNoise()) {
        md.append(row(p));
      }
    }
    md.append("\n## The sweep\n\n");
    for (Map.Entry<String, String> e : info.entrySet()) {
      md.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
    }
    md.append("\n## Pareto front (")
        .append(o.front().size())
        .append(" of ")
        .append(o.points().size())
        .append(" configurations)\n\n")
        .append("| configuration | median p99 ms | seed range ms | wire/goodput |\n")
        .append("|---|---:|---:|---:|\n");
    for (SweepPoint p : o.front()) {
      md.append(row(p));
    }
    md.append("\n![")
        .append(CHART)
        .append("](")
        .append(CHART)
        .append(")\n\nAll configurations and seeds: [")
        .append(CSV)
        .append("](")
        .append(CSV)
        .append(")\n");
    Path index = dir.resolve(INDEX);
    Files.writeString(index, md, StandardCharsets.UTF_8);
    return List.of(index, csvFile, chartFile);
  }

  private static String row(SweepPoint p) {
    return "| `"
        + p.label()
        + "` | "
        + Figures.ms(p.p99Millis())
        + " | "
        + Figures.ms(p.p99Low())
        + "–"
        + Figures.ms(p.p99High())
        + " | "
        + Figures.text(p.overhead(), "%.3f")
        + " |\n";
  }

  static String csv(Outcome o, List<Long> seeds) {
    StringBuilder csv =
        new StringBuilder(
            "nodelay,interval,resend,nc,sndwnd,rcvwnd,fec,p99_median_ms,p99_low_ms,p99_high_ms,"
                + "mean_median_ms,wire_per_goodput_median,undelivered,pareto,within_noise,"
                + "recommended");
    for (long s : seeds) {
      csv.append(",p99_seed_").append(s).append("_ms");
    }
    for (long s : seeds) {
      csv.append(",wire_per_goodput_seed_").append(s);
    }
    csv.append('\n');
    for (SweepPoint p : o.points()) {
      csv.append(p.config().nodelay())
          .append(',')
          .append(p.config().interval())
          .append(',')
          .append(p.config().fastResend())
          .append(',')
          .append(p.config().noCongestionWindow())
          .append(',')
          .append(p.config().sendWindow())
          .append(',')
          .append(p.config().receiveWindow())
          .append(',')
          .append(p.fec())
          .append(',')
          .append(Figures.csv(p.p99Millis()))
          .append(',')
          .append(Figures.csv(p.p99Low()))
          .append(',')
          .append(Figures.csv(p.p99High()))
          .append(',')
          .append(Figures.csv(p.meanMillis()))
          .append(',')
          .append(Figures.csv(p.overhead()))
          .append(',')
          .append(p.undelivered())
          .append(',')
          .append(o.front().contains(p))
          .append(',')
          .append(o.withinNoise().contains(p))
          .append(',')
          .append(p == o.recommended());
      for (double v : p.p99PerSeed()) {
        csv.append(',').append(Figures.csv(v));
      }
      for (RunResult r : p.seeds()) {
        csv.append(',').append(Figures.csv(r.overhead()));
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  /**
   * The scatter of every configuration: median overhead along x, median p99 up y (log when the
   * values span more than 10×); the seed range as a whisker on front points and the recommendation.
   */
  static Plot chart(String profile, Outcome o) {
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    double xLow = Double.MAX_VALUE;
    double xHigh = 0;
    for (SweepPoint p : o.points()) {
      for (double v : new double[] {p.p99Millis(), p.p99Low(), p.p99High()}) {
        if (v > 0 && !Double.isInfinite(v)) {
          lowest = Math.min(lowest, v);
          highest = Math.max(highest, v);
        }
      }
      if (Double.isFinite(p.overhead())) {
        xLow = Math.min(xLow, p.overhead());
        xHigh = Math.max(xHigh, p.overhead());
      }
    }
    boolean logY = Charts.needsLog(lowest, highest);
    Plot plot =
        new Plot(
                "Median p99 RTT against wire overhead — " + profile,
                "wire bytes per goodput byte (median over seeds)",
                "p99 RTT, median over seeds (ms" + (logY ? ", log scale" : "") + ")")
            .size(1100, 640)
            .logY(logY);
    if (xLow < xHigh) {
      double pad = (xHigh - xLow) * 0.05;
      plot.xRange(xLow - pad, xHigh + pad);
    }
    Color grey = new Color(0xb0b0b0);
    Color front = new Color(0x1f77b4);
    Color noise = new Color(0xff7f0e);
    Color red = new Color(0xd62728);
    List<Double> dx = new ArrayList<>();
    List<Double> dy = new ArrayList<>();
    List<Double> nx = new ArrayList<>();
    List<Double> ny = new ArrayList<>();
    List<Double> ix = new ArrayList<>();
    for (SweepPoint p : o.points()) {
      if (!Double.isFinite(p.overhead())) {
        continue;
      }
      if (!p.complete()) {
        ix.add(p.overhead());
      } else if (o.withinNoise().contains(p)) {
        nx.add(p.overhead());
        ny.add(p.p99Millis());
      } else if (!o.front().contains(p) && p != o.recommended()) {
        dx.add(p.overhead());
        dy.add(p.p99Millis());
      }
    }
    plot.add(
        series(
            "dominated, or same outcome as a front point (" + dx.size() + ")",
            dx,
            dy,
            grey,
            false,
            Plot.Marker.CIRCLE));
    List<Double> fx = new ArrayList<>();
    List<Double> fy = new ArrayList<>();
    for (SweepPoint p : o.front()) {
      fx.add(p.overhead());
      fy.add(p.p99Millis());
      plot.whisker(p.overhead(), p.p99Low(), p.p99High(), front);
    }
    plot.add(series("Pareto front (" + fx.size() + ")", fx, fy, front, true, Plot.Marker.DIAMOND));
    if (!nx.isEmpty()) {
      plot.add(
          series("within noise (" + nx.size() + ")", nx, ny, noise, false, Plot.Marker.CIRCLE));
    }
    if (!ix.isEmpty()) {
      List<Double> iy = new ArrayList<>();
      for (int i = 0; i < ix.size(); i++) {
        iy.add(Double.POSITIVE_INFINITY);
      }
      plot.add(
          series(
              "p99 ∞: over 1 % undelivered (" + ix.size() + ")",
              ix,
              iy,
              grey,
              false,
              Plot.Marker.TRIANGLE_UP));
    }
    SweepPoint r = o.recommended();
    if (r != null) {
      plot.whisker(r.overhead(), r.p99Low(), r.p99High(), red);
      plot.add(
          series(
              "recommended",
              List.of(r.overhead()),
              List.of(r.p99Millis()),
              red,
              false,
              Plot.Marker.SQUARE));
    }
    return plot;
  }

  private static Plot.Series series(
      String name, List<Double> xs, List<Double> ys, Color c, boolean line, Plot.Marker m) {
    double[] x = new double[xs.size()];
    double[] y = new double[ys.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = xs.get(i);
      y[i] = ys.get(i);
    }
    return new Plot.Series(name, x, y, c, line, false, m, true);
  }
}
