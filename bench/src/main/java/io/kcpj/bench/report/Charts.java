package io.kcpj.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts drawn with XChart (headless): per profile, the RTT percentile curve of every transport
 * on a "nines" axis (50 %, 90 %, 99 %, 99.9 % …, as HdrHistogram plots), and across profiles, wire
 * overhead per transport.
 */
public final class Charts {
  private Charts() {}

  /** File name of a profile's percentile chart. */
  public static String percentileFileName(String profile) {
    return "rtt-percentiles__" + Names.slug(profile) + ".png";
  }

  public static final String OVERHEAD_FILE = "overhead.png";
  public static final String P99_FILE = "rtt-p99.png";

  /** Writes the percentile chart of one profile's results. */
  public static void writePercentileChart(Path dir, String profile, List<RunResult> results)
      throws IOException {
    headless();
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(560)
            .title("RTT by percentile — " + profile + " (" + results.get(0).mode() + ")")
            .xAxisTitle("percentile (\"nines\": 90%, 99%, 99.9% ... equally spaced)")
            .yAxisTitle("RTT (ms)")
            .build();
    Styler st = chart.getStyler();
    st.setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setxAxisTickLabelsFormattingFunction(Charts::ninesLabel);
    st.setChartBackgroundColor(java.awt.Color.WHITE);
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    for (RunResult r : results) {
      if (r.rttMicros().getTotalCount() > 0) {
        lowest = Math.min(lowest, Math.max(0.1, r.rttMicros().getValueAtPercentile(50) / 1000.0));
        highest = Math.max(highest, r.maxRttMillis());
      }
    }
    // Transports an order of magnitude apart would flatten the better ones: use a log scale.
    boolean logY = highest / lowest > 20;
    chart.getStyler().setYAxisLogarithmic(logY);
    if (logY) {
      chart.setYAxisTitle("RTT (ms, log scale)");
      chart.getStyler().setYAxisDecimalPattern("#,##0.#");
    }
    for (RunResult r : results) {
      Histogram h = r.rttMicros();
      if (h.getTotalCount() == 0) {
        continue;
      }
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (double p : percentiles(h.getTotalCount())) {
        xs.add(-Math.log10(1.0 - p / 100.0));
        ys.add(Math.max(logY ? 0.1 : 0, h.getValueAtPercentile(p) / 1000.0));
      }
      XYSeries s = chart.addSeries(r.transport(), xs, ys);
      s.setMarker(SeriesMarkers.NONE);
    }
    BitmapEncoder.saveBitmap(
        chart, dir.resolve(percentileFileName(profile)).toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Bars of wire bytes per goodput byte, per profile and transport. */
  public static void writeOverheadChart(Path dir, Map<String, List<RunResult>> byProfile)
      throws IOException {
    writeBars(
        dir.resolve(OVERHEAD_FILE),
        byProfile,
        "Wire bytes per goodput byte",
        "wire / goodput",
        RunResult::overhead);
  }

  /** Bars of the 99th-percentile RTT, per profile and transport. */
  public static void writeP99Chart(Path dir, Map<String, List<RunResult>> byProfile)
      throws IOException {
    writeBars(dir.resolve(P99_FILE), byProfile, "RTT p99 (ms)", "ms", r -> r.rttMillisAt(99));
  }

  private static void writeBars(
      Path file,
      Map<String, List<RunResult>> byProfile,
      String title,
      String yTitle,
      java.util.function.ToDoubleFunction<RunResult> metric)
      throws IOException {
    headless();
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1000)
            .height(560)
            .title(title)
            .xAxisTitle("profile")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    List<String> profiles = new ArrayList<>(byProfile.keySet());
    List<String> transports = new ArrayList<>();
    for (List<RunResult> rs : byProfile.values()) {
      for (RunResult r : rs) {
        if (!transports.contains(r.transport())) {
          transports.add(r.transport());
        }
      }
    }
    for (String t : transports) {
      List<Double> ys = new ArrayList<>();
      for (String p : profiles) {
        double v = 0;
        for (RunResult r : byProfile.get(p)) {
          if (r.transport().equals(t)) {
            double m = metric.applyAsDouble(r);
            v = Double.isNaN(m) ? 0 : m;
          }
        }
        ys.add(v);
      }
      chart.addSeries(t, profiles, ys);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static List<Double> percentiles(long count) {
    List<Double> ps = new ArrayList<>();
    double maxNines = Math.max(2, Math.min(5, Math.log10(Math.max(10, count))));
    for (double x = 0; x <= maxNines + 1e-9; x += 0.05) {
      ps.add(100.0 * (1.0 - Math.pow(10, -x)));
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
    int decimals = Math.max(0, (int) Math.floor(x) - 1 + (x % 1 > 0.01 ? 1 : 0));
    String s = String.format(Locale.ROOT, "%." + Math.min(decimals, 5) + "f", p);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s + "%";
  }

  private static void headless() {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }
}
