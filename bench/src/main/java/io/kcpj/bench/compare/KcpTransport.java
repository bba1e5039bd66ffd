package io.kcpj.bench.compare;

import io.kcpj.core.EngineSetting;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.fec.FecSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A KCP configuration under comparison: its report name, the engine settings, and how the
 * application drives the engine.
 *
 * <p>{@code eager} (the default) drives it as kcp-netty does: a write is flushed at once, the
 * engine is flushed after every batch of input (ACKs leave without waiting for the interval), and a
 * segment due for retransmission is sent when due rather than at the next interval tick. Not eager
 * drives it as the C reference's test program does: {@code update} at the {@code check} deadlines
 * only, so data and ACKs wait for the next interval flush.
 *
 * <p>{@code fec} is the FEC both ends send ({@link FecSpec}: off, kcp-go's {@code 10/3}, kcpj's
 * adaptive {@code 10/1-3} or {@code 10/1-3@20ms}); a spec takes it as {@code fec=...}.
 *
 * <p>{@code secure} runs kcpj's secure sessions under both engines ({@link SecureSpec}; null: plain
 * KCP on the wire), outside FEC as in kcp-netty; a spec takes it as {@code secure=psk} (or {@code
 * nk}, {@code nkpsk0}, with {@code -chacha} for ChaCha20-Poly1305). Virtual runs only.
 */
public record KcpTransport(
    String name, KcpConfig config, boolean eager, FecSpec fec, SecureSpec secure) {
  public KcpTransport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(fec, "fec");
    if (config.streamMode()) {
      throw new IllegalArgumentException(
          "transport "
              + name
              + ": the comparison exchanges messages; stream mode is not supported");
    }
  }

  /** Without FEC. */
  public KcpTransport(String name, KcpConfig config, boolean eager) {
    this(name, config, eager, FecSpec.OFF, null);
  }

  /** Without secure sessions. */
  public KcpTransport(String name, KcpConfig config, boolean eager, FecSpec fec) {
    this(name, config, eager, fec, null);
  }

  /**
   * A named preset ({@code classic}, {@code normal}, {@code fast}, …) reported as {@code kcp-NAME}.
   */
  public static KcpTransport preset(String preset) {
    return new KcpTransport("kcp-" + preset, KcpConfig.preset(preset), true);
  }

  /**
   * Parses {@code [name:]spec}: e.g. {@code mine:nodelay=1,interval=10,resend=2,nc=true,wnd=256} or
   * a bare spec such as {@code fast,wnd=256}. A bare spec is named {@code kcp-<spec>}. A {@code
   * fec=} entry anywhere in the spec sets the FEC ({@link FecSpec#parse}), e.g. {@code
   * fast,fec=10/3} or {@code fast,fec=10/1-3@20ms}; a {@code secure=} entry turns on secure
   * sessions ({@link SecureSpec#parse}), e.g. {@code game,secure=psk}, and a bare spec's name then
   * ends in the spec's label instead ({@code kcp-game+secure}); the rest is the engine's {@link
   * KcpConfig#parse}.
   */
  public static KcpTransport parse(String text) {
    String t = text.trim();
    int colon = t.indexOf(':');
    String name;
    String spec;
    if (colon > 0 && !t.substring(0, colon).contains("=")) {
      name = t.substring(0, colon);
      spec = t.substring(colon + 1);
    } else {
      spec = t;
      name = null;
    }
    FecSpec fec = FecSpec.OFF;
    SecureSpec secure = null;
    List<String> engine = new ArrayList<>();
    List<String> named = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.startsWith("fec=")) {
        fec = FecSpec.parse(p.substring(4));
        named.add(p);
      } else if (p.startsWith("secure=")) {
        secure = SecureSpec.parse(p.substring(7));
      } else {
        engine.add(p);
        named.add(p);
      }
    }
    if (name == null) {
      name =
          "kcp-"
              + (named.isEmpty() ? "classic" : String.join("-", named).replace("=", ""))
              + (secure == null ? "" : secure.label());
    }
    String engineSpec = engine.isEmpty() ? "classic" : String.join(",", engine);
    return new KcpTransport(name, KcpConfig.parse(engineSpec), true, fec, secure);
  }

  /**
   * The spec {@link #parse} reads back to this transport's settings (without its name): the
   * engine's {@code KcpConfig} text, then {@code fec=} when FEC is on and {@code secure=} with
   * secure sessions.
   */
  public String spec() {
    return config.toString()
        + (fec.enabled() ? ",fec=" + fec : "")
        + (secure == null ? "" : ",secure=" + secure);
  }

  /**
   * Whether this transport can deliver messages as {@code d} asks. KCP delivers reliably and in
   * order; unordered and sequenced delivery need the engine's delivery extension ({@code
   * xdelivery=true}, on in the {@code game} preset).
   */
  public boolean supports(Delivery d) {
    return d == Delivery.ORDERED || config.get(EngineSetting.DELIVERY_EXTENSION);
  }

  /**
   * The compact settings text the reports show: the four {@code ikcp_nodelay} knobs always, then
   * every other setting that differs from the reference defaults, e.g. {@code
   * nodelay=1,interval=10,resend=2,nc=true} or {@code nodelay=0,...,sndwnd=128,rcvwnd=128}.
   */
  public String compactSettings() {
    java.util.Map<String, String> mine = config.asMap();
    java.util.Map<String, String> defaults = KcpConfig.classic().asMap();
    java.util.List<String> always = java.util.List.of("nodelay", "interval", "resend", "nc");
    StringBuilder sb = new StringBuilder();
    for (java.util.Map.Entry<String, String> e : mine.entrySet()) {
      if (always.contains(e.getKey()) || !e.getValue().equals(defaults.get(e.getKey()))) {
        sb.append(sb.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
      }
    }
    if (config.toString().contains(",cc=")) {
      sb.append(",cc=custom");
    }
    if (fec.enabled()) {
      sb.append(",fec=").append(fec);
    }
    if (secure != null) {
      sb.append(",secure=").append(secure);
    }
    return sb.toString();
  }

  /** The same transport driven eagerly (kcp-netty) or as the reference's test loop. */
  public KcpTransport withEager(boolean eager) {
    return new KcpTransport(name, config, eager, fec, secure);
  }
}
