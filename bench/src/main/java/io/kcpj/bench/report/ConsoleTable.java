package io.kcpj.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console, Markdown and HTML tables: one block per profile, one row per transport, the same
 * cells in each. Latencies in ms over every message sent ({@code ∞}: the rank falls on an
 * undelivered message); a mean over delivered messages that misses some is shown as {@code ≥}.
 */
public final class ConsoleTable {
  /** Column headings, in order. */
  public static final List<String> HEAD =
      List.of(
          "transport",
          "samples",
          "undelivered",
          "mean",
          "p50",
          "p99 [95 % interval]",
          "p99.9",
          "max",
          "mean excess",
          "p50 excess",
          "p99 excess",
          "p99 excess vs tcp [95 %]",
          "wire/goodput",
          "retransmits");

  /** The columns of {@link #HEAD} a terminal shows (the reports show all). */
  static final List<Integer> TERMINAL = List.of(0, 1, 2, 3, 4, 5, 7, 8, 10, 11, 12);

  private ConsoleTable() {}

  /** Results grouped by profile, keeping first-seen order. */
  public static Map<String, List<RunResult>> byProfile(List<RunResult> results) {
    Map<String, List<RunResult>> m = new LinkedHashMap<>();
    for (RunResult r : results) {
      m.computeIfAbsent(r.profile(), k -> new ArrayList<>()).add(r);
    }
    return m;
  }

  /** The cells of one row, in {@link #HEAD} order. */
  public static List<String> cells(Row r) {
    RunResult x = r.result();
    Interval p99 = r.p99();
    Interval vs = r.p99ExcessVsBaseline();
    String mean = Figures.ms(x.meanRttMillis());
    if (x.messagesLost() > 0 && !mean.equals("-")) {
      mean = "≥" + mean;
    }
    String meanExcess = Figures.ms(r.meanExcess());
    if (x.messagesLost() > 0 && !meanExcess.equals("-")) {
      meanExcess = "≥" + meanExcess;
    }
    return List.of(
        r.transport(),
        Long.toString(r.latency().count()),
        Long.toString(r.latency().undelivered()),
        mean,
        Figures.ms(r.at(50)),
        Figures.ms(p99.estimate()) + " [" + p99.boundsText("%.1f") + "]",
        Figures.ms(r.at(99.9)),
        Figures.ms(x.maxRttMillis()),
        meanExcess,
        Figures.ms(r.p50Excess()),
        Figures.ms(r.p99Excess()),
        Double.isNaN(vs.estimate())
            ? "-"
            : Figures.ratio(vs.estimate()) + " [" + vs.boundsText("%.2f") + "]",
        Figures.text(x.overhead(), "%.2f"),
        Long.toString(x.retransmits()));
  }

  /** Plain-text tables for a terminal. */
  public static String render(ReportModel model) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<Row>> e : model.byProfile().entrySet()) {
      sb.append("profile ").append(e.getKey());
      sb.append(" (").append(e.getValue().get(0).result().mode()).append(", ms)\n");
      List<List<String>> rows = new ArrayList<>();
      rows.add(pick(HEAD));
      for (Row r : e.getValue()) {
        rows.add(pick(cells(r)));
      }
      int[] width = new int[TERMINAL.size()];
      for (List<String> row : rows) {
        for (int i = 0; i < row.size(); i++) {
          width[i] = Math.max(width[i], row.get(i).length());
        }
      }
      for (List<String> row : rows) {
        sb.append("  ");
        for (int i = 0; i < row.size(); i++) {
          sb.append(pad(row.get(i), width[i], i > 0));
          sb.append(i == row.size() - 1 ? "\n" : "  ");
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static List<String> pick(List<String> all) {
    List<String> l = new ArrayList<>();
    for (int i : TERMINAL) {
      l.add(all.get(i));
    }
    return l;
  }

  /** The same tables in Markdown, each under a heading of its profile. */
  public static String markdown(ReportModel model) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<Row>> e : model.byProfile().entrySet()) {
      sb.append("### ")
          .append(e.getKey())
          .append(" (")
          .append(e.getValue().get(0).result().mode())
          .append(")\n\n");
      sb.append(markdownTable(e.getValue()));
      sb.append('\n');
    }
    return sb.toString();
  }

  /** One profile's table in Markdown. */
  public static String markdownTable(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", HEAD)).append(" |\n");
    sb.append("|---|").append("---:|".repeat(HEAD.size() - 1)).append('\n');
    for (Row r : rows) {
      sb.append("| ").append(String.join(" | ", cells(r))).append(" |\n");
    }
    return sb.toString();
  }

  private static String pad(String s, int w, boolean right) {
    String fill = " ".repeat(Math.max(0, w - s.length()));
    return right ? fill + s : s + fill;
  }
}
