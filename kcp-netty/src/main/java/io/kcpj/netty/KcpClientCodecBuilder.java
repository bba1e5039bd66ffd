package io.kcpj.netty;

import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.netty.secure.SecureClientLayer;
import java.util.Objects;

/**
 * Builds a {@link KcpClientCodec}: add it to a datagram channel's pipeline, then open conversations
 * with {@link KcpChannel#newBootstrap(io.netty.channel.Channel)}. Options set here apply to every
 * conversation; a bootstrap's own options are applied after them.
 *
 * <pre>{@code
 * KcpClientCodec codec = new KcpClientCodecBuilder().config(KcpConfig.fast()).build();
 * Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
 *     .handler(codec).bind(0).sync().channel();
 * KcpChannel ch = KcpChannel.newBootstrap(udp).remoteAddress(server)
 *     .handler(new MyHandler()).connect().sync().getNow();
 * }</pre>
 *
 * Client sessions have no idle or no-progress timeout by default, and are validated from the start
 * (the client chose its peer); the {@linkplain KcpChannelOption#MEMORY_BUDGET memory budget}
 * applies as on a server. Until the server first sends data, a client session pads its datagrams to
 * {@value #DEFAULT_PAD_UNTIL_ANSWERED} bytes ({@link KcpChannelOption#PAD_UNTIL_ANSWERED}), so that
 * a server's anti-amplification limit lets a first answer of up to three times that through.
 *
 * <p><b>Secure sessions.</b> {@link #secure(SecureClientConfig)} makes every codec built here
 * install a {@link SecureClientLayer} in front of itself and lower each session's KCP MTU by the
 * record's {@value SecureWire#TRANSPORT_OVERHEAD} bytes; a connect then completes when the
 * handshake does.
 */
public final class KcpClientCodecBuilder extends KcpCodecBuilder<KcpClientCodecBuilder> {
  /** Default {@link KcpChannelOption#PAD_UNTIL_ANSWERED} of client sessions (QUIC's minimum). */
  public static final int DEFAULT_PAD_UNTIL_ANSWERED = 1200;

  private SecureClientConfig secure;

  /**
   * Secure sessions (docs/secure-sessions.md): each codec built here adds a new {@link
   * SecureClientLayer} with {@code config} before itself in its datagram channel's pipeline when it
   * is added there, and every session's engine MTU is {@code KCP_MTU} less {@value
   * SecureWire#TRANSPORT_OVERHEAD} bytes. A connect completes when the handshake does, or fails
   * with a {@link KcpConnectException}. Do not also add a layer by hand.
   *
   * <p>Checked at {@link #build()}: not combined with {@link KcpChannelOption#CRYPT} (the records
   * already encrypt and authenticate every datagram), not combined with FEC (the layers match the
   * codec's datagrams to sessions by their conv, which FEC's header hides), and a {@code KCP_MTU}
   * that leaves KCP at least its minimum after the record's bytes. (A bootstrap's own {@code
   * KCP_MTU} is applied later: a session whose MTU leaves too little runs at KCP's minimum.)
   *
   * @param config the client's keys and timers (shared by the layers of every codec built here)
   */
  public KcpClientCodecBuilder secure(SecureClientConfig config) {
    this.secure = Objects.requireNonNull(config, "config");
    return this;
  }

  /**
   * A new codec for one datagram channel.
   *
   * @throws IllegalArgumentException if the secure-session settings conflict with the others (see
   *     {@link #secure(SecureClientConfig)})
   */
  public KcpClientCodec build() {
    if (secure == null) {
      sessionLayer = null;
    } else {
      SecureClientConfig config = secure;
      sessionLayer = () -> new SecureClientLayer(config);
      sessionLayerOverhead = SecureWire.TRANSPORT_OVERHEAD;
    }
    return new KcpClientCodec(settings(null, false));
  }
}
