package io.kcpj.netty;

import io.kcpj.core.KcpConfig;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the server and client codec builders share: session options (applied to every session in
 * the order given), attributes, the session listener and the session limit. Not thread-safe; a
 * builder may build several codecs (one per datagram channel), each with a copy of its settings.
 *
 * @param <B> the concrete builder
 */
public abstract class KcpCodecBuilder<B extends KcpCodecBuilder<B>> {
  /** Default of {@link KcpChannelOption#MAX_SESSIONS}. */
  public static final int DEFAULT_MAX_SESSIONS = 10_000;

  final Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
  final Map<AttributeKey<?>, Object> attrs = new LinkedHashMap<>();
  KcpSessionListener listener;
  int maxSessions = DEFAULT_MAX_SESSIONS;

  KcpCodecBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Sets an option of every session ({@link KcpChannelOption}s or Netty's own, e.g. {@code
   * ALLOCATOR}, {@code AUTO_READ}); {@link KcpChannelOption#MAX_SESSIONS} sets the codec's limit.
   * The value is validated now.
   *
   * @throws IllegalArgumentException if the value is out of the option's range
   */
  public <T> B option(ChannelOption<T> option, T value) {
    Objects.requireNonNull(option, "option");
    option.validate(value);
    if (option == KcpChannelOption.MAX_SESSIONS) {
      maxSessions = (Integer) value;
    } else {
      if (EngineOptions.isEngineOption(option)) {
        EngineOptions.with(KcpConfig.classic(), option, value); // throws if kcp-core refuses it
      }
      options.remove(option); // re-setting moves it to the end: last one wins in order
      options.put(option, value);
    }
    return self();
  }

  /** All engine knobs from a kcp-core preset: {@code option(KcpChannelOption.KCP_CONFIG, c)}. */
  public B config(KcpConfig config) {
    return option(KcpChannelOption.KCP_CONFIG, Objects.requireNonNull(config, "config"));
  }

  /** The most sessions open at once ({@link KcpChannelOption#MAX_SESSIONS}). */
  public B maxSessions(int max) {
    return option(KcpChannelOption.MAX_SESSIONS, max);
  }

  /** An attribute set on every session's channel. */
  public <T> B attr(AttributeKey<T> key, T value) {
    attrs.put(Objects.requireNonNull(key, "key"), value);
    return self();
  }

  /** Observes every session open and close and every dropped datagram. */
  public B sessionListener(KcpSessionListener listener) {
    this.listener = listener;
    return self();
  }

  CodecSettings settings(io.netty.channel.ChannelHandler childHandler, long defaultIdleTimeoutMillis) {
    Map<ChannelOption<?>, Object> opts = new LinkedHashMap<>();
    opts.put(KcpChannelOption.IDLE_TIMEOUT_MILLIS, defaultIdleTimeoutMillis);
    opts.putAll(options);
    return new CodecSettings(opts, attrs, childHandler,
        listener, maxSessions);
  }
}
