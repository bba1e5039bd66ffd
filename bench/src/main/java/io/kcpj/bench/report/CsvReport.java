package io.kcpj.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a report's rows as CSV (RFC 4180 quoting), one row per profile × transport, with the
 * columns of {@link ReportColumns} in order.
 */
public final class CsvReport {
  private CsvReport() {}

  public static void write(Path file, List<Row> rows) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ReportColumns.ALL.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(ReportColumns.ALL.get(i).name());
    }
    sb.append('\n');
    for (Row r : rows) {
      for (int i = 0; i < ReportColumns.ALL.size(); i++) {
        sb.append(i == 0 ? "" : ",");
        sb.append(quote(ReportColumns.format(ReportColumns.ALL.get(i).value().apply(r))));
      }
      sb.append('\n');
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8);
  }

  static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
