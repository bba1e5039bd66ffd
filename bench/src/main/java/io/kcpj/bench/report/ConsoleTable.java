package io.kcpj.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The console (and Markdown) table: one block per profile, one row per transport. */
public final class ConsoleTable {
  private static final String[] HEAD = {
    "transport",
    "mean ms",
    "p50",
    "p90",
    "p99",
    "p99.9",
    "max",
    "lost",
    "wire/goodput",
    "retransmits"
  };

  private ConsoleTable() {}

  /** Results grouped by profile, keeping first-seen order. */
  public static Map<String, List<RunResult>> byProfile(List<RunResult> results) {
    Map<String, List<RunResult>> m = new LinkedHashMap<>();
    for (RunResult r : results) {
      m.computeIfAbsent(r.profile(), k -> new ArrayList<>()).add(r);
    }
    return m;
  }

  /** Plain-text table for a terminal. */
  public static String render(List<RunResult> results) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<RunResult>> e : byProfile(results).entrySet()) {
      sb.append("profile ").append(e.getKey());
      RunResult first = e.getValue().get(0);
      sb.append(" (").append(first.mode()).append(")\n");
      List<String[]> rows = rows(e.getValue());
      int[] width = new int[HEAD.length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          width[i] = Math.max(width[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        sb.append("  ");
        for (int i = 0; i < row.length; i++) {
          String cell = row[i];
          sb.append(i == 0 ? pad(cell, width[i], false) : pad(cell, width[i], true));
          sb.append(i == row.length - 1 ? "\n" : "  ");
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The same tables in Markdown. */
  public static String markdown(List<RunResult> results) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<RunResult>> e : byProfile(results).entrySet()) {
      sb.append("### ")
          .append(e.getKey())
          .append(" (")
          .append(e.getValue().get(0).mode())
          .append(")\n\n");
      List<String[]> rows = rows(e.getValue());
      for (int r = 0; r < rows.size(); r++) {
        sb.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
        if (r == 0) {
          sb.append("|").append("---|".repeat(HEAD.length)).append('\n');
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static List<String[]> rows(List<RunResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEAD);
    for (RunResult r : results) {
      rows.add(
          new String[] {
            r.transport(),
            ms(r.meanRttMillis()),
            ms(r.rttMillisAt(50)),
            ms(r.rttMillisAt(90)),
            ms(r.rttMillisAt(99)),
            ms(r.rttMillisAt(99.9)),
            ms(r.maxRttMillis()),
            Long.toString(r.messagesLost()),
            String.format(Locale.ROOT, "%.2f", r.overhead()),
            Long.toString(r.retransmits())
          });
    }
    return rows;
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String pad(String s, int w, boolean right) {
    String fill = " ".repeat(Math.max(0, w - s.length()));
    return right ? fill + s : s + fill;
  }
}
