package io.kcpj.bench.perf;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.crypt.CryptConfig;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.core.secure.noise.X25519KeyPair;
import io.kcpj.netty.KcpChannelOption;
import io.kcpj.netty.KcpCodecBuilder;
import io.kcpj.netty.secure.SecureClientLayer;
import io.kcpj.netty.secure.SecureServerLayer;
import java.util.Objects;

/**
 * The datagram layers of {@code kcpj perf} sessions ({@code --fec}, {@code --crypt}, {@code --key},
 * {@code --psk}, {@code --server-key}, {@code --pin}): kcp-go's FEC (or kcpj's adaptive FEC) and
 * kcp-go's packet encryption, set on the codecs of the client and of the server alike; and kcpj's
 * secure sessions (docs section 12.2 of secure-sessions.md), a {@link SecureServerLayer} / {@link
 * SecureClientLayer} under the unchanged codecs, authenticated by a pre-shared key, by the server's
 * static X25519 key that the client pins, or by both (Noise {@code NNpsk0}, {@code NK}, {@code
 * NKpsk0}). Secure sessions exclude FEC and packet encryption (the constructor refuses both
 * together). Immutable (key arrays are not copied: callers hand them over and keep no other use of
 * them).
 *
 * @param fec the FEC every session sends ({@link FecSpec#OFF}: none)
 * @param crypt the codec's packet cipher and key, or null for none
 * @param psk the secure sessions' 32-byte pre-shared key, or null
 * @param serverKey a server's 32-byte static X25519 private key, or null (servers only)
 * @param pin the server's 32-byte static X25519 public key a client pins, or null (clients only)
 */
public record PerfLayers(FecSpec fec, CryptConfig crypt, byte[] psk, byte[] serverKey, byte[] pin) {
  /** Plain KCP: no FEC, no encryption. */
  public static final PerfLayers NONE = new PerfLayers(FecSpec.OFF, null);

  /** Server layer admission: half-open sessions before tokens are demanded; resets per second. */
  static final int SECURE_MAX_HALF_OPEN = 1_000;

  static final int SECURE_RESETS_PER_SECOND = 100;

  public PerfLayers {
    Objects.requireNonNull(fec, "fec");
    check("pre-shared key", psk);
    check("server key", serverKey);
    check("pinned server public key", pin);
    if ((psk != null || serverKey != null || pin != null) && (fec.enabled() || crypt != null)) {
      throw new IllegalArgumentException(COMBINATION);
    }
  }

  /** Why secure sessions and kcp-go's layers are refused together (the CLI's one line). */
  static final String COMBINATION =
      "secure sessions (--psk, --server-key, --pin) cannot be combined with --fec or --crypt:"
          + " they encrypt and authenticate every datagram themselves and do not carry FEC yet";

  private static void check(String what, byte[] key) {
    if (key != null && key.length != 32) {
      throw new IllegalArgumentException("the " + what + " must be 32 bytes, got " + key.length);
    }
  }

  /** FEC and packet encryption, no secure sessions. */
  public PerfLayers(FecSpec fec, CryptConfig crypt) {
    this(fec, crypt, null, null, null);
  }

  /** These layers with secure sessions keyed by {@code psk} (32 bytes; null: none). */
  public PerfLayers withPsk(byte[] psk) {
    return new PerfLayers(fec, crypt, psk, serverKey, pin);
  }

  /** These layers with the server's static private key {@code key} (32 bytes; null: none). */
  public PerfLayers withServerKey(byte[] key) {
    return new PerfLayers(fec, crypt, psk, key, pin);
  }

  /** These layers with the client pinning the server's public key {@code key} (null: none). */
  public PerfLayers withPin(byte[] key) {
    return new PerfLayers(fec, crypt, psk, serverKey, key);
  }

  /** Whether the sessions run under kcpj's secure layer. */
  public boolean secure() {
    return psk != null || serverKey != null || pin != null;
  }

  /** The server's static public key ({@code --server-key}'s), or null without one. */
  public byte[] serverPublicKey() {
    return serverKey == null ? null : X25519KeyPair.fromPrivateKey(serverKey).publicKey();
  }

  /**
   * The KCP settings to use under these layers: with secure sessions the KCP MTU shrinks by the
   * record overhead ({@link SecureWire#TRANSPORT_OVERHEAD}), so that protected datagrams keep the
   * configured size on the wire.
   */
  public KcpConfig kcpConfig(KcpConfig config) {
    if (!secure()) {
      return config;
    }
    return config.toBuilder().mtu(config.mtu() - SecureWire.TRANSPORT_OVERHEAD).build();
  }

  /**
   * A new server-side secure layer (one per datagram channel), or null without {@code --psk} and
   * {@code --server-key}.
   */
  public SecureServerLayer newServerLayer() {
    if (psk == null && serverKey == null) {
      return null;
    }
    SecureServerConfig.Builder b = SecureServerConfig.builder();
    if (psk != null) {
      b.psk(psk);
    }
    if (serverKey != null) {
      b.staticKeyPair(X25519KeyPair.fromPrivateKey(serverKey));
    }
    return new SecureServerLayer(b.build(), false, SECURE_MAX_HALF_OPEN, SECURE_RESETS_PER_SECOND);
  }

  /**
   * A new client-side secure layer (one per datagram channel), or null without {@code --psk} and
   * {@code --pin}.
   */
  public SecureClientLayer newClientLayer() {
    if (psk == null && pin == null) {
      return null;
    }
    return new SecureClientLayer(clientConfig());
  }

  /** The client's secure configuration (suite {@code NNpsk0}, {@code NK} or {@code NKpsk0}). */
  SecureClientConfig clientConfig() {
    SecureClientConfig.Builder b = SecureClientConfig.builder();
    if (psk != null) {
      b.psk(psk);
    }
    if (pin != null) {
      b.serverPublicKey(pin);
    }
    return b.build();
  }

  /** The Noise pattern these keys select: {@code psk}, {@code nk} or {@code nkpsk0}. */
  private String secureName() {
    boolean s = serverKey != null || pin != null;
    return "secure " + (psk != null && s ? "nkpsk0" : s ? "nk" : "psk");
  }

  /**
   * For reports: {@code fec 10/3, crypt aes}, {@code secure psk}, {@code secure nk}, {@code secure
   * nkpsk0} or {@code none}.
   */
  public String describe() {
    if (!fec.enabled() && crypt == null) {
      return secure() ? secureName() : "none";
    }
    return "fec "
        + fec
        + ", crypt "
        + (crypt == null ? "off" : crypt.method().kcptunName())
        + (secure() ? ", " + secureName() : "");
  }

  /** Sets the layers' options on a codec builder. */
  <B extends KcpCodecBuilder<B>> B apply(B builder) {
    builder.option(KcpChannelOption.FEC, fec);
    if (crypt != null) {
      builder.option(KcpChannelOption.CRYPT, crypt);
    }
    return builder;
  }
}
