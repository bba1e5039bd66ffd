package io.kcpj.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The report in Markdown ({@code index.md}), in the same order and words as {@link HtmlReport}:
 * summary first, then how to read it, the run, profiles, transports, tables, charts and data.
 */
public final class MarkdownReport {
  private MarkdownReport() {}

  /** Writes {@code index.md} into {@code dir}. */
  public static Path write(
      Path dir, ReportModel model, List<Verdict> verdicts, List<Path> charts, List<Path> hlogs)
      throws IOException {
    StringBuilder md = new StringBuilder("# ").append(model.title()).append("\n\n");
    if (model.isPartial()) {
      md.append("> **").append(ReportText.PARTIAL).append("**\n\n");
    }
    md.append("## Summary: which transport to pick\n\n");
    for (Verdict v : verdicts) {
      md.append("- **").append(v.profile()).append("** → ").append(v.sentence()).append('\n');
      for (String d : v.details()) {
        md.append("  - ").append(d).append('\n');
      }
    }
    md.append("\nHow the pick is made: ").append(Verdict.RULE).append("\n\n");
    md.append("## How to read this report\n\n");
    for (String s : ReportText.howToRead(model)) {
      md.append("- ").append(s).append('\n');
    }
    md.append("\n## The run\n\n");
    for (Map.Entry<String, String> e : model.info().entrySet()) {
      md.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
    }
    md.append('\n');
    for (String n : model.notes()) {
      md.append("> ").append(n).append("\n\n");
    }
    if (!model.profiles().isEmpty()) {
      md.append(
              "## Profiles\n\n| profile | parameters (up = client→server) | floor path | source |\n")
          .append("|---|---|---|---|\n");
      for (ReportModel.ProfileInfo p : model.profiles()) {
        md.append("| ")
            .append(p.name())
            .append(" | `")
            .append(p.parameters())
            .append("` | `")
            .append(p.floorParameters())
            .append("` | ")
            .append(p.source().replace("|", "\\|"))
            .append(" |\n");
      }
      md.append('\n');
    }
    if (!model.transports().isEmpty()) {
      md.append("## Transports\n\n| row | settings | what it is |\n|---|---|---|\n");
      for (ReportModel.TransportInfo t : model.transports()) {
        md.append("| ")
            .append(t.label())
            .append(" | `")
            .append(t.settings())
            .append("` | ")
            .append(t.description().replace("|", "\\|"))
            .append(" |\n");
      }
      md.append('\n');
    }
    md.append("## Results per profile\n\n");
    for (Map.Entry<String, List<Row>> e : model.byProfile().entrySet()) {
      md.append("### ")
          .append(e.getKey())
          .append(" (")
          .append(e.getValue().get(0).result().mode())
          .append(")\n\n");
      ReportModel.ProfileInfo p = model.profile(e.getKey());
      if (p != null) {
        md.append('`').append(p.parameters()).append("` — ").append(p.source()).append("\n\n");
      }
      md.append(ConsoleTable.markdownTable(e.getValue())).append('\n');
      String chart = Charts.percentileFileName(e.getKey());
      if (charts.stream().anyMatch(c -> c.getFileName().toString().equals(chart))) {
        md.append("![").append(chart).append("](").append(chart).append(")\n\n");
      }
    }
    md.append("## Across profiles\n\n");
    for (Path c : charts) {
      String name = c.getFileName().toString();
      if (!name.startsWith("rtt-percentiles__")) {
        md.append("![").append(name).append("](").append(name).append(")\n\n");
      }
    }
    md.append("## Data\n\n- [")
        .append(ReportWriter.CSV)
        .append("](")
        .append(ReportWriter.CSV)
        .append(")\n- [")
        .append(ReportWriter.JSON)
        .append("](")
        .append(ReportWriter.JSON)
        .append(")\n- [")
        .append(ReportWriter.HTML)
        .append("](")
        .append(ReportWriter.HTML)
        .append(") (this report as a web page)\n");
    for (Path h : hlogs) {
      md.append("- [hlog/")
          .append(h.getFileName())
          .append("](hlog/")
          .append(h.getFileName())
          .append(")\n");
    }
    Path index = dir.resolve(ReportWriter.INDEX);
    Files.writeString(index, md, StandardCharsets.UTF_8);
    return index;
  }
}
