package io.kcpj.bench.report;

import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * What one transport did on one network profile: the RTT histogram (microseconds, measured from
 * each message's scheduled send time) and the traffic counts the comparison reports.
 *
 * <p>Every latency figure in every report is read from {@link #latency()} — the RTT histogram plus
 * the undelivered messages, which count as +∞ — (never kept on the side), so the CSV, JSON, charts
 * and HdrHistogram logs cannot disagree. A result may cover several concurrent sessions of the same
 * transport ({@link #merge}). Immutable once built; the histogram is owned by this result and must
 * not be recorded into afterwards.
 */
public final class RunResult {
  private final String profile;
  private final String transport;
  private final String transportDetail;
  private final String config;
  private final String mode;
  private final String delivery;
  private final int sessions;
  private final Histogram rttMicros;
  private final long messagesSent;
  private final long messagesEchoed;
  private final long goodputBytes;
  private final long wireBytes;
  private final long retransmits;
  private final long messagesSuperseded;
  private final long durationMillis;
  private final String note;
  private final Latency latency;

  private RunResult(Builder b) {
    this.profile = Objects.requireNonNull(b.profile, "profile");
    this.transport = Objects.requireNonNull(b.transport, "transport");
    this.transportDetail = b.transportDetail == null ? "" : b.transportDetail;
    this.config = b.config == null ? "" : b.config;
    this.mode = Objects.requireNonNull(b.mode, "mode");
    this.delivery = Objects.requireNonNull(b.delivery, "delivery");
    if (b.sessions < 1) {
      throw new IllegalArgumentException("sessions must be >= 1, got " + b.sessions);
    }
    this.sessions = b.sessions;
    this.rttMicros = Objects.requireNonNull(b.rttMicros, "rttMicros");
    this.messagesSent = b.messagesSent;
    this.messagesEchoed = b.messagesEchoed;
    this.goodputBytes = b.goodputBytes;
    this.wireBytes = b.wireBytes;
    this.retransmits = b.retransmits;
    this.messagesSuperseded = b.messagesSuperseded;
    this.durationMillis = b.durationMillis;
    this.note = b.note == null ? "" : b.note;
    this.latency = new Latency(rttMicros, Math.max(0, messagesSent - messagesEchoed));
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
   * The transport's compact settings text (e.g. {@code nodelay=1,interval=10,resend=2,nc=true}).
   */
  public String config() {
    return config;
  }

  /** How messages were delivered: {@code ordered} (reliable, in order), or as the transport did. */
  public String delivery() {
    return delivery;
  }

  /** Concurrent sessions whose messages this result holds (each on its own link). */
  public int sessions() {
    return sessions;
  }

  /** The RTT samples: delivered ones in the histogram, undelivered ones as +∞. */
  public Latency latency() {
    return latency;
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

  /** Messages sent whose echo never came back before the run (its drain) ended. */
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

  /**
   * Sequenced delivery only: messages dropped because a newer one was delivered first. They are
   * among {@link #messagesEchoed()}, with the time until that newer echo arrived as their RTT.
   */
  public long messagesSuperseded() {
    return messagesSuperseded;
  }

  public long durationMillis() {
    return durationMillis;
  }

  public String note() {
    return note;
  }

  /**
   * The RTT at {@code percentile} (0..100) in milliseconds over every message sent: +∞ when the
   * rank falls on an undelivered message, NaN when nothing was sent.
   */
  public double rttMillisAt(double percentile) {
    return latency.percentileMillis(percentile);
  }

  /** Mean RTT of the delivered messages (NaN if none). */
  public double meanRttMillis() {
    return latency.meanMillis();
  }

  /** Largest RTT: +∞ if any message was undelivered. */
  public double maxRttMillis() {
    return latency.maxMillis();
  }

  /**
   * The results of several sessions of one transport on one profile as one result: histograms
   * added, counts and bytes summed, the longest duration, the first session's names and settings.
   */
  public static RunResult merge(java.util.List<RunResult> sessions) {
    if (sessions.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    RunResult first = sessions.get(0);
    if (sessions.size() == 1) {
      return first;
    }
    org.HdrHistogram.Histogram h = first.rttMicros.copy();
    Builder b = first.toBuilder();
    long sent = 0;
    long echoed = 0;
    long goodput = 0;
    long wire = 0;
    long retransmits = 0;
    long superseded = 0;
    long duration = 0;
    int n = 0;
    for (RunResult r : sessions) {
      if (!r.profile.equals(first.profile) || !r.transport.equals(first.transport)) {
        throw new IllegalArgumentException(
            "cannot merge " + r.profile + " × " + r.transport + " into " + first.transport);
      }
      if (r != first) {
        h.add(r.rttMicros);
      }
      sent += r.messagesSent;
      echoed += r.messagesEchoed;
      goodput += r.goodputBytes;
      wire += r.wireBytes;
      retransmits += r.retransmits;
      superseded += r.messagesSuperseded;
      duration = Math.max(duration, r.durationMillis);
      n += r.sessions;
    }
    return b.rttMicros(h)
        .messagesSent(sent)
        .messagesEchoed(echoed)
        .goodputBytes(goodput)
        .wireBytes(wire)
        .retransmits(retransmits)
        .messagesSuperseded(superseded)
        .durationMillis(duration)
        .sessions(n)
        .build();
  }

  /** A builder holding this result's values. */
  public Builder toBuilder() {
    return new Builder()
        .profile(profile)
        .transport(transport)
        .transportDetail(transportDetail)
        .config(config)
        .mode(mode)
        .delivery(delivery)
        .sessions(sessions)
        .rttMicros(rttMicros)
        .messagesSent(messagesSent)
        .messagesEchoed(messagesEchoed)
        .goodputBytes(goodputBytes)
        .wireBytes(wireBytes)
        .retransmits(retransmits)
        .messagesSuperseded(messagesSuperseded)
        .durationMillis(durationMillis)
        .note(note);
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private String profile;
    private String transport;
    private String transportDetail;
    private String config;
    private String mode = "virtual";
    private String delivery = "ordered";
    private int sessions = 1;
    private Histogram rttMicros;
    private long messagesSent;
    private long messagesEchoed;
    private long goodputBytes;
    private long wireBytes;
    private long retransmits;
    private long messagesSuperseded;
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

    public Builder config(String v) {
      config = v;
      return this;
    }

    public Builder delivery(String v) {
      delivery = v;
      return this;
    }

    public Builder sessions(int v) {
      sessions = v;
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

    /** Sequenced delivery: messages superseded by a newer one (see {@link #messagesSuperseded}). */
    public Builder messagesSuperseded(long v) {
      messagesSuperseded = v;
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
