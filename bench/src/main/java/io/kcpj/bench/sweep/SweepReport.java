package io.kcpj.bench.sweep;

import io.kcpj.bench.report.ReportColumns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes a sweep's folder: {@code sweep.csv}, {@code pareto.png} and {@code index.md}. */
public final class SweepReport {
  public static final String CSV = "sweep.csv";
  public static final String CHART = "pareto.png";
  public static final String INDEX = "index.md";

  private SweepReport() {}

  public static List<Path> write(
      Path dir,
      Map<String, String> info,
      List<SweepPoint> points,
      List<SweepPoint> front,
      SweepPoint recommended)
      throws IOException {
    Files.createDirectories(dir);
    StringBuilder csv =
        new StringBuilder(
            "nodelay,interval,resend,nc,sndwnd,rcvwnd,rtt_mean_ms,"
                + "rtt_p50_ms,rtt_p99_ms,rtt_max_ms,overhead,messages_lost,retransmits,pareto\n");
    for (SweepPoint p : points) {
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
          .append(ReportColumns.format(p.result().meanRttMillis()))
          .append(',')
          .append(ReportColumns.format(p.result().rttMillisAt(50)))
          .append(',')
          .append(ReportColumns.format(p.result().rttMillisAt(99)))
          .append(',')
          .append(ReportColumns.format(p.result().maxRttMillis()))
          .append(',')
          .append(ReportColumns.format(p.result().overhead()))
          .append(',')
          .append(p.result().messagesLost())
          .append(',')
          .append(p.result().retransmits())
          .append(',')
          .append(front.contains(p))
          .append('\n');
    }
    Path csvFile = dir.resolve(CSV);
    Files.writeString(csvFile, csv, StandardCharsets.UTF_8);

    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(620)
            .title("p99 RTT against wire overhead — " + info.getOrDefault("profile name", ""))
            .xAxisTitle("wire bytes per goodput byte")
            .yAxisTitle("RTT p99 (ms)")
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisLogarithmic(true);
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (SweepPoint p : points) {
      if (p.complete() && !Double.isInfinite(p.p99Millis()) && p.p99Millis() > 0) {
        xs.add(p.overhead());
        ys.add(p.p99Millis());
      }
    }
    if (!xs.isEmpty()) {
      chart.addSeries("configurations", xs, ys);
    }
    List<Double> fx = new ArrayList<>();
    List<Double> fy = new ArrayList<>();
    for (SweepPoint p : front) {
      if (p.p99Millis() > 0) {
        fx.add(p.overhead());
        fy.add(p.p99Millis());
      }
    }
    if (!fx.isEmpty()) {
      XYSeries f = chart.addSeries("Pareto front", fx, fy);
      f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      f.setMarker(SeriesMarkers.DIAMOND);
    }
    if (recommended != null && recommended.p99Millis() > 0) {
      XYSeries r =
          chart.addSeries(
              "recommended", List.of(recommended.overhead()), List.of(recommended.p99Millis()));
      r.setMarker(SeriesMarkers.CIRCLE);
      r.setMarkerColor(java.awt.Color.RED);
    }
    Path chartFile = dir.resolve(CHART);
    BitmapEncoder.saveBitmap(chart, chartFile.toString(), BitmapEncoder.BitmapFormat.PNG);

    StringBuilder md = new StringBuilder("# kcpj sweep\n\n");
    for (Map.Entry<String, String> e : info.entrySet()) {
      md.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
    }
    md.append("\n## Recommended\n\n");
    if (recommended == null) {
      md.append("No configuration delivered every message.\n");
    } else {
      md.append('`')
          .append(recommended.label())
          .append("`: ")
          .append(summary(recommended))
          .append(
              "\n\nRule: on the Pareto front, the lowest p99 among configurations whose wire"
                  + " overhead is at most 1.25 × the leanest front point's.\n");
    }
    md.append("\n## Pareto front (")
        .append(front.size())
        .append(" of ")
        .append(points.size())
        .append(
            " configurations)\n\n| configuration | p99 ms | mean ms | wire/goodput |\n|---|---|---|---|\n");
    for (SweepPoint p : front) {
      md.append("| `")
          .append(p.label())
          .append("` | ")
          .append(
              String.format(
                  Locale.ROOT,
                  "%.1f | %.1f | %.3f",
                  p.p99Millis(),
                  p.result().meanRttMillis(),
                  p.overhead()))
          .append(" |\n");
    }
    md.append("\n![")
        .append(CHART)
        .append("](")
        .append(CHART)
        .append(")\n\nAll configurations: [")
        .append(CSV)
        .append("](")
        .append(CSV)
        .append(")\n");
    Path index = dir.resolve(INDEX);
    Files.writeString(index, md, StandardCharsets.UTF_8);
    return List.of(index, csvFile, chartFile);
  }

  static String summary(SweepPoint p) {
    return String.format(
        Locale.ROOT,
        "p99 %.1f ms, mean %.1f ms, wire/goodput %.3f, %d retransmits",
        p.p99Millis(),
        p.result().meanRttMillis(),
        p.overhead(),
        p.result().retransmits());
  }
}
