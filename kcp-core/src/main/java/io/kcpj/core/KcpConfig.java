package io.kcpj.core;

import io.kcpj.core.cc.ClassicKcp;
import io.kcpj.core.cc.CongestionControl;
import io.kcpj.core.cc.NoCongestionWindow;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Immutable, validated engine settings: everything about a conversation except its conv and its
 * output. Build one with {@link #builder()}, start from a preset, or parse the compact text form.
 *
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>name</th><th>nodelay, interval, resend, nc</th><th>min RTO</th><th>for</th></tr>
 *   <tr><td>{@link #classic() classic}</td><td>0, 100, 0, off</td><td>100</td><td>the C reference's defaults</td></tr>
 *   <tr><td>{@link #normal() normal}</td><td>0, 40, 0, off</td><td>100</td><td>the reference's "normal mode"</td></tr>
 *   <tr><td>{@link #fast() fast}</td><td>1, 10, 2, on</td><td>30</td><td>the reference's "fast/turbo mode"</td></tr>
 *   <tr><td>{@link #testNormal() test-normal}</td><td>0, 10, 0, on</td><td>100</td><td>the C test program's "normal" mode</td></tr>
 *   <tr><td>{@link #testFast() test-fast}</td><td>2, 10, 1, on</td><td>10</td><td>the C test program's fast mode</td></tr>
 * </table>
 *
 * <p>Every setter of the builder checks its value and throws {@link IllegalArgumentException}
 * naming the field and its valid range. Example:
 *
 * <pre>{@code
 * KcpConfig cfg = KcpConfig.fast().toBuilder().windows(256, 256).mtu(1200).build();
 * Kcp kcp = new Kcp(conv, cfg, datagram -> socket.send(datagram));
 * }</pre>
 *
 * A {@code KcpConfig} is immutable and may be shared across threads and engines.
 */
public final class KcpConfig {
  /**
   * ikcp's {@code IKCP_WND_RCV}: the smallest receive window, and the default fragment limit + 1.
   */
  public static final int MIN_RECEIVE_WINDOW = 128;

  /** The wire's 16-bit {@code wnd} field bounds any advertised window. */
  public static final int MAX_WINDOW = 65535;

  public static final int MIN_MTU = 50;

  /** The largest UDP payload over IPv4. */
  public static final int MAX_MTU = 65507;

  private final int nodelay;
  private final int interval;
  private final int fastResend;
  private final boolean noCongestionWindow;
  private final int sendWindow;
  private final int receiveWindow;
  private final int mtu;
  private final int minRto;
  private final int deadLink;
  private final int fastLimit;
  private final boolean streamMode;
  private final int maxFragments;
  private final Supplier<? extends CongestionControl> congestionControl;

  private KcpConfig(Builder b) {
    this.nodelay = b.nodelay;
    this.interval = b.interval;
    this.fastResend = b.fastResend;
    this.noCongestionWindow = b.noCongestionWindow;
    this.sendWindow = b.sendWindow;
    this.receiveWindow = b.receiveWindow;
    this.mtu = b.mtu;
    this.minRto = b.minRto > 0 ? b.minRto : (b.nodelay != 0 ? Kcp.RTO_NODELAY : Kcp.RTO_MIN);
    this.deadLink = b.deadLink;
    this.fastLimit = b.fastLimit;
    this.streamMode = b.streamMode;
    this.maxFragments = b.maxFragments;
    this.congestionControl = b.congestionControl;
  }

  /** A builder holding the C reference's defaults ({@link #classic()}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.nodelay = nodelay;
    b.interval = interval;
    b.fastResend = fastResend;
    b.noCongestionWindow = noCongestionWindow;
    b.sendWindow = sendWindow;
    b.receiveWindow = receiveWindow;
    b.mtu = mtu;
    b.minRto = minRto;
    b.deadLink = deadLink;
    b.fastLimit = fastLimit;
    b.streamMode = streamMode;
    b.maxFragments = maxFragments;
    b.congestionControl = congestionControl;
    return b;
  }

  /** The C reference's defaults: nodelay 0, interval 100, resend 0, congestion window on. */
  public static KcpConfig classic() {
    return builder().build();
  }

  /** The reference's "normal mode": {@code (0, 40, 0, nc off)}. */
  public static KcpConfig normal() {
    return builder().noDelay(0, 40, 0, false).build();
  }

  /** The reference's "fast mode": {@code (1, 10, 2, nc on)}, minimum RTO 30 ms. */
  public static KcpConfig fast() {
    return builder().noDelay(1, 10, 2, true).build();
  }

  /**
   * The C test program's "normal" mode ({@code test.cpp} mode 1): {@code ikcp_nodelay(0, 10, 0, 1)}
   * — the reference's published 156/571 ms average/maximum RTT on its simulated link.
   */
  public static KcpConfig testNormal() {
    return builder().noDelay(0, 10, 0, true).build();
  }

  /**
   * The C test program's fast mode ({@code test.cpp} mode 2): {@code ikcp_nodelay(2, 10, 2, 1)}
   * followed by {@code rx_minrto = 10} and {@code fastresend = 1}.
   */
  public static KcpConfig testFast() {
    return builder().noDelay(2, 10, 1, true).minRto(10).build();
  }

  /** The preset names {@link #preset(String)} accepts, in order. */
  public static String[] presetNames() {
    return new String[] {"classic", "normal", "fast", "test-normal", "test-fast"};
  }

  /**
   * A preset by name: {@code classic}, {@code normal}, {@code fast}, {@code test-normal}, {@code
   * test-fast}.
   */
  public static KcpConfig preset(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "classic":
      case "default":
        return classic();
      case "normal":
        return normal();
      case "fast":
      case "turbo":
        return fast();
      case "test-normal":
        return testNormal();
      case "test-fast":
        return testFast();
      default:
        throw new IllegalArgumentException(
            "unknown KCP preset '"
                + name
                + "'; valid presets: classic, normal, fast, test-normal, test-fast");
    }
  }

  /**
   * Parses the compact command-line form: an optional preset name followed by {@code key=value}
   * pairs separated by commas, applied in order. Example: {@code fast,wnd=256,mtu=1200} or {@code
   * nodelay=1,interval=10,resend=2,nc=true}. Keys: {@code preset, nodelay, interval, resend, nc,
   * wnd} (both windows), {@code sndwnd, rcvwnd, mtu, minrto, deadlink, fastlimit, stream, maxfrag}.
   * A bad key or value throws {@link IllegalArgumentException} naming the token.
   */
  public static KcpConfig parse(String text) {
    Objects.requireNonNull(text, "text");
    Builder b = builder();
    String[] tokens = text.split(",");
    for (int i = 0; i < tokens.length; i++) {
      String token = tokens[i].trim();
      if (token.isEmpty()) {
        continue;
      }
      int eq = token.indexOf('=');
      if (eq < 0) {
        if (i != 0) {
          throw new IllegalArgumentException(
              "'"
                  + token
                  + "' in '"
                  + text
                  + "' is not key=value; a preset name may only come first");
        }
        b = preset(token).toBuilder();
        continue;
      }
      String key = token.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = token.substring(eq + 1).trim();
      if (key.equals("preset")) {
        b = preset(value).toBuilder(); // like a leading preset name: replaces every setting so far
        continue;
      }
      try {
        applyKey(b, key, value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "bad value in '" + token + "': '" + value + "' is not a whole number", e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad token '" + token + "': " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  private static void applyKey(Builder b, String key, String value) {
    switch (key) {
      case "nodelay":
        b.noDelay(Integer.parseInt(value));
        break;
      case "interval":
        b.interval(Integer.parseInt(value));
        break;
      case "resend":
        b.fastResend(Integer.parseInt(value));
        break;
      case "nc":
        b.noCongestionWindow(parseBoolean(value));
        break;
      case "wnd":
        int w = Integer.parseInt(value);
        b.windows(w, Math.max(w, MIN_RECEIVE_WINDOW));
        break;
      case "sndwnd":
        b.sendWindow(Integer.parseInt(value));
        break;
      case "rcvwnd":
        b.receiveWindow(Integer.parseInt(value));
        break;
      case "mtu":
        b.mtu(Integer.parseInt(value));
        break;
      case "minrto":
        b.minRto(Integer.parseInt(value));
        break;
      case "deadlink":
        b.deadLink(Integer.parseInt(value));
        break;
      case "fastlimit":
        b.fastLimit(Integer.parseInt(value));
        break;
      case "stream":
        b.streamMode(parseBoolean(value));
        break;
      case "maxfrag":
        b.maxFragments(Integer.parseInt(value));
        break;
      default:
        throw new IllegalArgumentException(
            "unknown key '"
                + key
                + "'; valid keys: preset, nodelay, interval, resend, nc, wnd,"
                + " sndwnd, rcvwnd, mtu, minrto, deadlink, fastlimit, stream, maxfrag");
    }
  }

  private static boolean parseBoolean(String v) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
      case "on":
      case "yes":
        return true;
      case "false":
      case "0":
      case "off":
      case "no":
        return false;
      default:
        throw new IllegalArgumentException(
            "'" + v + "' is not a boolean (true/false, 1/0, on/off)");
    }
  }

  /** ikcp's {@code nodelay}: 0 (RTO doubles), 1 (RTO grows by half), 2 (grows by rxRto/2). */
  public int nodelay() {
    return nodelay;
  }

  /** Flush interval in ms (10..5000). */
  public int interval() {
    return interval;
  }

  /** Fast retransmit after this many later ACKs; 0 = off. */
  public int fastResend() {
    return fastResend;
  }

  public boolean noCongestionWindow() {
    return noCongestionWindow;
  }

  public int sendWindow() {
    return sendWindow;
  }

  public int receiveWindow() {
    return receiveWindow;
  }

  public int mtu() {
    return mtu;
  }

  /** Lower bound of the RTO in ms (30 with nodelay, else 100, unless set). */
  public int minRto() {
    return minRto;
  }

  /** A segment transmitted this many times marks the link dead. */
  public int deadLink() {
    return deadLink;
  }

  /** A segment is fast-retransmitted only while sent at most this many times; 0 = no limit. */
  public int fastLimit() {
    return fastLimit;
  }

  public boolean streamMode() {
    return streamMode;
  }

  /** Largest number of fragments one message may take (127 in the reference; at most 255). */
  public int maxFragments() {
    return maxFragments;
  }

  /** A new congestion controller for one engine, as configured. */
  public CongestionControl newCongestionControl() {
    if (congestionControl != null) {
      return Objects.requireNonNull(
          congestionControl.get(), "congestion control supplier gave null");
    }
    return noCongestionWindow ? new NoCongestionWindow() : new ClassicKcp();
  }

  /** Whether a custom congestion controller replaces ClassicKcp / NoCongestionWindow. */
  public boolean hasCustomCongestionControl() {
    return congestionControl != null;
  }

  /** The settings as {@code key=value} pairs in {@link #parse} form. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("nodelay", Integer.toString(nodelay));
    m.put("interval", Integer.toString(interval));
    m.put("resend", Integer.toString(fastResend));
    m.put("nc", Boolean.toString(noCongestionWindow));
    m.put("sndwnd", Integer.toString(sendWindow));
    m.put("rcvwnd", Integer.toString(receiveWindow));
    m.put("mtu", Integer.toString(mtu));
    m.put("minrto", Integer.toString(minRto));
    m.put("deadlink", Integer.toString(deadLink));
    m.put("fastlimit", Integer.toString(fastLimit));
    m.put("stream", Boolean.toString(streamMode));
    m.put("maxfrag", Integer.toString(maxFragments));
    return m;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : asMap().entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    if (congestionControl != null) {
      sb.append(",cc=custom");
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KcpConfig)) {
      return false;
    }
    KcpConfig c = (KcpConfig) o;
    return asMap().equals(c.asMap()) && Objects.equals(congestionControl, c.congestionControl);
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  /** Mutable builder of a {@link KcpConfig}; starts at the reference defaults. Not thread-safe. */
  public static final class Builder {
    private int nodelay = 0;
    private int interval = Kcp.INTERVAL_DEFAULT;
    private int fastResend = 0;
    private boolean noCongestionWindow = false;
    private int sendWindow = Kcp.WND_SND_DEFAULT;
    private int receiveWindow = MIN_RECEIVE_WINDOW;
    private int mtu = Kcp.MTU_DEFAULT;
    private int minRto = 0;
    private int deadLink = Kcp.DEAD_LINK_DEFAULT;
    private int fastLimit = Kcp.FASTACK_LIMIT_DEFAULT;
    private boolean streamMode = false;
    private int maxFragments = MIN_RECEIVE_WINDOW - 1;
    private Supplier<? extends CongestionControl> congestionControl;

    private Builder() {}

    /** All four of ikcp's {@code ikcp_nodelay} arguments at once; also resets minRto to derive. */
    public Builder noDelay(int nodelay, int interval, int resend, boolean nc) {
      noDelay(nodelay);
      interval(interval);
      fastResend(resend);
      return noCongestionWindow(nc);
    }

    /** 0, 1 or 2. Resets a minRto set earlier, so it derives again (30 if non-zero, else 100). */
    public Builder noDelay(int nodelay) {
      this.nodelay = check("nodelay", nodelay, 0, 2);
      this.minRto = 0;
      return this;
    }

    public Builder interval(int intervalMillis) {
      this.interval = check("interval", intervalMillis, 10, 5000);
      return this;
    }

    public Builder fastResend(int resend) {
      this.fastResend = check("resend", resend, 0, 65535);
      return this;
    }

    public Builder noCongestionWindow(boolean nc) {
      this.noCongestionWindow = nc;
      return this;
    }

    public Builder windows(int send, int receive) {
      sendWindow(send);
      return receiveWindow(receive);
    }

    public Builder sendWindow(int segments) {
      this.sendWindow = check("sndwnd", segments, 1, MAX_WINDOW);
      return this;
    }

    /**
     * At least {@value #MIN_RECEIVE_WINDOW} (the reference's floor: a receiver must hold a whole
     * message of up to 127 fragments), at most {@value #MAX_WINDOW} (the wire's 16-bit field).
     */
    public Builder receiveWindow(int segments) {
      this.receiveWindow = check("rcvwnd", segments, MIN_RECEIVE_WINDOW, MAX_WINDOW);
      return this;
    }

    public Builder mtu(int mtu) {
      this.mtu = check("mtu", mtu, MIN_MTU, MAX_MTU);
      return this;
    }

    /** Minimum RTO in ms (1..60000); 0 means derive it from nodelay (30 or 100). */
    public Builder minRto(int millis) {
      this.minRto = check("minrto", millis, 0, Kcp.RTO_MAX);
      return this;
    }

    public Builder deadLink(int transmissions) {
      this.deadLink = check("deadlink", transmissions, 1, Integer.MAX_VALUE);
      return this;
    }

    public Builder fastLimit(int transmissions) {
      this.fastLimit = check("fastlimit", transmissions, 0, Integer.MAX_VALUE);
      return this;
    }

    public Builder streamMode(boolean stream) {
      this.streamMode = stream;
      return this;
    }

    /**
     * The most fragments one message may take. The reference allows 127 (a message of {@code 127 *
     * mss} bytes). Up to 255 is an opt-in extension: the frg field holds 255, but the
     * <em>receiver's</em> receive window must then be larger than this value, or it can never
     * reassemble such a message.
     */
    public Builder maxFragments(int fragments) {
      this.maxFragments = check("maxfrag", fragments, 1, 255);
      return this;
    }

    /**
     * A custom congestion controller (one new instance per engine), replacing the choice made by
     * {@link #noCongestionWindow(boolean)}. Null restores that choice.
     */
    public Builder congestionControl(Supplier<? extends CongestionControl> supplier) {
      this.congestionControl = supplier;
      return this;
    }

    public KcpConfig build() {
      return new KcpConfig(this);
    }

    private static int check(String field, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            field + " must be in [" + min + ", " + max + "], got " + value);
      }
      return value;
    }
  }
}
