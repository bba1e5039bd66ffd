package io.kcpj.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's whole report into one folder: {@code index.md} linking everything, {@code
 * results.csv}, {@code results.json}, one {@code .hlog} per profile × transport, and the PNG
 * charts. Returns the files written, index first.
 */
public final class ReportWriter {
  public static final String INDEX = "index.md";
  public static final String CSV = "results.csv";
  public static final String JSON = "results.json";

  private ReportWriter() {}

  /**
   * @param title the page title (e.g. "kcpj compare")
   * @param runInfo key/value facts about the run (command line, seed, kernel TCP congestion
   *     control, machine), shown at the top of the index and in the JSON
   * @param notes free-text paragraphs for the index (e.g. why TCP was skipped)
   */
  public static List<Path> write(
      Path dir,
      String title,
      Map<String, String> runInfo,
      List<String> notes,
      List<RunResult> results)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Path csv = dir.resolve(CSV);
    CsvReport.write(csv, results);
    Path json = dir.resolve(JSON);
    JsonReport.write(json, runInfo, results);
    Path logs = dir.resolve("hlog");
    Files.createDirectories(logs);
    List<Path> hlogs = new ArrayList<>();
    for (RunResult r : results) {
      Path f = logs.resolve(HistogramLogs.fileName(r));
      HistogramLogs.write(f, r);
      hlogs.add(f);
    }
    Map<String, List<RunResult>> byProfile = ConsoleTable.byProfile(results);
    List<Path> charts = new ArrayList<>();
    for (Map.Entry<String, List<RunResult>> e : byProfile.entrySet()) {
      Charts.writePercentileChart(dir, e.getKey(), e.getValue());
      charts.add(dir.resolve(Charts.percentileFileName(e.getKey())));
    }
    Charts.writeOverheadChart(dir, byProfile);
    charts.add(dir.resolve(Charts.OVERHEAD_FILE));
    Charts.writeP99Chart(dir, byProfile);
    charts.add(dir.resolve(Charts.P99_FILE));

    StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
    for (Map.Entry<String, String> e : runInfo.entrySet()) {
      md.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
    }
    md.append('\n');
    for (String n : notes) {
      md.append("> ").append(n).append("\n\n");
    }
    md.append(
        "RTT is measured per message from its *scheduled* send time to the arrival of its"
            + " echo (no coordinated omission). Latency columns in ms; `wire/goodput` = bytes on the"
            + " wire (both directions) per application byte delivered.\n\n");
    md.append(ConsoleTable.markdown(results));
    md.append("## Charts\n\n");
    for (Path c : charts) {
      String name = c.getFileName().toString();
      md.append("![").append(name).append("](").append(name).append(")\n\n");
    }
    md.append("## Data\n\n- [results.csv](")
        .append(CSV)
        .append(")\n- [results.json](")
        .append(JSON)
        .append(")\n");
    for (Path h : hlogs) {
      md.append("- [hlog/")
          .append(h.getFileName())
          .append("](hlog/")
          .append(h.getFileName())
          .append(")\n");
    }
    Path index = dir.resolve(INDEX);
    Files.writeString(index, md, StandardCharsets.UTF_8);
    written.add(index);
    written.add(csv);
    written.add(json);
    written.addAll(charts);
    written.addAll(hlogs);
    return written;
  }

  /** Ordered run information, for callers building {@code runInfo}. */
  public static Map<String, String> info() {
    return new LinkedHashMap<>();
  }
}
