package io.kcpj.bench.perf;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.crypt.CryptConfig;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpCodecBuilder;
import io.kcpj.netty.secure.SecureClientLayer;
import io.kcpj.netty.secure.SecureServerLayer;
import java.util.Objects;

/**
 * The datagram layers of {@code kcpj perf} sessions ({@code --fec}, {@code --crypt}, {@code --key},
 * {@code --psk}): kcp-go's FEC (or kcpj's adaptive FEC) and kcp-go's packet encryption, set on the
 * codecs of the client and of the server alike; and kcpj's secure sessions (docs section 12.2 of
 * secure-sessions.md), a {@link SecureServerLayer} / {@link SecureClientLayer} under the unchanged
 * codecs, authenticated by a pre-shared key. Immutable (the key array is not copied: callers hand
 * it over and keep no other use of it).
 *
 * @param fec the FEC every session sends ({@link FecSpec#OFF}: none)
 * @param crypt the codec's packet cipher and key, or null for none
 * @param psk the secure sessions' 32-byte pre-shared key, or null for plain KCP on the wire
 */
public record PerfLayers(FecSpec fec, CryptConfig crypt, byte[] psk) {
  /** Plain KCP: no FEC, no encryption. */
  public static final PerfLayers NONE = new PerfLayers(FecSpec.OFF, null);

  /** Server layer admission: half-open sessions before tokens are demanded; resets per second. */
  static final int SECURE_MAX_HALF_OPEN = 1_000;

  static final int SECURE_RESETS_PER_SECOND = 100;

  public PerfLayers {
    Objects.requireNonNull(fec, "fec");
    if (psk != null && psk.length != 32) {
      throw new IllegalArgumentException("the pre-shared key must be 32 bytes, got " + psk.length);
    }
  }

  /** FEC and packet encryption, no secure sessions. */
  public PerfLayers(FecSpec fec, CryptConfig crypt) {
    this(fec, crypt, null);
  }

  /** These layers with secure sessions keyed by {@code psk} (32 bytes; null: none). */
  public PerfLayers withPsk(byte[] psk) {
    return new PerfLayers(fec, crypt, psk);
  }

  /** Whether the sessions run under kcpj's secure layer. */
  public boolean secure() {
    return psk != null;
  }

  /**
   * The KCP settings to use under these layers: with secure sessions the KCP MTU shrinks by the
   * record overhead ({@link SecureWire#TRANSPORT_OVERHEAD}), so that protected datagrams keep the
   * configured size on the wire.
   */
  public KcpConfig kcpConfig(KcpConfig config) {
    if (psk == null) {
      return config;
    }
    return config.toBuilder().mtu(config.mtu() - SecureWire.TRANSPORT_OVERHEAD).build();
  }

  /** A new server-side secure layer (one per datagram channel), or null without {@code --psk}. */
  public SecureServerLayer newServerLayer() {
    if (psk == null) {
      return null;
    }
    return new SecureServerLayer(
        SecureServerConfig.builder().psk(psk).build(),
        false,
        SECURE_MAX_HALF_OPEN,
        SECURE_RESETS_PER_SECOND);
  }

  /** A new client-side secure layer (one per datagram channel), or null without {@code --psk}. */
  public SecureClientLayer newClientLayer() {
    if (psk == null) {
      return null;
    }
    return new SecureClientLayer(SecureClientConfig.builder().psk(psk).build());
  }

  /** Sets the layers' options on a codec builder. */
  <B extends KcpCodecBuilder<B>> B apply(B builder) {
    builder.option(KcpChannelOption.FEC, fec);
    if (crypt != null) {
      builder.option(KcpChannelOption.CRYPT, crypt);
    }
    return builder;
  }

  /** For reports: {@code fec 10/3, crypt aes}, {@code secure psk} or {@code none}. */
  public String describe() {
    if (!fec.enabled() && crypt == null) {
      return psk == null ? "none" : "secure psk";
    }
    return "fec "
        + fec
        + ", crypt "
        + (crypt == null ? "off" : crypt.method().kcptunName())
        + (psk == null ? "" : ", secure psk");
  }
}
