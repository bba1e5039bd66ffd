package io.kcpj.bench.perf;

import io.kcpj.core.KcpCounters;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The numbers of one {@code kcpj perf client} run, as an ordered map of named values, printed as a
 * two-column table or as one JSON object. RTTs are in ms, from the scheduled send time; server CPU
 * is the server's own process CPU time between the two STATS requests, and its percentage (and a
 * bulk run's goodput) is taken over the server's own interval between the two replies when the
 * server reports its clock ({@code stats_clock: server}), else over the client's ({@code
 * stats_clock: client}). Against a peer that is not a kcpj perf server (no STATS replies) the
 * server's figures are left out: {@code server_stats} is false and {@code note} says why.
 */
public final class PerfResult {
  private final Map<String, Object> values = new LinkedHashMap<>();

  /** The note of a run without the server's figures. */
  static final String CLIENT_ONLY =
      "the peer sent no STATS reply (not a kcpj perf server): client-side figures only";

  private PerfResult() {}

  static PerfResult load(
      PerfClient.Settings s,
      Histogram rtt,
      long sent,
      long received,
      long skipped,
      int sessionsOpen,
      long windowNanos,
      long statsWallNanos,
      PerfProtocol.ServerStats before,
      PerfProtocol.ServerStats after,
      long clientCpuNanos,
      KcpCounters client) {
    return load(
        s,
        "kcp",
        "",
        rtt,
        new Histogram(1, 60_000_000L, 3),
        sent,
        received,
        skipped,
        sessionsOpen,
        windowNanos,
        statsWallNanos,
        before,
        after,
        clientCpuNanos,
        client);
  }

  static PerfResult load(
      PerfClient.Settings s,
      String protocol,
      String transport,
      Histogram rtt,
      Histogram sendLag,
      long sent,
      long received,
      long skipped,
      int sessionsOpen,
      long windowNanos,
      long statsWallNanos,
      PerfProtocol.ServerStats before,
      PerfProtocol.ServerStats after,
      long clientCpuNanos,
      KcpCounters client) {
    PerfResult r = new PerfResult();
    double seconds = windowNanos / 1e9;
    boolean stats = before != null && after != null;
    r.put("mode", "load");
    r.put("protocol", protocol);
    r.put("transport", transport);
    r.put("server_stats", stats);
    if (!stats) {
      r.put("note", CLIENT_ONLY);
    }
    r.put("sessions", s.sessions());
    r.put("sessions_open_at_end", sessionsOpen);
    r.put("rate_hz", s.rate());
    r.put("warmup_rate_hz", s.warmupRate());
    r.put("settle_s", s.settle().toNanos() / 1e9);
    r.put("size_bytes", s.size());
    r.put("duration_s", seconds);
    r.put("sent", sent);
    r.put("received", received);
    r.put("unanswered", sent - received);
    r.put("skipped_backpressure", skipped);
    r.put("messages_per_s", received / seconds);
    r.put("goodput_mbit_s", received * (double) s.size() * 8 / seconds / 1e6);
    r.put("rtt_p50_ms", rtt.getValueAtPercentile(50) / 1000.0);
    r.put("rtt_p90_ms", rtt.getValueAtPercentile(90) / 1000.0);
    r.put("rtt_p99_ms", rtt.getValueAtPercentile(99) / 1000.0);
    r.put("rtt_p999_ms", rtt.getValueAtPercentile(99.9) / 1000.0);
    r.put("rtt_max_ms", rtt.getMaxValue() / 1000.0);
    r.put("send_lag_p50_ms", sendLag.getValueAtPercentile(50) / 1000.0);
    r.put("send_lag_p99_ms", sendLag.getValueAtPercentile(99) / 1000.0);
    if (stats) {
      long statsNanos = after.nanosSince(before, statsWallNanos);
      double statsSeconds = statsNanos / 1e9;
      long serverCpu = after.cpuNanos() - before.cpuNanos();
      long echoed = after.echoed() - before.echoed();
      r.put("server_echoed", echoed);
      r.put("server_cpu_s", serverCpu / 1e9);
      r.put("server_cpu_pct", 100.0 * serverCpu / statsNanos);
      r.put("server_messages_per_cpu_s", serverCpu > 0 ? echoed / (serverCpu / 1e9) : 0);
      r.put(
          "server_retransmits",
          after.retransmits() < 0 ? -1 : after.retransmits() - before.retransmits());
      r.put("stats_interval_s", statsSeconds);
      r.put("stats_clock", clockName(before, after));
    }
    r.put("client_cpu_s", clientCpuNanos / 1e9);
    r.put("client_wire_bytes_out", client.bytesOut);
    r.put("client_wire_bytes_in", client.bytesIn);
    r.put("client_retransmits", client.retransmittedSegments);
    return r;
  }

