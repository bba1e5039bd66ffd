package io.kcpj.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The columns every tabular report (console, CSV, JSON) shows, in order, each computed from a
 * {@link RunResult} — one definition, so the formats agree.
 */
public final class ReportColumns {
  /** One column: its name and how to read it from a result. */
  public record Column(String name, Function<RunResult, Object> value) {}

  public static final List<Column> ALL =
      List.of(
          new Column("profile", RunResult::profile),
          new Column("transport", RunResult::transport),
          new Column("mode", RunResult::mode),
          new Column("messages_sent", RunResult::messagesSent),
          new Column("messages_echoed", RunResult::messagesEchoed),
          new Column("messages_lost", RunResult::messagesLost),
          new Column("rtt_mean_ms", RunResult::meanRttMillis),
          new Column("rtt_p50_ms", r -> r.rttMillisAt(50)),
          new Column("rtt_p90_ms", r -> r.rttMillisAt(90)),
          new Column("rtt_p99_ms", r -> r.rttMillisAt(99)),
          new Column("rtt_p999_ms", r -> r.rttMillisAt(99.9)),
          new Column("rtt_max_ms", RunResult::maxRttMillis),
          new Column("goodput_bytes", RunResult::goodputBytes),
          new Column("wire_bytes", RunResult::wireBytes),
          new Column("overhead", RunResult::overhead),
          new Column("retransmits", RunResult::retransmits),
          new Column("duration_ms", RunResult::durationMillis),
          new Column("detail", RunResult::transportDetail),
          new Column("note", RunResult::note));

  private ReportColumns() {}

  /** A value as text: doubles with 3 decimals (NaN as empty), everything else as is. */
  public static String format(Object v) {
    if (v instanceof Double) {
      double d = (Double) v;
      return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.3f", d);
    }
    return String.valueOf(v);
  }
}
