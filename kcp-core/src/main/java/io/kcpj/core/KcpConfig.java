package io.kcpj.core;

import io.kcpj.core.cc.ClassicKcp;
import io.kcpj.core.cc.CongestionControl;
import io.kcpj.core.cc.NoCongestionWindow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Immutable, validated engine settings: everything about a conversation except its conv and its
 * output. Build one with {@link #builder()}, start from a preset, or parse the compact text form.
 * Every setting, its range, default and reference meaning is in {@link EngineSetting}'s table,
 * which this class is driven by ({@link #get(EngineSetting)}, {@link Builder#set(EngineSetting,
 * Object)}); the named getters and builder methods are shorthands for it.
 *
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>name</th><th>nodelay, interval, resend, nc</th><th>min RTO</th><th>for</th></tr>
 *   <tr><td>{@link #classic() classic}</td><td>0, 100, 0, off</td><td>100</td><td>the C reference's defaults</td></tr>
 *   <tr><td>{@link #normal() normal}</td><td>0, 40, 0, off</td><td>100</td><td>the reference's "normal mode"</td></tr>
 *   <tr><td>{@link #fast() fast}</td><td>1, 10, 2, on</td><td>30</td><td>the reference's "fast/turbo mode"</td></tr>
 *   <tr><td>{@link #testNormal() test-normal}</td><td>0, 10, 0, on</td><td>100</td><td>the C test program's "normal" mode</td></tr>
 *   <tr><td>{@link #testFast() test-fast}</td><td>2, 10, 1, on</td><td>10</td><td>the C test program's fast mode</td></tr>
 *   <tr><td>{@link #game() game}</td><td>1, 10, 0, on</td><td>10</td><td>kcpj's thin-stream mode (latency additions on)</td></tr>
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
  private static final List<Preset> PRESETS =
      List.of(
          new Preset(
              "classic",
              List.of("default"),
              "the C reference's defaults (`ikcp_create`)",
              builder().build()),
          new Preset(
              "normal",
              List.of(),
              "the reference's \"normal mode\"",
              builder().noDelay(0, 40, 0, false).build()),
          new Preset(
              "fast",
              List.of("turbo"),
              "the reference's \"fast / turbo mode\"",
              builder().noDelay(1, 10, 2, true).build()),
          new Preset(
              "test-normal",
              List.of(),
              "the C test program's \"normal\" mode (`ikcp_nodelay(0,10,0,1)`)",
              builder().noDelay(0, 10, 0, true).build()),
          new Preset(
              "test-fast",
              List.of(),
              "the C test program's fast mode (`ikcp_nodelay(2,10,2,1)`, `rx_minrto=10`,"
                  + " `fastresend=1`)",
              builder().noDelay(2, 10, 1, true).minRto(10).build()),
          new Preset(
              "game",
              List.of(),
              "kcpj's thin-stream mode for games: `fast`'s timers plus thin-stream loss recovery,"
                  + " redundant copies, lean ACKs, capped back-off and the delivery extension"
                  + " (`docs/latency.md`)",
              gameBuilder().build()));

  /** The {@code game} preset's settings; every value is justified in docs/latency.md. */
  private static Builder gameBuilder() {
    return builder()
        .noDelay(1, 10, 0, true)
        .minRto(10)
        .windows(128, 128)
        .deadLink(150)
        .set(EngineSetting.THIN_STREAM, true)
        .set(EngineSetting.MAX_RTO, 200)
        .set(EngineSetting.REDUNDANCY, 1)
        .set(EngineSetting.REDUNDANCY_BYTES, 256)
        .set(EngineSetting.REPEAT_ACKS, false)
        .set(EngineSetting.ACK_DELAY, 50)
        .set(EngineSetting.DELIVERY_EXTENSION, true);
  }

  /** Values indexed by {@link EngineSetting#index()}; never null. */
  private final Object[] values;

  private final Supplier<? extends CongestionControl> congestionControl;

  private KcpConfig(Builder b) {
    this.values = b.values.clone();
    this.congestionControl = b.congestionControl;
  }

  /** A builder holding the C reference's defaults ({@link #classic()}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    System.arraycopy(values, 0, b.values, 0, values.length);
    b.congestionControl = congestionControl;
    return b;
  }

  /** The C reference's defaults: nodelay 0, interval 100, resend 0, congestion window on. */
  public static KcpConfig classic() {
    return PRESETS.get(0).config();
  }

  /** The reference's "normal mode": {@code (0, 40, 0, nc off)}. */
  public static KcpConfig normal() {
    return PRESETS.get(1).config();
  }

  /** The reference's "fast mode": {@code (1, 10, 2, nc on)}, minimum RTO 30 ms. */
  public static KcpConfig fast() {
    return PRESETS.get(2).config();
  }

  /**
   * The C test program's "normal" mode ({@code test.cpp} mode 1): {@code ikcp_nodelay(0, 10, 0, 1)}
   * — the reference's published 156/571 ms average/maximum RTT on its simulated link.
   */
  public static KcpConfig testNormal() {
    return PRESETS.get(3).config();
  }

  /**
   * The C test program's fast mode ({@code test.cpp} mode 2): {@code ikcp_nodelay(2, 10, 2, 1)}
   * followed by {@code rx_minrto = 10} and {@code fastresend = 1}.
   */
  public static KcpConfig testFast() {
    return PRESETS.get(4).config();
  }

  /**
   * kcpj's mode for thin, latency-bound streams (a game's 20–60 messages a second): {@code fast}'s
   * timers ({@code nodelay 1, interval 10, nc}) with a 10 ms minimum RTO and windows of 128, plus
   * thin-stream loss recovery ({@code thin}), one redundant copy of each segment in the next
   * datagram that goes out anyway ({@code dup=1}, at most 256 bytes of copies per datagram), lean
   * ACKs ({@code repeatacks=false}), a back-off capped at 200 ms ({@code maxrto}), a dead-link
   * limit of 150 transmissions (about 30 s of probing at the cap) and the delivery extension
   * ({@code xdelivery}). Both ends should use it. Measured against TCP and the other presets in
   * {@code docs/latency.md}.
   */
  public static KcpConfig game() {
    return PRESETS.get(5).config();
  }

  /** Every preset, in order (the README's presets table is generated from this list). */
  public static List<Preset> presets() {
    return PRESETS;
  }

  /** The preset names {@link #preset(String)} accepts, in order (without aliases). */
  public static String[] presetNames() {
    return PRESETS.stream().map(Preset::name).toArray(String[]::new);
  }

  /**
   * A preset by name (case-insensitive): {@code classic} (alias {@code default}), {@code normal},
   * {@code fast} (alias {@code turbo}), {@code test-normal}, {@code test-fast}, {@code game}.
   */
  public static KcpConfig preset(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (Preset p : PRESETS) {
      if (p.name().equals(n) || p.aliases().contains(n)) {
        return p.config();
      }
    }
    throw new IllegalArgumentException(
        "unknown KCP preset '" + name + "'; valid presets: " + String.join(", ", presetNames()));
  }

  /**
   * Parses the compact command-line form: an optional preset name followed by {@code key=value}
   * pairs separated by commas, applied in order. Example: {@code fast,wnd=256,mtu=1200} or {@code
   * nodelay=1,interval=10,resend=2,nc=true}. Keys: every {@link EngineSetting#key()} ({@code
   * nodelay, interval, resend, nc, sndwnd, rcvwnd, mtu, minrto, deadlink, fastlimit, stream,
   * maxfrag, thin, maxrto, dup, dupbytes, repeatacks, xdelivery}), plus {@code preset=NAME}
   * (replaces every setting so far, like a leading name) and {@code wnd=N} (both windows: {@code
   * sndwnd=N}, {@code rcvwnd=max(N, 128)}). A bad key or value throws {@link
   * IllegalArgumentException} naming the token.
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
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad token '" + token + "': " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  private static void applyKey(Builder b, String key, String value) {
    if (key.equals("wnd")) {
      int w = EngineSetting.SEND_WINDOW.parse(value);
      b.windows(w, Math.max(w, EngineSetting.RECEIVE_WINDOW.min()));
      return;
    }
    EngineSetting<?> setting;
    try {
      setting = EngineSetting.forKey(key);
    } catch (IllegalArgumentException unknown) {
      List<String> keys = new ArrayList<>(List.of("preset", "wnd"));
      EngineSetting.all().forEach(s -> keys.add(s.key()));
      throw new IllegalArgumentException(
          "unknown key '" + key + "'; valid keys: " + String.join(", ", keys), unknown);
    }
    b.setParsed(setting, value);
  }

  /** This configuration's value of {@code setting}. */
  public <T> T get(EngineSetting<T> setting) {
    return setting.type().cast(values[setting.index()]);
  }

  /** This configuration with {@code setting} changed to {@code value} (validated). */
  public <T> KcpConfig with(EngineSetting<T> setting, T value) {
    return toBuilder().set(setting, value).build();
  }

  /** ikcp's {@code nodelay}: 0 (RTO doubles), 1 (RTO grows by half), 2 (grows by rxRto/2). */
  public int nodelay() {
    return get(EngineSetting.NODELAY);
  }

  /** Flush interval in ms (10..5000). */
  public int interval() {
    return get(EngineSetting.INTERVAL);
  }

  /** Fast retransmit after this many later ACKs; 0 = off. */
  public int fastResend() {
    return get(EngineSetting.FAST_RESEND);
  }

  /** Whether the congestion window is ignored ({@link NoCongestionWindow}). */
  public boolean noCongestionWindow() {
    return get(EngineSetting.NO_CONGESTION_WINDOW);
  }

  /** {@link EngineSetting#SEND_WINDOW}, in segments. */
  public int sendWindow() {
    return get(EngineSetting.SEND_WINDOW);
  }

  /** {@link EngineSetting#RECEIVE_WINDOW}, in segments. */
  public int receiveWindow() {
    return get(EngineSetting.RECEIVE_WINDOW);
  }

  /** {@link EngineSetting#MTU}, in bytes. */
  public int mtu() {
    return get(EngineSetting.MTU);
  }

  /** Lower bound of the RTO in ms (30 with nodelay, else 100, unless set after nodelay). */
  public int minRto() {
    return get(EngineSetting.MIN_RTO);
  }

  /** A segment transmitted this many times marks the link dead. */
  public int deadLink() {
    return get(EngineSetting.DEAD_LINK);
  }

  /** A segment is fast-retransmitted only while sent at most this many times; 0 = no limit. */
  public int fastLimit() {
    return get(EngineSetting.FAST_LIMIT);
  }

  /** {@link EngineSetting#STREAM_MODE}. */
  public boolean streamMode() {
    return get(EngineSetting.STREAM_MODE);
  }

  /** Largest number of fragments one message may take (127 in the reference; at most 255). */
  public int maxFragments() {
    return get(EngineSetting.MAX_FRAGMENTS);
  }

  /** A new congestion controller for one engine, as configured. */
  public CongestionControl newCongestionControl() {
    if (congestionControl != null) {
      return Objects.requireNonNull(
          congestionControl.get(), "congestion control supplier gave null");
    }
    return noCongestionWindow() ? new NoCongestionWindow() : new ClassicKcp();
  }

  /** Whether a custom congestion controller replaces ClassicKcp / NoCongestionWindow. */
  public boolean hasCustomCongestionControl() {
    return congestionControl != null;
  }

  /**
   * Applies every setting to {@code engine} (in {@link EngineSetting#all()} order, each through the
   * engine's own setter), and installs a new custom congestion controller if this configuration has
   * one. Call it on the engine's thread. {@link Kcp#apply(KcpConfig)} does this.
   */
  public void applyTo(Kcp engine) {
    applyChangesTo(engine, null);
  }

  /**
   * Changes on {@code engine}, which runs with {@code previous}, only what differs in this
   * configuration: each setting whose value differs (and the minimum RTO whenever nodelay is
   * applied, since nodelay resets it), and the congestion controller only if the custom supplier
   * differs — so a live engine keeps its controller's state across an unrelated change. With {@code
   * previous} null, every setting is applied as by {@link #applyTo(Kcp)}. Call it on the engine's
   * thread.
   */
  public void applyChangesTo(Kcp engine, KcpConfig previous) {
    Objects.requireNonNull(engine, "engine");
    boolean minRtoReset = false;
    for (EngineSetting<?> s : EngineSetting.all()) {
      Object v = values[s.index()];
      boolean changed = previous == null || !v.equals(previous.values[s.index()]);
      if (changed || (s == EngineSetting.MIN_RTO && minRtoReset)) {
        s.applyUnchecked(engine, v);
        minRtoReset |= s == EngineSetting.NODELAY;
      }
    }
    Supplier<?> before = previous == null ? null : previous.congestionControl;
    if (congestionControl != before) {
      if (congestionControl != null || previous != null) {
        engine.setCongestionControl(newCongestionControl());
      }
    }
  }

  /** The settings as {@code key=value} pairs in {@link #parse} form, in table order. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (EngineSetting<?> s : EngineSetting.all()) {
      m.put(s.key(), String.valueOf(values[s.index()]));
    }
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
    return Arrays.equals(values, c.values)
        && Objects.equals(congestionControl, c.congestionControl);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  /**
   * A named preset: its name, the other names {@link #preset(String)} accepts, what it is, and its
   * configuration.
   *
   * @param name the canonical name
   * @param aliases other accepted names
   * @param description one line, as the README's presets table shows it
   * @param config the settings
   */
  public record Preset(String name, List<String> aliases, String description, KcpConfig config) {}

  /** Mutable builder of a {@link KcpConfig}; starts at the reference defaults. Not thread-safe. */
  public static final class Builder {
    private final Object[] values = new Object[EngineSetting.all().size()];
    private Supplier<? extends CongestionControl> congestionControl;

    private Builder() {
      for (EngineSetting<?> s : EngineSetting.all()) {
        values[s.index()] = s.defaultValue();
      }
    }

    /**
     * Sets {@code setting} to {@code value}, validated against its range. Setting {@link
     * EngineSetting#NODELAY} also sets {@link EngineSetting#MIN_RTO} to what it implies (30 or 100
     * ms), as {@code ikcp_nodelay} does; set the minimum RTO after nodelay to override it.
     *
     * @throws IllegalArgumentException naming the setting and its range
     */
    public <T> Builder set(EngineSetting<T> setting, T value) {
      values[setting.index()] = setting.validate(value);
      if (setting == EngineSetting.NODELAY) {
        values[EngineSetting.MIN_RTO.index()] = EngineSetting.minRtoFor((Integer) value);
      }
      return this;
    }

    private <T> void setParsed(EngineSetting<T> setting, String text) {
      set(setting, setting.parse(text));
    }

    /** All four of ikcp's {@code ikcp_nodelay} arguments at once; also resets minRto. */
    public Builder noDelay(int nodelay, int interval, int resend, boolean nc) {
      noDelay(nodelay);
      interval(interval);
      fastResend(resend);
      return noCongestionWindow(nc);
    }

    /** 0, 1 or 2. Also sets minRto to 30 (non-zero) or 100 ms, as ikcp_nodelay does. */
    public Builder noDelay(int nodelay) {
      return set(EngineSetting.NODELAY, nodelay);
    }

    /** {@link EngineSetting#INTERVAL}. */
    public Builder interval(int intervalMillis) {
      return set(EngineSetting.INTERVAL, intervalMillis);
    }

    /** {@link EngineSetting#FAST_RESEND}. */
    public Builder fastResend(int resend) {
      return set(EngineSetting.FAST_RESEND, resend);
    }

    /** {@link EngineSetting#NO_CONGESTION_WINDOW}. */
    public Builder noCongestionWindow(boolean nc) {
      return set(EngineSetting.NO_CONGESTION_WINDOW, nc);
    }

    /** Both windows. */
    public Builder windows(int send, int receive) {
      sendWindow(send);
      return receiveWindow(receive);
    }

    /** {@link EngineSetting#SEND_WINDOW}. */
    public Builder sendWindow(int segments) {
      return set(EngineSetting.SEND_WINDOW, segments);
    }

    /**
     * {@link EngineSetting#RECEIVE_WINDOW}: at least 128 (the reference's floor: a receiver must
     * hold a whole message of up to 127 fragments), at most 65535 (the wire's 16-bit field).
     */
    public Builder receiveWindow(int segments) {
      return set(EngineSetting.RECEIVE_WINDOW, segments);
    }

    /** {@link EngineSetting#MTU}. */
    public Builder mtu(int mtu) {
      return set(EngineSetting.MTU, mtu);
    }

    /** Minimum RTO in ms (1..60000); a later {@link #noDelay(int)} resets it. */
    public Builder minRto(int millis) {
      return set(EngineSetting.MIN_RTO, millis);
    }

    /** {@link EngineSetting#DEAD_LINK}. */
    public Builder deadLink(int transmissions) {
      return set(EngineSetting.DEAD_LINK, transmissions);
    }

    /** {@link EngineSetting#FAST_LIMIT}. */
    public Builder fastLimit(int transmissions) {
      return set(EngineSetting.FAST_LIMIT, transmissions);
    }

    /** {@link EngineSetting#STREAM_MODE}. */
    public Builder streamMode(boolean stream) {
      return set(EngineSetting.STREAM_MODE, stream);
    }

    /**
     * The most fragments one message may take ({@link EngineSetting#MAX_FRAGMENTS}). The reference
     * allows 127; up to 255 is an opt-in extension, and the <em>receiver's</em> receive window must
     * then be larger than this value.
     */
    public Builder maxFragments(int fragments) {
      return set(EngineSetting.MAX_FRAGMENTS, fragments);
    }

    /**
     * A custom congestion controller (one new instance per engine), replacing the choice made by
     * {@link #noCongestionWindow(boolean)}. Null restores that choice.
     */
    public Builder congestionControl(Supplier<? extends CongestionControl> supplier) {
      this.congestionControl = supplier;
      return this;
    }

    /** The immutable configuration. */
    public KcpConfig build() {
      return new KcpConfig(this);
    }
  }
}
