package io.kcpj.bench.compare;

import io.kcpj.core.KcpConfig;
import java.util.Objects;

/**
 * A KCP configuration under comparison: its report name, the engine settings, and whether the
 * application flushes right after each send (as kcp-go's and kcp-netty's writes do) or leaves the
 * data for the next periodic flush (as the C reference's test program does).
 */
public record KcpTransport(String name, KcpConfig config, boolean flushOnSend) {
  public KcpTransport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    if (config.streamMode()) {
      throw new IllegalArgumentException(
          "transport " + name + ": the comparison exchanges messages; stream mode is not supported");
    }
  }

  /** A named preset ({@code classic}, {@code normal}, {@code fast}, …) reported as {@code kcp-NAME}. */
  public static KcpTransport preset(String preset) {
    return new KcpTransport("kcp-" + preset, KcpConfig.preset(preset), true);
  }

  /**
   * Parses {@code [name:]spec}: e.g. {@code mine:nodelay=1,interval=10,resend=2,nc=true,wnd=256}
   * or a bare spec such as {@code fast,wnd=256}. A bare spec is named {@code kcp-<spec>}.
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
      name = "kcp-" + t.replace(',', '-').replace("=", "");
    }
    return new KcpTransport(name, KcpConfig.parse(spec), true);
  }

  /** The same transport with a different flush policy. */
  public KcpTransport withFlushOnSend(boolean flush) {
    return new KcpTransport(name, config, flush);
  }
}
