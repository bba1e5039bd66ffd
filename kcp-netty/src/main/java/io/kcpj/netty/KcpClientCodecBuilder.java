package io.kcpj.netty;

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
 */
public final class KcpClientCodecBuilder extends KcpCodecBuilder<KcpClientCodecBuilder> {
  /** Default {@link KcpChannelOption#PAD_UNTIL_ANSWERED} of client sessions (QUIC's minimum). */
  public static final int DEFAULT_PAD_UNTIL_ANSWERED = 1200;

  /** A new codec for one datagram channel. */
  public KcpClientCodec build() {
    return new KcpClientCodec(settings(null, false));
  }
}
