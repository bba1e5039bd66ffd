package io.kcpj.bench.report;

import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * What one transport did on one network profile: the RTT histogram (microseconds, measured from
 * each message's scheduled send time) and the traffic counts the comparison reports.
 *
 * <p>Every latency figure in every report is read from {@link #rttMicros()} (never kept on the
 * side), so the CSV, JSON, charts and HdrHistogram logs cannot disagree. Immutable once built; the
 * histogram is owned by this result and must not be recorded into afterwards.
 */
public final class RunResult {
  private final String profile;
  private final String transport;
  private final String transportDetail;
  private final String mode;
  private final Histogram rttMicros;
  private final long messagesSent;
  private final long messagesEchoed;
  private final long goodputBytes;
  private final long wireBytes;
  private final long retransmits;
  private final long durationMillis;
  private final String note;

  private RunResult(Builder b) {
    this.profile = Objects.requireNonNull(b.profile, "profile");
    this.transport = Objects.requireNonNull(b.transport, "transport");
    this.transportDetail = b.transportDetail == null ? "" : b.transportDetail;
    this.mode = Objects.requireNonNull(b.mode, "mode");
    this.rttMicros = Objects.requireNonNull(b.rttMicros, "rttMicros");
    this.messagesSent = b.messagesSent;
    this.messagesEchoed = b.messagesEchoed;
    this.goodputBytes = b.goodputBytes;
    this.wireBytes = b.wireBytes;
    this.retransmits = b.retransmits;
    this.durationMillis = b.durationMillis;
    this.note = b.note == null ? "" : b.note;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Network profile name (e.g. {@code 3g-lossy}). */
  public String profile() {
    return profile;
  }

  /** Transport name as shown in reports (e.g. {@code kcp-fast}, {@code tcp}). */
  public String transport() {
    return transport;
  }

  /** Settings of the transport (KCP config, or the kernel's TCP congestion control). */
  public String transportDetail() {
    return transportDetail;
  }

  /**
   * {@code virtual} (netem-sim virtual time) or {@code bridge} (real sockets over the TUN bridge).
   */
  public String mode() {
    return mode;
  }

  public Histogram rttMicros() {
    return rttMicros;
  }

  public long messagesSent() {
    return messagesSent;
  }

  public long messagesEchoed() {
    return messagesEchoed;
  }

  /** Messages sent whose echo never came back before the run ended. */
  public long messagesLost() {
    return Math.max(0, messagesSent - messagesEchoed);
  }

  /** Application payload bytes delivered, both directions. */
  public long goodputBytes() {
    return goodputBytes;
  }

  /** Bytes on the wire, both directions, IP and transport headers included where measurable. */
  public long wireBytes() {
    return wireBytes;
  }

  /** Wire bytes per goodput byte (0 when nothing was delivered). */
  public double overhead() {
    return goodputBytes == 0 ? 0 : (double) wireBytes / goodputBytes;
  }

  public long retransmits() {
    return retransmits;
  }

  public long durationMillis() {
    return durationMillis;
  }

  public String note() {
    return note;
  }

  /** The RTT at {@code percentile} (0..100) in milliseconds, from the histogram. */
  public double rttMillisAt(double percentile) {
    return rttMicros.getTotalCount() == 0
        ? Double.NaN
        : rttMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  public double meanRttMillis() {
    return rttMicros.getTotalCount() == 0 ? Double.NaN : rttMicros.getMean() / 1000.0;
  }

  public double maxRttMillis() {
    return rttMicros.getTotalCount() == 0 ? Double.NaN : rttMicros.getMaxValue() / 1000.0;
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private String profile;
    private String transport;
    private String transportDetail;
    private String mode = "virtual";
    private Histogram rttMicros;
    private long messagesSent;
    private long messagesEchoed;
    private long goodputBytes;
    private long wireBytes;
    private long retransmits;
    private long durationMillis;
    private String note;

    public Builder profile(String v) {
      profile = v;
      return this;
    }

    public Builder transport(String v) {
      transport = v;
      return this;
    }

    public Builder transportDetail(String v) {
      transportDetail = v;
      return this;
    }

    public Builder mode(String v) {
      mode = v;
      return this;
    }

    public Builder rttMicros(Histogram v) {
      rttMicros = v;
      return this;
    }

    public Builder messagesSent(long v) {
      messagesSent = v;
      return this;
    }

    public Builder messagesEchoed(long v) {
      messagesEchoed = v;
      return this;
    }

    public Builder goodputBytes(long v) {
      goodputBytes = v;
      return this;
    }

    public Builder wireBytes(long v) {
      wireBytes = v;
      return this;
    }

    public Builder retransmits(long v) {
      retransmits = v;
      return this;
    }

    public Builder durationMillis(long v) {
      durationMillis = v;
      return this;
    }

    public Builder note(String v) {
      note = v;
      return this;
    }

    public RunResult build() {
      return new RunResult(this);
    }
  }
}