  static PerfResult bulk(
      PerfClient.Settings s,
      long wallNanos,
      PerfProtocol.ServerStats before,
      PerfProtocol.ServerStats after,
      long clientCpuNanos,
      KcpCounters client) {
    return bulk(s, wallNanos, before, after, clientCpuNanos, client, 0);
  }

  /**
   * A bulk run; without the server's figures ({@code before} or {@code after} null) its goodput is
   * that of the {@code echoedBytes} a plain echo peer returned in the window.
   */
  static PerfResult bulk(
      PerfClient.Settings s,
      long wallNanos,
      PerfProtocol.ServerStats before,
      PerfProtocol.ServerStats after,
      long clientCpuNanos,
      KcpCounters client,
      long echoedBytes) {
    PerfResult r = new PerfResult();
    boolean stats = before != null && after != null;
    r.put("mode", "bulk");
    r.put("server_stats", stats);
    if (!stats) {
      r.put("note", CLIENT_ONLY + "; goodput from the echoed bytes");
    }
    long intervalNanos = stats ? after.nanosSince(before, wallNanos) : wallNanos;
    double seconds = intervalNanos / 1e9;
    long bytes = stats ? after.sinkBytes() - before.sinkBytes() : echoedBytes;
    r.put("size_bytes", s.size());
    r.put("duration_s", seconds);
    r.put("delivered_bytes", bytes);
    r.put("goodput_mbit_s", bytes * 8 / seconds / 1e6);
    if (stats) {
      long serverCpu = after.cpuNanos() - before.cpuNanos();
      r.put("server_cpu_s", serverCpu / 1e9);
      r.put("server_cpu_pct", 100.0 * serverCpu / intervalNanos);
      r.put("stats_clock", clockName(before, after));
      r.put(
          "server_retransmits",
          after.retransmits() < 0 ? -1 : after.retransmits() - before.retransmits());
    }
    r.put("client_cpu_s", clientCpuNanos / 1e9);
    r.put("client_wire_bytes_out", client.bytesOut);
    r.put("client_retransmits", client.retransmittedSegments);
    return r;
  }

  /**
   * This (KCP) run's values followed by the floor's, measured by the same client against the same
   * server in the same window with the raw UDP protocol: the floor's counts, RTT percentiles and
   * send lag under {@code floor_} names, then kcpj's excess over it ({@code excess_p50_ms}: the
   * difference of the medians; {@code p99_over_floor}: the ratio of the 99th percentiles). The
   * server's and the client's CPU figures are the run's, for both together.
   */
  public PerfResult withFloor(PerfResult floor) {
    PerfResult r = new PerfResult();
    r.values.putAll(values);
    for (String key :
        new String[] {
          "sent",
          "received",
          "unanswered",
          "rtt_p50_ms",
          "rtt_p90_ms",
          "rtt_p99_ms",
          "rtt_p999_ms",
          "rtt_max_ms",
          "send_lag_p50_ms",
          "send_lag_p99_ms"
        }) {
      r.put("floor_" + key, floor.values.get(key));
    }
    r.put("excess_p50_ms", number("rtt_p50_ms") - floor.number("rtt_p50_ms"));
    double floorP99 = floor.number("rtt_p99_ms");
    if (floorP99 > 0) {
      r.put("p99_over_floor", number("rtt_p99_ms") / floorP99);
    }
    return r;
  }

  /** Whose clock timed the interval between the two STATS replies. */
  private static String clockName(PerfProtocol.ServerStats before, PerfProtocol.ServerStats after) {
    return before.serverNanos() >= 0 && after.serverNanos() >= 0 ? "server" : "client";
  }

  private void put(String key, Object value) {
    values.put(key, value);
  }

  /** The named values, in report order. */
  public Map<String, Object> values() {
    return values;
  }

  public double number(String key) {
    return ((Number) values.get(key)).doubleValue();
  }

  /** A two-column console table. */
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      sb.append(String.format(Locale.ROOT, "%-28s %s%n", e.getKey(), format(e.getValue())));
    }
    return sb.toString();
  }

  /** One JSON object on one line. */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v instanceof Number || v instanceof Boolean) {
        sb.append(format(v));
      } else {
        sb.append('"').append(v).append('"');
      }
    }
    return sb.append('}').toString();
  }

  private static String format(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue());
    }
    return String.valueOf(v);
  }
}
