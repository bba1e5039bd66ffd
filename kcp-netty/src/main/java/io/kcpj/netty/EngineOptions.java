package io.kcpj.netty;

import io.kcpj.core.KcpConfig;
import io.netty.channel.ChannelOption;

/** Maps an engine {@link KcpChannelOption} onto a new immutable {@link KcpConfig}. */
final class EngineOptions {
  private EngineOptions() {}

  static boolean isEngineOption(ChannelOption<?> option) {
    return option instanceof KcpChannelOption
        && option != KcpChannelOption.IDLE_TIMEOUT_MILLIS
        && option != KcpChannelOption.CLOSE_TIMEOUT_MILLIS
        && option != KcpChannelOption.SEND_QUEUE_WATER_MARK
        && option != KcpChannelOption.SEND_QUEUE_CAP
        && option != KcpChannelOption.MAX_SESSIONS;
  }

  /** {@code base} with {@code option} set to {@code value} (validated by kcp-core's builder). */
  static KcpConfig with(KcpConfig base, ChannelOption<?> option, Object value) {
    if (option == KcpChannelOption.KCP_CONFIG) {
      return (KcpConfig) value;
    }
    KcpConfig.Builder b = base.toBuilder();
    if (option == KcpChannelOption.NODELAY) {
      b.noDelay((Integer) value);
    } else if (option == KcpChannelOption.INTERVAL) {
      b.interval((Integer) value);
    } else if (option == KcpChannelOption.FAST_RESEND) {
      b.fastResend((Integer) value);
    } else if (option == KcpChannelOption.NO_CONGESTION_WINDOW) {
      b.noCongestionWindow((Boolean) value);
    } else if (option == KcpChannelOption.SEND_WINDOW) {
      b.sendWindow((Integer) value);
    } else if (option == KcpChannelOption.RECEIVE_WINDOW) {
      b.receiveWindow((Integer) value);
    } else if (option == KcpChannelOption.MTU) {
      b.mtu((Integer) value);
    } else if (option == KcpChannelOption.STREAM_MODE) {
      b.streamMode((Boolean) value);
    } else if (option == KcpChannelOption.DEAD_LINK) {
      b.deadLink((Integer) value);
    } else if (option == KcpChannelOption.MIN_RTO) {
      b.minRto((Integer) value);
    } else if (option == KcpChannelOption.FAST_LIMIT) {
      b.fastLimit((Integer) value);
    } else if (option == KcpChannelOption.MAX_FRAGMENTS) {
      b.maxFragments((Integer) value);
    } else {
      throw new IllegalArgumentException("not an engine option: " + option);
    }
    return b.build();
  }
}
