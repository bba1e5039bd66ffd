package io.kcpj.bench.report;

import java.util.List;
import java.util.function.Function;

/**
 * The columns of the machine-readable reports (CSV and JSON), in order, each computed from a {@link
 * Row} — one definition, so the formats agree. The first eighteen are fixed (tools read them by
 * position): {@value #FIXED_HEADER}; more follow.
 *
 * <p>Latency columns are milliseconds over every message sent, an undelivered message counting as
 * +∞ ({@code inf}); {@code mean_ms} is over the delivered ones. {@code samples} counts every
 * message sent (delivered or not). {@code p99_ci_*} is the distribution-free 95 % interval of p99.
 * Excess columns are a row's figure minus its profile's {@code floor} row's (empty for the floor
 * itself and when there is no floor). {@code *_vs_tcp} are ratios to the profile's {@code tcp} row
 * with bootstrap 95 % intervals (empty without TCP).
 */
public final class ReportColumns {
  /** One column: its name and how to read it from a row. */
  public record Column(String name, Function<Row, Object> value) {}

  /** The fixed leading columns, exactly as the CSV header starts. */
  public static final String FIXED_HEADER =
      "profile,transport,config,samples,undelivered,mean_ms,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,"
          + "p99_ci_low_ms,p99_ci_high_ms,mean_excess_ms,p50_excess_ms,p99_excess_ms,"
          + "wire_per_goodput,retransmits";

  public static final List<Column> ALL =
      List.of(
          new Column("profile", Row::profile),
          new Column("transport", Row::transport),
          new Column("config", r -> r.result().config()),
          new Column("samples", r -> r.latency().count()),
          new Column("undelivered", r -> r.latency().undelivered()),
          new Column("mean_ms", r -> r.result().meanRttMillis()),
          new Column("p50_ms", r -> r.at(50)),
          new Column("p90_ms", r -> r.at(90)),
          new Column("p99_ms", r -> r.at(99)),
          new Column("p999_ms", r -> r.at(99.9)),
          new Column("max_ms", r -> r.result().maxRttMillis()),
          new Column("p99_ci_low_ms", r -> r.p99().low()),
          new Column("p99_ci_high_ms", r -> r.p99().high()),
          new Column("mean_excess_ms", Row::meanExcess),
          new Column("p50_excess_ms", Row::p50Excess),
          new Column("p99_excess_ms", Row::p99Excess),
          new Column("wire_per_goodput", r -> r.result().overhead()),
          new Column("retransmits", r -> r.result().retransmits()),
          // ---- more columns (free to extend) ----
          new Column("p99_excess_vs_tcp", r -> r.p99ExcessVsBaseline().estimate()),
          new Column("p99_excess_vs_tcp_ci_low", r -> r.p99ExcessVsBaseline().low()),
          new Column("p99_excess_vs_tcp_ci_high", r -> r.p99ExcessVsBaseline().high()),
          new Column("mean_excess_vs_tcp", r -> r.meanExcessVsBaseline().estimate()),
          new Column("mean_excess_vs_tcp_ci_low", r -> r.meanExcessVsBaseline().low()),
          new Column("mean_excess_vs_tcp_ci_high", r -> r.meanExcessVsBaseline().high()),
          new Column("wire_vs_tcp", Row::wireVsBaseline),
          new Column("mode", r -> r.result().mode()),
          new Column("delivery", r -> r.result().delivery()),
          new Column("sessions", r -> r.result().sessions()),
          new Column("messages_sent", r -> r.result().messagesSent()),
          new Column("messages_echoed", r -> r.result().messagesEchoed()),
          new Column("messages_superseded", r -> r.result().messagesSuperseded()),
          new Column("goodput_bytes", r -> r.result().goodputBytes()),
          new Column("wire_bytes", r -> r.result().wireBytes()),
          new Column("duration_ms", r -> r.result().durationMillis()),
          new Column("detail", r -> r.result().transportDetail()),
          new Column("note", r -> r.result().note()));

  private ReportColumns() {}

  /** A value as text: doubles with 3 decimals ({@code inf} for +∞, empty for NaN), else as is. */
  public static String format(Object v) {
    if (v instanceof Double) {
      return Figures.csv((Double) v);
    }
    return String.valueOf(v);
  }
}
