package io.kcpj.bench.perf;

import io.kcpj.core.crypt.CryptConfig;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpCodecBuilder;
import java.util.Objects;

/**
 * The datagram layers of {@code kcpj perf} sessions ({@code --fec}, {@code --crypt}, {@code
 * --key}): kcp-go's FEC (or kcpj's adaptive FEC) and kcp-go's packet encryption, set on the codecs
 * of the client and of the server alike. Immutable.
 *
 * @param fec the FEC every session sends ({@link FecSpec#OFF}: none)
 * @param crypt the codec's packet cipher and key, or null for none
 */
public record PerfLayers(FecSpec fec, CryptConfig crypt) {
  /** Plain KCP: no FEC, no encryption. */
  public static final PerfLayers NONE = new PerfLayers(FecSpec.OFF, null);

  public PerfLayers {
    Objects.requireNonNull(fec, "fec");
  }

  /** Sets the layers' options on a codec builder. */
  <B extends KcpCodecBuilder<B>> B apply(B builder) {
    builder.option(KcpChannelOption.FEC, fec);
    if (crypt != null) {
      builder.option(KcpChannelOption.CRYPT, crypt);
    }
    return builder;
  }

  /** For reports: {@code fec 10/3, crypt aes} or {@code none}. */
  public String describe() {
    if (!fec.enabled() && crypt == null) {
      return "none";
    }
    return "fec " + fec + ", crypt " + (crypt == null ? "off" : crypt.method().kcptunName());
  }
}
