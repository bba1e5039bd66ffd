package io.kcpj.core.secure;

/**
 * The timers of secure sessions (docs/secure-sessions.md, section 10), in milliseconds of the
 * caller's clock. Immutable and validated; shared freely.
 *
 * <table>
 *   <caption>Timers and defaults</caption>
 *   <tr><th>timer</th><th>default</th><th>rule</th></tr>
 *   <tr><td>handshakeRetransmit / Max</td><td>250 / 2,000</td><td>client resends INITIATION, doubling</td></tr>
 *   <tr><td>handshakeTimeout</td><td>10,000</td><td>client gives up the handshake</td></tr>
 *   <tr><td>unconfirmedTimeout</td><td>5,000</td><td>server drops a session the client never confirmed</td></tr>
 *   <tr><td>idleTimeout</td><td>60,000</td><td>no authenticated record for that long closes; the peers' minimum applies (survives a 30 s path blackout)</td></tr>
 *   <tr><td>keepaliveInterval</td><td>10,000</td><td>a PING when nothing was sent for that long (at most idle / 3)</td></tr>
 *   <tr><td>probeInterval / Max</td><td>250 / 2,000</td><td>CLOSE and PATH_CHALLENGE repeats, doubling</td></tr>
 *   <tr><td>pathValidationTimeout</td><td>3,000</td><td>a new address not validated by then is abandoned</td></tr>
 *   <tr><td>drain</td><td>1,000</td><td>after a graceful close, retransmitted CLOSEs are still answered</td></tr>
 * </table>
 */
public final class SecureTimers {
  private final long handshakeRetransmit;
  private final long handshakeRetransmitMax;
  private final long handshakeTimeout;
  private final long unconfirmedTimeout;
  private final long idleTimeout;
  private final long keepaliveInterval;
  private final long probeInterval;
  private final long probeIntervalMax;
  private final long pathValidationTimeout;
  private final long drain;

  private SecureTimers(Builder b) {
    handshakeRetransmit = positive("handshakeRetransmit", b.handshakeRetransmit);
    handshakeRetransmitMax = positive("handshakeRetransmitMax", b.handshakeRetransmitMax);
    handshakeTimeout = positive("handshakeTimeout", b.handshakeTimeout);
    unconfirmedTimeout = positive("unconfirmedTimeout", b.unconfirmedTimeout);
    idleTimeout = positive("idleTimeout", b.idleTimeout);
    keepaliveInterval = positive("keepaliveInterval", b.keepaliveInterval);
    probeInterval = positive("probeInterval", b.probeInterval);
    probeIntervalMax = positive("probeIntervalMax", b.probeIntervalMax);
    pathValidationTimeout = positive("pathValidationTimeout", b.pathValidationTimeout);
    drain = positive("drain", b.drain);
    if (idleTimeout > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("idleTimeout must fit 32 bits of milliseconds");
    }
    if (handshakeRetransmitMax < handshakeRetransmit || probeIntervalMax < probeInterval) {
      throw new IllegalArgumentException("a maximum interval is below its initial interval");
    }
  }

  private static long positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive (ms), not " + v);
    }
    return v;
  }

  /** The defaults of the table above. */
  public static SecureTimers defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public long handshakeRetransmit() {
    return handshakeRetransmit;
  }

  public long handshakeRetransmitMax() {
    return handshakeRetransmitMax;
  }

  public long handshakeTimeout() {
    return handshakeTimeout;
  }

  public long unconfirmedTimeout() {
    return unconfirmedTimeout;
  }

  public long idleTimeout() {
    return idleTimeout;
  }

  public long keepaliveInterval() {
    return keepaliveInterval;
  }

  public long probeInterval() {
    return probeInterval;
  }

  public long probeIntervalMax() {
    return probeIntervalMax;
  }

  public long pathValidationTimeout() {
    return pathValidationTimeout;
  }

  public long drain() {
    return drain;
  }

  /** Collects timer values; {@link #build()} validates them. */
  public static final class Builder {
    private long handshakeRetransmit = 250;
    private long handshakeRetransmitMax = 2_000;
    private long handshakeTimeout = 10_000;
    private long unconfirmedTimeout = 5_000;
    private long idleTimeout = 60_000;
    private long keepaliveInterval = 10_000;
    private long probeInterval = 250;
    private long probeIntervalMax = 2_000;
    private long pathValidationTimeout = 3_000;
    private long drain = 1_000;

    private Builder() {}

    public Builder handshakeRetransmit(long initial, long max) {
      handshakeRetransmit = initial;
      handshakeRetransmitMax = max;
      return this;
    }

    public Builder handshakeTimeout(long v) {
      handshakeTimeout = v;
      return this;
    }

    public Builder unconfirmedTimeout(long v) {
      unconfirmedTimeout = v;
      return this;
    }

    public Builder idleTimeout(long v) {
      idleTimeout = v;
      return this;
    }

    public Builder keepaliveInterval(long v) {
      keepaliveInterval = v;
      return this;
    }

    public Builder probeInterval(long initial, long max) {
      probeInterval = initial;
      probeIntervalMax = max;
      return this;
    }

    public Builder pathValidationTimeout(long v) {
      pathValidationTimeout = v;
      return this;
    }

    public Builder drain(long v) {
      drain = v;
      return this;
    }

    public SecureTimers build() {
      return new SecureTimers(this);
    }
  }
}
