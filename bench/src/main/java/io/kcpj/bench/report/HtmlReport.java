package io.kcpj.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The report as one self-contained HTML page ({@code index.html}): inline style, no scripts, no
 * external resources; the charts are the PNG files beside it, linked by relative name. It starts
 * with the plain-language summary (per profile, the transport to pick and why), then how to read
 * it, the run, the profiles' parameters and sources, the transports' settings, each profile's table
 * and chart, the cross-profile charts and the data files.
 */
public final class HtmlReport {
  private HtmlReport() {}

  private static final String STYLE =
      "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1200px;"
          + "margin:2em auto;padding:0 1em;color:#222;line-height:1.45}"
          + "table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}"
          + "th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}"
          + "th{background:#f3f3f3}td.n{text-align:right;white-space:nowrap}"
          + "code{background:#f5f5f5;padding:0 .2em;overflow-wrap:anywhere}img{max-width:100%;height:auto;"
          + "border:1px solid #ddd;margin:.4em 0}.partial{background:#fff3cd;border:1px solid"
          + " #e0c36b;padding:.6em 1em}.summary li{margin:.4em 0}.details{color:#555;"
          + "font-size:.9em}.rule{color:#555;font-size:.9em}";

  /** Writes {@code index.html} into {@code dir}; {@code charts} are file names in {@code dir}. */
  public static Path write(
      Path dir, ReportModel model, List<Verdict> verdicts, List<Path> charts, List<Path> hlogs)
      throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(esc(model.title()))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n");
    h.append("<h1>").append(esc(model.title())).append("</h1>\n");
    if (model.isPartial()) {
      h.append("<p class=\"partial\">").append(esc(ReportText.PARTIAL)).append("</p>\n");
    }
    h.append(
        "<section id=\"summary\"><h2>Summary: which transport to pick</h2>\n<ul class=\"summary\">\n");
    for (Verdict v : verdicts) {
      h.append("<li><b>").append(esc(v.profile())).append("</b> → ").append(esc(v.sentence()));
      if (!v.details().isEmpty()) {
        h.append("<div class=\"details\">");
        for (String d : v.details()) {
          h.append(esc(d)).append("<br>");
        }
        h.append("</div>");
      }
      h.append("</li>\n");
    }
    h.append("</ul>\n<p class=\"rule\">How the pick is made: ")
        .append(esc(Verdict.RULE))
        .append("</p></section>\n");

    h.append("<h2>How to read this report</h2>\n<ul>\n");
    for (String s : ReportText.howToRead(model)) {
      h.append("<li>").append(esc(s)).append("</li>\n");
    }
    h.append("</ul>\n");

    h.append("<h2>The run</h2>\n<table>\n");
    for (Map.Entry<String, String> e : model.info().entrySet()) {
      h.append("<tr><th>")
          .append(esc(e.getKey()))
          .append("</th><td>")
          .append(esc(e.getValue()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    for (String n : model.notes()) {
      h.append("<p><b>Note:</b> ").append(esc(n)).append("</p>\n");
    }

    if (!model.profiles().isEmpty()) {
      h.append("<h2>Profiles</h2>\n<table><tr><th>profile</th><th>parameters (compact form;")
          .append(" up = client→server)</th><th>floor path</th><th>source</th></tr>\n");
      for (ReportModel.ProfileInfo p : model.profiles()) {
        h.append("<tr><td>")
            .append(esc(p.name()))
            .append("</td><td><code>")
            .append(esc(p.parameters()))
            .append("</code></td><td><code>")
            .append(esc(p.floorParameters()))
            .append("</code></td><td>")
            .append(esc(p.source()))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    if (!model.transports().isEmpty()) {
      h.append("<h2>Transports</h2>\n<table><tr><th>row</th><th>settings</th>")
          .append("<th>what it is</th></tr>\n");
      for (ReportModel.TransportInfo t : model.transports()) {
        h.append("<tr><td>")
            .append(esc(t.label()))
            .append("</td><td><code>")
            .append(esc(t.settings()))
            .append("</code></td><td>")
            .append(esc(t.description()))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }

    h.append("<h2>Results per profile</h2>\n");
    for (Map.Entry<String, List<Row>> e : model.byProfile().entrySet()) {
      String profile = e.getKey();
      h.append("<h3 id=\"p-")
          .append(esc(Names.slug(profile)))
          .append("\">")
          .append(esc(profile))
          .append(" (")
          .append(esc(e.getValue().get(0).result().mode()))
          .append(")</h3>\n");
      ReportModel.ProfileInfo p = model.profile(profile);
      if (p != null) {
        h.append("<p><code>").append(esc(p.parameters())).append("</code> — ");
        h.append(esc(p.source())).append("</p>\n");
      }
      h.append("<table><tr>");
      for (int i = 0; i < ConsoleTable.HEAD.size(); i++) {
        h.append("<th>").append(esc(ConsoleTable.HEAD.get(i))).append("</th>");
      }
      h.append("</tr>\n");
      for (Row r : e.getValue()) {
        h.append("<tr>");
        List<String> cells = ConsoleTable.cells(r);
        for (int i = 0; i < cells.size(); i++) {
          h.append(i == 0 ? "<td>" : "<td class=\"n\">").append(esc(cells.get(i))).append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("</table>\n");
      String chart = Charts.percentileFileName(profile);
      if (charts.stream().anyMatch(c -> c.getFileName().toString().equals(chart))) {
        img(h, chart, "RTT by percentile on " + profile);
      }
    }

    h.append("<h2>Across profiles</h2>\n");
    for (Path c : charts) {
      String name = c.getFileName().toString();
      if (!name.startsWith("rtt-percentiles__")) {
        img(h, name, name);
      }
    }
    h.append("<h2>Data</h2>\n<ul>\n<li><a href=\"")
        .append(ReportWriter.CSV)
        .append("\">")
        .append(ReportWriter.CSV)
        .append("</a> (one line per row; the first columns are <code>")
        .append(esc(ReportColumns.FIXED_HEADER))
        .append("</code>)</li>\n<li><a href=\"")
        .append(ReportWriter.JSON)
        .append("\">")
        .append(ReportWriter.JSON)
        .append("</a></li>\n<li><a href=\"")
        .append(ReportWriter.INDEX)
        .append("\">")
        .append(ReportWriter.INDEX)
        .append("</a> (this report in Markdown)</li>\n");
    for (Path f : hlogs) {
      String rel = "hlog/" + f.getFileName();
      h.append("<li><a href=\"")
          .append(esc(rel))
          .append("\">")
          .append(esc(rel))
          .append("</a></li>\n");
    }
    h.append("</ul>\n</body></html>\n");
    Path file = dir.resolve(ReportWriter.HTML);
    Files.writeString(file, h, StandardCharsets.UTF_8);
    return file;
  }

  private static void img(StringBuilder h, String file, String alt) {
    h.append("<p><img src=\"")
        .append(esc(file))
        .append("\" alt=\"")
        .append(esc(alt))
        .append("\"></p>\n");
  }

  /** HTML-escapes text for element content and double-quoted attributes. */
  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&':
          sb.append("&amp;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '"':
          sb.append("&quot;");
          break;
        default:
          sb.append(c);
      }
    }
    return sb.toString();
  }
}
