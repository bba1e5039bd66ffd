package io.kcpj.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Opens a client {@link KcpChannel} over a datagram channel whose pipeline holds a {@link
 * KcpClientCodec}. Obtain one with {@link KcpChannel#newBootstrap(Channel)}.
 *
 * <pre>{@code
 * KcpChannel ch = KcpChannel.newBootstrap(udp)
 *     .remoteAddress(new InetSocketAddress("127.0.0.1", 4000))
 *     .conv(42)                       // optional: random non-zero otherwise
 *     .option(KcpChannelOption.KCP_CONFIG, KcpConfig.fast())
 *     .handler(new MyHandler())
 *     .connect().sync().getNow();
 * }</pre>
 *
 * KCP has no handshake: the returned channel is active at once, and the server creates its side
 * when the first message arrives. Under a {@link KcpSessionLayer} (kcpj's secure sessions) the
 * future completes, with an active channel, only when the layer established the session, and fails
 * with a {@link KcpConnectException} when it could not; bound the wait yourself if the layer's own
 * timeout (10 s for a secure handshake) is too long. Not thread-safe; {@link #connect()} may be
 * called from any thread and may be called several times (each call opens a new conversation).
 */
public final class KcpChannelBootstrap {
  private final Channel datagramChannel;
  private final Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
  private final Map<AttributeKey<?>, Object> attrs = new LinkedHashMap<>();
  private InetSocketAddress remote;
  private Integer conv;
  private ChannelHandler handler;

  KcpChannelBootstrap(Channel datagramChannel) {
    this.datagramChannel = Objects.requireNonNull(datagramChannel, "datagramChannel");
  }

  /** The server's address (required). */
  public KcpChannelBootstrap remoteAddress(InetSocketAddress remote) {
    this.remote = Objects.requireNonNull(remote, "remote");
    return this;
  }

  /** The conversation id; by default a random non-zero one unused with this remote. */
  public KcpChannelBootstrap conv(int conv) {
    this.conv = conv;
    return this;
  }

  /** The handler of the session's pipeline (required). */
  public KcpChannelBootstrap handler(ChannelHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * An option of this session, validated now. The session applies the codec's options first (in the
   * order they were set on its builder), then the bootstrap's (in the order set here), so any
   * bootstrap option wins over any codec option: e.g. a bootstrap's {@link
   * KcpChannelOption#KCP_CONFIG} replaces every engine setting the codec set, including an
   * individual option set on the codec after its own {@code KCP_CONFIG}. Setting the same option
   * again moves it to the end.
   *
   * @throws IllegalArgumentException for an invalid value, or a {@linkplain
   *     KcpChannelOption#isCodecOption() codec option} (set those on the codec's builder)
   */
  public <T> KcpChannelBootstrap option(ChannelOption<T> option, T value) {
    Objects.requireNonNull(option, "option");
    option.validate(value);
    if (option instanceof KcpChannelOption && ((KcpChannelOption<?>) option).isCodecOption()) {
      throw new IllegalArgumentException(
          option.name()
              + " is a codec option (it covers every session of a datagram channel): set it on the"
              + " codec builder");
    }
    options.remove(option);
    options.put(option, value);
    return this;
  }

  /** An attribute of the session's channel. */
  public <T> KcpChannelBootstrap attr(AttributeKey<T> key, T value) {
    attrs.put(Objects.requireNonNull(key, "key"), value);
    return this;
  }

  /**
   * Opens the session on the datagram channel's event loop. The future fails if no {@link
   * KcpClientCodec} is in the pipeline, the datagram channel is not active (or closes while a
   * session layer establishes the session), the session limit is reached, the (remote, conv) pair
   * is already in use, or a session layer could not establish the session ({@link
   * KcpConnectException}). Cancelling a pending future ends the layer's session when it completes.
   */
  public Future<KcpChannel> connect() {
    Promise<KcpChannel> promise = datagramChannel.eventLoop().newPromise();
    if (remote == null || handler == null) {
      return promise.setFailure(
          new IllegalStateException("remoteAddress(...) and handler(...) must be set"));
    }
    KcpClientCodec codec = datagramChannel.pipeline().get(KcpClientCodec.class);
    if (codec == null) {
      return promise.setFailure(
          new IllegalStateException("no KcpClientCodec in the pipeline of " + datagramChannel));
    }
    InetSocketAddress r = remote;
    Integer c = conv;
    ChannelHandler h = handler;
    Map<ChannelOption<?>, Object> o = new LinkedHashMap<>(options);
    Map<AttributeKey<?>, Object> a = new LinkedHashMap<>(attrs);
    if (datagramChannel.eventLoop().inEventLoop()) {
      codec.connect(r, c, h, o, a, promise);
    } else {
      datagramChannel.eventLoop().execute(() -> codec.connect(r, c, h, o, a, promise));
    }
    return promise;
  }
}
