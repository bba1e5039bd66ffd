package io.kcpj.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a report as a JSON document: run information, notes, and one object per profile ×
 * transport with the columns of {@link ReportColumns}. An infinite latency (undelivered messages)
 * is the string {@code "inf"}; a figure that does not apply is {@code null}.
 */
public final class JsonReport {
  private JsonReport() {}

  public static void write(Path file, ReportModel model) throws IOException {
    Map<String, String> runInfo = model.info();
    List<Row> results = model.rows();
    StringBuilder sb = new StringBuilder("{\n  \"run\": {");
    int n = 0;
    for (Map.Entry<String, String> e : runInfo.entrySet()) {
      sb.append(n++ == 0 ? "\n" : ",\n")
          .append("    ")
          .append(string(e.getKey()))
          .append(": ")
          .append(string(e.getValue()));
    }
    sb.append("\n  },\n  \"partial\": ").append(model.isPartial());
    sb.append(",\n  \"notes\": [");
    for (int i = 0; i < model.notes().size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(string(model.notes().get(i)));
    }
    sb.append("],\n  \"results\": [");
    for (int i = 0; i < results.size(); i++) {
      Row r = results.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("    {");
      for (int c = 0; c < ReportColumns.ALL.size(); c++) {
        ReportColumns.Column col = ReportColumns.ALL.get(c);
        sb.append(c == 0 ? "" : ", ")
            .append(string(col.name()))
            .append(": ")
            .append(value(col.value().apply(r)));
      }
      sb.append('}');
    }
    sb.append("\n  ]\n}\n");
    Files.writeString(file, sb, StandardCharsets.UTF_8);
  }

  private static String value(Object v) {
    if (v instanceof Double) {
      double d = (Double) v;
      if (Double.isInfinite(d)) {
        return d > 0 ? "\"inf\"" : "\"-inf\"";
      }
      return Double.isNaN(d) ? "null" : ReportColumns.format(d);
    }
    if (v instanceof Number) {
      return v.toString();
    }
    return string(String.valueOf(v));
  }

  static String string(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"').toString();
  }
}
