package io.kcpj.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a comparison's whole report into one folder: {@code index.html} (self-contained, summary
 * first) and {@code index.md} with the same content, {@code results.csv}, {@code results.json}, one
 * {@code .hlog} per profile × transport under {@code hlog/}, and the PNG charts. Returns the files
 * written, {@code index.html} first. See {@link RunDirectory} for the folder of each run.
 */
public final class ReportWriter {
  public static final String HTML = "index.html";
  public static final String INDEX = "index.md";
  public static final String CSV = "results.csv";
  public static final String JSON = "results.json";

  private ReportWriter() {}

  /** Writes every file of {@code model}'s report into {@code dir} (created if needed). */
  public static List<Path> write(Path dir, ReportModel model) throws IOException {
    Files.createDirectories(dir);
    Path csv = dir.resolve(CSV);
    CsvReport.write(csv, model.rows());
    Path json = dir.resolve(JSON);
    JsonReport.write(json, model);
    Path logs = dir.resolve("hlog");
    Files.createDirectories(logs);
    List<Path> hlogs = new ArrayList<>();
    for (RunResult r : model.results()) {
      Path f = logs.resolve(HistogramLogs.fileName(r));
      HistogramLogs.write(f, r);
      hlogs.add(f);
    }
    List<Path> charts = model.rows().isEmpty() ? List.of() : Charts.writeAll(dir, model);
    List<Verdict> verdicts = Verdict.of(model);
    Path html = HtmlReport.write(dir, model, verdicts, charts, hlogs);
    Path md = MarkdownReport.write(dir, model, verdicts, charts, hlogs);
    List<Path> written = new ArrayList<>();
    written.add(html);
    written.add(md);
    written.add(csv);
    written.add(json);
    written.addAll(charts);
    written.addAll(hlogs);
    return written;
  }

  /** Ordered run information, for callers building the report's facts. */
  public static Map<String, String> info() {
    return new LinkedHashMap<>();
  }
}
