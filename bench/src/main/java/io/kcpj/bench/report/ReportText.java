package io.kcpj.bench.report;

import java.util.List;

/**
 * The fixed explanatory text of a comparison report, shared by its Markdown and HTML forms so that
 * both say the same thing.
 */
final class ReportText {
  private ReportText() {}

  static final String PARTIAL =
      "This report is partial: the run was interrupted, and only the rows finished before that"
          + " are in it.";

  /** The "how to read" points, in order. */
  static List<String> howToRead(ReportModel model) {
    return List.of(
        "RTT is measured per message from its scheduled send time to the arrival of its echo,"
            + " so a stalled transport is charged for every message it delayed (no coordinated"
            + " omission). Latencies are in milliseconds.",
        "The floor row is a raw UDP echo (one datagram each way, no retransmission, no ordering)"
            + " over the same path with its loss, corruption and blackouts removed; delay,"
            + " jitter, rate and queue are kept. It is the round trip the path itself allows."
            + " Excess = a row's figure minus the floor's at the same statistic (mean, p50, p99):"
            + " the latency the transport adds.",
        "Each transport runs as several concurrent sessions, each on its own link with the"
            + " profile's parameters and a seed derived from (seed, profile text, transport,"
            + " session); a row merges its sessions. Samples = messages sent.",
        "A message not echoed by the end of the drain counts as +∞ in the percentiles: a p99"
            + " with more than 1 % undelivered is ∞. The mean is over delivered messages (shown"
            + " as ≥ when some are missing).",
        "p99 [interval]: the distribution-free 95 % confidence interval of p99, two order"
            + " statistics chosen with the binomial distribution (valid for any RTT"
            + " distribution). Ratios to TCP: 95 % percentile-bootstrap intervals ("
            + RatioBootstrap.REPLICATES
            + " replicates; each row resampled on its own, percentiles drawn exactly as order"
            + " statistics, means from their normal approximation). A ratio interval reaching ∞"
            + " means TCP's excess could be zero or the row's p99 infinite.",
        "wire/goodput: bytes on the wire in both directions (IP and transport headers"
            + " included; counted at the bridge for real runs, datagram + 28 bytes in virtual"
            + " time) per application byte delivered.");
  }
}
