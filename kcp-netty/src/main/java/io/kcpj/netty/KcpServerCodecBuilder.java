package io.kcpj.netty;

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
 */
public final class KcpServerCodecBuilder extends KcpCodecBuilder<KcpServerCodecBuilder> {
  /** Default {@link KcpChannelOption#IDLE_TIMEOUT_MILLIS} of server sessions. */
  public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;

  /** Default {@link KcpChannelOption#NO_PROGRESS_TIMEOUT_MILLIS} of server sessions. */
  public static final long DEFAULT_NO_PROGRESS_TIMEOUT_MILLIS = 60_000;

  private ChannelHandler handler;

  /** The handler added to every new session's pipeline (it must be sharable, or an initializer). */
  public KcpServerCodecBuilder handler(ChannelHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /** A new codec for one datagram channel. */
  public KcpServerCodec build() {
    if (handler == null) {
      throw new IllegalStateException("handler(...) must be set: it initialises each session");
    }
    return new KcpServerCodec(settings(handler, true));
  }
}
