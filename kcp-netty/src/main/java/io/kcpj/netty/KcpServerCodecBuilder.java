package io.kcpj.netty;

import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.secure.SecureServerLayer;
import io.netty.channel.ChannelHandler;
import java.util.Objects;

/**
 * Builds a {@link KcpServerCodec}: add it to a bound datagram channel's pipeline, and each new
 * (address, conv) that opens a conversation becomes a {@link KcpChannel} whose pipeline gets {@link
 * #handler(ChannelHandler)} (usually a {@code ChannelInitializer<KcpChannel>}).
 *
 * <pre>{@code
 * ChannelHandler codec = new KcpServerCodecBuilder()
 *     .config(KcpConfig.fast())
 *     .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 30_000L)
 *     .handler(new ChannelInitializer<KcpChannel>() {
 *       protected void initChannel(KcpChannel ch) { ch.pipeline().addLast(new EchoHandler()); }
 *     })
 *     .build();
 * new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec).bind(4000);
 * }</pre>
 *
 * The server's idle timeout defaults to {@value #DEFAULT_IDLE_TIMEOUT_MILLIS} ms, its no-progress
 * timeout to {@value #DEFAULT_NO_PROGRESS_TIMEOUT_MILLIS} ms; the server's admission rules and
 * memory budget are described in {@link KcpServerCodec}.
 *
 * <p><b>Secure sessions.</b> {@link #secure(SecureServerConfig)} makes every codec built here
 * install a {@link SecureServerLayer} in front of itself when it is added to a pipeline, and lower
 * each session's KCP MTU by the record's {@value SecureWire#TRANSPORT_OVERHEAD} bytes, so that
 * {@code KCP_MTU} stays the size of datagrams on the wire. {@link #secureRequireToken}, {@link
 * #secureMaxHalfOpen} and {@link #secureResetsPerSecond} tune the layer's admission.
 */
public final class KcpServerCodecBuilder extends KcpCodecBuilder<KcpServerCodecBuilder> {
  /** Default {@link KcpChannelOption#IDLE_TIMEOUT_MILLIS} of server sessions. */
  public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;

  /** Default {@link KcpChannelOption#NO_PROGRESS_TIMEOUT_MILLIS} of server sessions. */
  public static final long DEFAULT_NO_PROGRESS_TIMEOUT_MILLIS = 60_000;

  /** Default of {@link #secureMaxHalfOpen}. */
  public static final int DEFAULT_SECURE_MAX_HALF_OPEN = 1_000;

  /** Default of {@link #secureResetsPerSecond}. */
  public static final int DEFAULT_SECURE_RESETS_PER_SECOND = 100;

  private ChannelHandler handler;
  private SecureServerConfig secure;
  private boolean secureRequireToken;
  private int secureMaxHalfOpen = DEFAULT_SECURE_MAX_HALF_OPEN;
  private int secureResetsPerSecond = DEFAULT_SECURE_RESETS_PER_SECOND;
  private String secureAdmissionSetBy;

  /** The handler added to every new session's pipeline (it must be sharable, or an initializer). */
  public KcpServerCodecBuilder handler(ChannelHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * Secure sessions (docs/secure-sessions.md): each codec built here adds a new {@link
   * SecureServerLayer} with {@code config} before itself in its datagram channel's pipeline when it
   * is added there, and every session's engine MTU is {@code KCP_MTU} less {@value
   * SecureWire#TRANSPORT_OVERHEAD} bytes. Clients must use secure sessions too: plain KCP is
   * dropped. Do not also add a layer by hand.
   *
   * <p>Checked at {@link #build()}: not combined with {@link KcpChannelOption#CRYPT} (the records
   * already encrypt and authenticate every datagram), not combined with FEC (the layers match the
   * codec's datagrams to sessions by their conv, which FEC's header hides), and a {@code KCP_MTU}
   * that leaves KCP at least its minimum after the record's bytes.
   *
   * @param config the server's keys and timers (shared by the layers of every codec built here)
   */
  public KcpServerCodecBuilder secure(SecureServerConfig config) {
    this.secure = Objects.requireNonNull(config, "config");
    return this;
  }

  /**
   * Whether every client must first echo an address validation token (a RETRY round trip) before
   * the server keeps any state for it; off by default, when tokens are demanded only above {@link
   * #secureMaxHalfOpen} half-open sessions. Needs {@link #secure(SecureServerConfig)}.
   */
  public KcpServerCodecBuilder secureRequireToken(boolean requireToken) {
    this.secureRequireToken = requireToken;
    secureAdmissionSetBy = "secureRequireToken";
    return this;
  }

  /**
   * Half-open secure sessions (handshake answered, not yet confirmed by the client) above which new
   * clients must echo an address validation token first; default {@value
   * #DEFAULT_SECURE_MAX_HALF_OPEN}. 0 demands one always. Needs {@link
   * #secure(SecureServerConfig)}.
   *
   * @throws IllegalArgumentException if negative
   */
  public KcpServerCodecBuilder secureMaxHalfOpen(int maxHalfOpen) {
    if (maxHalfOpen < 0) {
      throw new IllegalArgumentException("secureMaxHalfOpen must be >= 0, got " + maxHalfOpen);
    }
    this.secureMaxHalfOpen = maxHalfOpen;
    secureAdmissionSetBy = "secureMaxHalfOpen";
    return this;
  }

  /**
   * Stateless resets sent at most per second, in answer to records for sessions this server does
   * not hold (after a restart); default {@value #DEFAULT_SECURE_RESETS_PER_SECOND}. 0 sends none.
   * Needs {@link #secure(SecureServerConfig)}.
   *
   * @throws IllegalArgumentException if negative
   */
  public KcpServerCodecBuilder secureResetsPerSecond(int resetsPerSecond) {
    if (resetsPerSecond < 0) {
      throw new IllegalArgumentException(
          "secureResetsPerSecond must be >= 0, got " + resetsPerSecond);
    }
    this.secureResetsPerSecond = resetsPerSecond;
    secureAdmissionSetBy = "secureResetsPerSecond";
    return this;
  }

  /**
   * A new codec for one datagram channel.
   *
   * @throws IllegalStateException if no {@link #handler} was set
   * @throws IllegalArgumentException if the secure-session settings conflict with the others (see
   *     {@link #secure(SecureServerConfig)})
   */
  public KcpServerCodec build() {
    if (handler == null) {
      throw new IllegalStateException("handler(...) must be set: it initialises each session");
    }
    if (secure == null && secureAdmissionSetBy != null) {
      throw new IllegalArgumentException(
          secureAdmissionSetBy
              + "(...) needs secure(SecureServerConfig): it tunes secure sessions");
    }
    if (secure == null) {
      sessionLayer = null;
    } else {
      SecureServerConfig config = secure;
      boolean requireToken = secureRequireToken;
      int maxHalfOpen = secureMaxHalfOpen;
      int resetsPerSecond = secureResetsPerSecond;
      sessionLayer =
          () -> new SecureServerLayer(config, requireToken, maxHalfOpen, resetsPerSecond);
      sessionLayerOverhead = SecureWire.TRANSPORT_OVERHEAD;
    }
    return new KcpServerCodec(settings(handler, true));
  }
}
