package io.kcpj.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The comparison's PNG charts (drawn by {@link Plot}):
 *
 * <ul>
 *   <li>per profile, every row's RTT by percentile on a "nines" axis (50 %, 90 %, 99 %, 99.9 % …
 *       equally spaced), the floor dashed grey;
 *   <li>across profiles, dot plots with 95 % interval whiskers: p99, p99 excess over the floor, and
 *       wire bytes per goodput byte.
 * </ul>
 *
 * <p>Every value axis is logarithmic when the values drawn on it span more than 10× (a 77 ms dot
 * next to 1,176 ms stays readable), with labels at 1, 2, 5 × 10ⁿ. An infinite value (a p99 past the
 * undelivered messages) is an up-triangle at the top edge; an unbounded interval reaches the edge.
 * On a log axis, values at or below zero sit on the bottom edge (the axis title says so).
 */
public final class Charts {
  private Charts() {}

  /** File name of a profile's percentile chart. */
  public static String percentileFileName(String profile) {
    return "rtt-percentiles__" + Names.slug(profile) + ".png";
  }

  public static final String OVERHEAD_FILE = "overhead.png";
  public static final String P99_FILE = "rtt-p99.png";
  public static final String P99_EXCESS_FILE = "p99-excess.png";

  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0x9467bd),
    new Color(0xff7f0e),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x17becf),
    new Color(0xbcbd22)
  };

  /**
   * The colour of a row label, fixed across charts: floor grey, tcp black, KCP in palette order.
   */
  static Color color(String label, List<String> labels) {
    if (label.equals(Row.FLOOR)) {
      return new Color(0x999999);
    }
    if (label.equals(Row.BASELINE)) {
      return Color.BLACK;
    }
    int i = 0;
    for (String l : labels) {
      if (l.equals(label)) {
        break;
      }
      if (!l.equals(Row.FLOOR) && !l.equals(Row.BASELINE)) {
        i++;
      }
    }
    return PALETTE[i % PALETTE.length];
  }

  /** Whether positive values spanning {@code [lowest, highest]} need a log axis (over 10×). */
  public static boolean needsLog(double lowest, double highest) {
    return lowest > 0 && highest / lowest > 10;
  }

  /** Writes the percentile chart of one profile's rows. */
  public static void writePercentileChart(Path dir, String profile, List<Row> rows, String mode)
      throws IOException {
    List<String> labels = labels(rows);
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    boolean nonPositive = false;
    double maxNines = 2;
    for (Row r : rows) {
      maxNines = Math.max(maxNines, nines(r.latency().count()));
      for (double p : percentiles(r.latency().count())) {
        double v = r.at(p);
        if (v > 0 && !Double.isInfinite(v)) {
          lowest = Math.min(lowest, v);
          highest = Math.max(highest, v);
        } else if (v <= 0) {
          nonPositive = true;
        }
      }
    }
    boolean logY = needsLog(lowest, highest);
    Plot plot =
        new Plot(
                "RTT by percentile — " + profile + " (" + mode + ")",
                "percentile (\"nines\": 90 %, 99 %, 99.9 % ... equally spaced)",
                "RTT (ms"
                    + (logY ? ", log scale" : "")
                    + (logY && nonPositive ? "; 0 at the bottom edge" : "")
                    + ")")
            .size(1000, 580)
            .logY(logY)
            .xRange(0, maxNines);
    List<Plot.Tick> xt = new ArrayList<>();
    xt.add(new Plot.Tick(0, "0 %"));
    xt.add(new Plot.Tick(Math.log10(2), "50 %"));
    for (int n = 1; n <= (int) Math.floor(maxNines + 1e-9); n++) {
      xt.add(new Plot.Tick(n, ninesLabel((double) n).replace("%", " %")));
    }
    plot.xTicks(xt);
    if (!logY) {
      plot.yRange(0.0, null);
    }
    for (Row r : rows) {
      if (r.latency().count() == 0) {
        continue;
      }
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      double lastFinite = -1;
      for (double p : percentiles(r.latency().count())) {
        double v = r.at(p);
        if (Double.isInfinite(v)) {
          break;
        }
        xs.add(-Math.log10(1.0 - p / 100.0));
        ys.add(v);
        lastFinite = p;
      }
      if (xs.isEmpty()) {
        continue;
      }
      String name = r.transport();
      if (r.latency().undelivered() > 0) {
        name +=
            String.format(
                Locale.ROOT,
                " (∞ past %s)",
                ninesLabel(-Math.log10(1.0 - lastFinite / 100.0)).replace("%", " %"));
      }
      plot.add(
          new Plot.Series(
              name,
              toArray(xs),
              toArray(ys),
              color(r.transport(), labels),
              true,
              r.isFloorRow(),
              Plot.Marker.NONE,
              true));
    }
    plot.write(dir.resolve(percentileFileName(profile)));
  }

  /** p99 per profile and row with its 95 % interval. */
  public static void writeP99Chart(Path dir, ReportModel model) throws IOException {
    writeDots(
        dir.resolve(P99_FILE),
        model,
        "RTT p99 with its 95 % interval, per profile",
        "p99 RTT (ms)",
        Row::p99);
  }

  /** p99 excess over the floor per profile and row (floor rows left out). */
  public static void writeP99ExcessChart(Path dir, ReportModel model) throws IOException {
    writeDots(
        dir.resolve(P99_EXCESS_FILE),
        model,
        "p99 excess over the floor (what the transport adds), with 95 % ranges",
        "p99 − floor p99 (ms)",
        r -> r.isFloorRow() ? null : r.p99ExcessRange());
  }

  /** Wire bytes per goodput byte per profile and row. */
  public static void writeOverheadChart(Path dir, ReportModel model) throws IOException {
    writeDots(
        dir.resolve(OVERHEAD_FILE),
        model,
        "Wire bytes per goodput byte (IP and transport headers included)",
        "wire / goodput",
        r -> new Interval(r.result().overhead(), Double.NaN, Double.NaN));
  }

  /**
   * A dot plot: profiles along x, one dot per row (offset so a profile's rows sit side by side),
   * whiskers for intervals, log y when the values span more than 10×, a linear axis from 0.
   *
   * @param metric a row's value and interval; null to leave the row out
   */
  static void writeDots(
      Path file, ReportModel model, String title, String yTitle, Function<Row, Interval> metric)
      throws IOException {
    List<String> profiles = new ArrayList<>(model.byProfile().keySet());
    List<String> labels = labels(model.rows());
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    boolean nonPositive = false;
    for (Row r : model.rows()) {
      Interval v = metric.apply(r);
      if (v == null) {
        continue;
      }
      for (double x : new double[] {v.estimate(), v.low(), v.high()}) {
        if (x > 0 && !Double.isInfinite(x)) {
          lowest = Math.min(lowest, x);
          highest = Math.max(highest, x);
        } else if (x <= 0 && !Double.isInfinite(x)) {
          nonPositive = true;
        }
      }
    }
    boolean logY = needsLog(lowest, highest);
    Plot plot =
        new Plot(
                title,
                "profile",
                yTitle
                    + (logY ? ", log scale" : "")
                    + (logY && nonPositive ? "; ≤ 0 at the bottom edge" : ""))
            .size(Math.max(1100, 400 + 130 * profiles.size()), 600)
            .logY(logY)
            .xRange(-0.5, profiles.size() - 0.5);
    if (!logY && !nonPositive) {
      plot.yRange(0.0, null); // a linear axis of positive values starts at 0
    }
    List<Plot.Tick> xt = new ArrayList<>();
    for (int i = 0; i < profiles.size(); i++) {
      xt.add(new Plot.Tick(i, profiles.get(i)));
    }
    plot.xTicks(xt);
    double step = Math.min(0.12, 0.8 / Math.max(1, labels.size()));
    for (int li = 0; li < labels.size(); li++) {
      String label = labels.get(li);
      double offset = (li - (labels.size() - 1) / 2.0) * step;
      Color c = color(label, labels);
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      List<Double> ix = new ArrayList<>();
      for (int pi = 0; pi < profiles.size(); pi++) {
        for (Row r : model.byProfile().get(profiles.get(pi))) {
          if (!r.transport().equals(label)) {
            continue;
          }
          Interval v = metric.apply(r);
          if (v == null || Double.isNaN(v.estimate())) {
            continue;
          }
          double x = pi + offset;
          if (Double.isInfinite(v.estimate())) {
            ix.add(x);
            continue;
          }
          xs.add(x);
          ys.add(v.estimate());
          if (!Double.isNaN(v.low()) && !Double.isNaN(v.high())) {
            plot.whisker(x, v.low(), v.high(), c);
          }
        }
      }
      if (!xs.isEmpty()) {
        plot.add(
            new Plot.Series(
                label, toArray(xs), toArray(ys), c, false, false, Plot.Marker.CIRCLE, true));
      }
      if (!ix.isEmpty()) {
        double[] inf = new double[ix.size()];
        java.util.Arrays.fill(inf, Double.POSITIVE_INFINITY);
        plot.add(
            new Plot.Series(
                label + ": ∞ (over 1 % undelivered)",
                toArray(ix),
                inf,
                c,
                false,
                false,
                Plot.Marker.TRIANGLE_UP,
                true));
      }
    }
    plot.write(file);
  }

  static double[] toArray(List<Double> l) {
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  private static List<String> labels(List<Row> rows) {
    List<String> labels = new ArrayList<>();
    for (Row r : rows) {
      if (!labels.contains(r.transport())) {
        labels.add(r.transport());
      }
    }
    return labels;
  }

  private static double nines(long count) {
    return Math.max(2, Math.min(5, Math.log10(Math.max(10, count))));
  }

  private static List<Double> percentiles(long count) {
    List<Double> ps = new ArrayList<>();
    double maxNines = nines(count);
    for (double x = 0; x <= maxNines + 1e-9; x += 0.02) {
      ps.add(Math.min(100.0, 100.0 * (1.0 - Math.pow(10, -x))));
    }
    return ps;
  }

  /** The percentile at {@code x} nines: 0 → 0 %, 1 → 90 %, 2 → 99 %, 3 → 99.9 %. */
  static String ninesLabel(Double x) {
    double p = 100.0 * (1.0 - Math.pow(10, -x));
    if (p < 0.05) {
      return "0%";
    }
    // as many decimals as the nines need: 68%, 96.8%, 99.44%, 99.968%
    int decimals = Math.max(0, (int) Math.floor(x + 1e-9) - 1 + (x % 1 > 0.01 ? 1 : 0));
    String s = String.format(Locale.ROOT, "%." + Math.min(decimals, 5) + "f", p);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s + "%";
  }

  /** All charts of a report, in the order the reports show them; returns their files. */
  public static List<Path> writeAll(Path dir, ReportModel model) throws IOException {
    List<Path> charts = new ArrayList<>();
    boolean anyFloor = false;
    for (Map.Entry<String, List<Row>> e : model.byProfile().entrySet()) {
      writePercentileChart(dir, e.getKey(), e.getValue(), e.getValue().get(0).result().mode());
      charts.add(dir.resolve(percentileFileName(e.getKey())));
      for (Row r : e.getValue()) {
        anyFloor |= r.floor() != null;
      }
    }
    writeP99Chart(dir, model);
    charts.add(dir.resolve(P99_FILE));
    if (anyFloor) {
      writeP99ExcessChart(dir, model);
      charts.add(dir.resolve(P99_EXCESS_FILE));
    }
    writeOverheadChart(dir, model);
    charts.add(dir.resolve(OVERHEAD_FILE));
    return charts;
  }
}
