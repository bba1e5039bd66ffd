package io.kcpj.netty;

/**
 * The limits a codec enforces on its sessions as a whole, from its builder's codec options:
 * admission of unvalidated sessions (server only), the memory budget, and how often trouble is
 * summarised in the log. Immutable.
 */
final class CodecLimits {
  /** What a codec built without a builder's limits uses: no admission control, default budget. */
  static final CodecLimits CLIENT_DEFAULTS =
      new CodecLimits(
          false,
          KcpCodecBuilder.DEFAULT_UNVALIDATED_TIMEOUT_MILLIS,
          KcpCodecBuilder.DEFAULT_MAX_SESSIONS / 4,
          true,
          defaultMemoryBudget(),
          KcpCodecBuilder.DEFAULT_LOG_SUMMARY_INTERVAL.toMillis());

  /**
   * True on a server: new sessions start unvalidated (see {@link SessionAdmission}); a client's
   * sessions are validated from the start, since the client chose its peer.
   */
  final boolean admission;

  final long unvalidatedTimeoutMillis;
  final int maxUnvalidatedPerSource;
  final boolean antiAmplification;
  final long memoryBudgetBytes;
  final long logSummaryIntervalMillis;

  CodecLimits(
      boolean admission,
      long unvalidatedTimeoutMillis,
      int maxUnvalidatedPerSource,
      boolean antiAmplification,
      long memoryBudgetBytes,
      long logSummaryIntervalMillis) {
    this.admission = admission;
    this.unvalidatedTimeoutMillis = unvalidatedTimeoutMillis;
    this.maxUnvalidatedPerSource = maxUnvalidatedPerSource;
    this.antiAmplification = antiAmplification;
    this.memoryBudgetBytes = memoryBudgetBytes;
    this.logSummaryIntervalMillis = logSummaryIntervalMillis;
  }

  /** The default {@link KcpChannelOption#MEMORY_BUDGET}: a quarter of the JVM's maximum heap. */
  static long defaultMemoryBudget() {
    long max = Runtime.getRuntime().maxMemory();
    return max == Long.MAX_VALUE ? 1L << 30 : Math.max(1, max / 4);
  }
}
