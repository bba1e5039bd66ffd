package io.kcpj.netty;

import io.kcpj.core.Kcp;
import io.kcpj.core.KcpConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.WriteBufferWaterMark;
import java.util.Map;

/**
 * The configuration of one {@link KcpChannel}: Netty's usual options plus the {@link
 * KcpChannelOption}s (engine knobs and session policy).
 *
 * <p>Engine options changed on a live channel are applied to its engine as kcp-core's setters would
 * (see {@link Kcp#apply(KcpConfig)}), and the session's timers are re-armed (a shorter idle timeout
 * or interval takes effect at once). Any thread may change options: off the event loop the change
 * reaches the engine by a task on the event loop, so it never races with it.
 */
public final class KcpChannelConfig extends DefaultChannelConfig {
  static final WriteBufferWaterMark DEFAULT_SEND_QUEUE_WATER_MARK =
      new WriteBufferWaterMark(128, 256);
  static final int DEFAULT_SEND_QUEUE_CAP = 4096;
  static final long DEFAULT_CLOSE_TIMEOUT_MILLIS = 5000;

  private volatile KcpConfig engineConfig = KcpConfig.classic();
  private volatile long idleTimeoutMillis;
  private volatile long closeTimeoutMillis = DEFAULT_CLOSE_TIMEOUT_MILLIS;
  private volatile WriteBufferWaterMark sendQueueWaterMark = DEFAULT_SEND_QUEUE_WATER_MARK;
  private volatile int sendQueueCap = DEFAULT_SEND_QUEUE_CAP;
  private volatile Kcp engine;

  private final KcpChildChannel session;

  KcpChannelConfig(KcpChildChannel session) {
    super(session);
    this.session = session;
  }

  /** Attaches the live engine: later engine option changes apply to it. */
  void attach(Kcp engine) {
    this.engine = engine;
  }

  @Override
  public Map<ChannelOption<?>, Object> getOptions() {
    return getOptions(
        super.getOptions(),
        KcpChannelOption.KCP_CONFIG,
        KcpChannelOption.NODELAY,
        KcpChannelOption.INTERVAL,
        KcpChannelOption.FAST_RESEND,
        KcpChannelOption.NO_CONGESTION_WINDOW,
        KcpChannelOption.SEND_WINDOW,
        KcpChannelOption.RECEIVE_WINDOW,
        KcpChannelOption.MTU,
        KcpChannelOption.STREAM_MODE,
        KcpChannelOption.DEAD_LINK,
        KcpChannelOption.MIN_RTO,
        KcpChannelOption.FAST_LIMIT,
        KcpChannelOption.MAX_FRAGMENTS,
        KcpChannelOption.IDLE_TIMEOUT_MILLIS,
        KcpChannelOption.CLOSE_TIMEOUT_MILLIS,
        KcpChannelOption.SEND_QUEUE_WATER_MARK,
        KcpChannelOption.SEND_QUEUE_CAP);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T getOption(ChannelOption<T> option) {
    KcpConfig c = engineConfig;
    if (option == KcpChannelOption.KCP_CONFIG) return (T) c;
    if (option == KcpChannelOption.NODELAY) return (T) Integer.valueOf(c.nodelay());
    if (option == KcpChannelOption.INTERVAL) return (T) Integer.valueOf(c.interval());
    if (option == KcpChannelOption.FAST_RESEND) return (T) Integer.valueOf(c.fastResend());
    if (option == KcpChannelOption.NO_CONGESTION_WINDOW)
      return (T) Boolean.valueOf(c.noCongestionWindow());
    if (option == KcpChannelOption.SEND_WINDOW) return (T) Integer.valueOf(c.sendWindow());
    if (option == KcpChannelOption.RECEIVE_WINDOW) return (T) Integer.valueOf(c.receiveWindow());
    if (option == KcpChannelOption.MTU) return (T) Integer.valueOf(c.mtu());
    if (option == KcpChannelOption.STREAM_MODE) return (T) Boolean.valueOf(c.streamMode());
    if (option == KcpChannelOption.DEAD_LINK) return (T) Integer.valueOf(c.deadLink());
    if (option == KcpChannelOption.MIN_RTO) return (T) Integer.valueOf(c.minRto());
    if (option == KcpChannelOption.FAST_LIMIT) return (T) Integer.valueOf(c.fastLimit());
    if (option == KcpChannelOption.MAX_FRAGMENTS) return (T) Integer.valueOf(c.maxFragments());
    if (option == KcpChannelOption.IDLE_TIMEOUT_MILLIS) return (T) Long.valueOf(idleTimeoutMillis);
    if (option == KcpChannelOption.CLOSE_TIMEOUT_MILLIS)
      return (T) Long.valueOf(closeTimeoutMillis);
    if (option == KcpChannelOption.SEND_QUEUE_WATER_MARK) return (T) sendQueueWaterMark;
    if (option == KcpChannelOption.SEND_QUEUE_CAP) return (T) Integer.valueOf(sendQueueCap);
    return super.getOption(option);
  }

  @Override
  public <T> boolean setOption(ChannelOption<T> option, T value) {
    if (!(option instanceof KcpChannelOption)) {
      return super.setOption(option, value);
    }
    validate(option, value);
    if (option == KcpChannelOption.IDLE_TIMEOUT_MILLIS) {
      idleTimeoutMillis = (Long) value;
      onEventLoop(NO_ENGINE_CHANGE);
    } else if (option == KcpChannelOption.CLOSE_TIMEOUT_MILLIS) {
      closeTimeoutMillis = (Long) value;
    } else if (option == KcpChannelOption.SEND_QUEUE_WATER_MARK) {
      sendQueueWaterMark = (WriteBufferWaterMark) value;
    } else if (option == KcpChannelOption.SEND_QUEUE_CAP) {
      sendQueueCap = (Integer) value;
    } else if (option == KcpChannelOption.MAX_SESSIONS) {
      return false; // a codec-level option: see KcpCodecBuilder
    } else {
      setEngineConfig(EngineOptions.with(engineConfig, option, value));
    }
    return true;
  }

  /** The engine settings this channel runs with. */
  public KcpConfig engineConfig() {
    return engineConfig;
  }

  /** Replaces all engine settings (applied to a live engine at once). */
  public KcpChannelConfig setEngineConfig(KcpConfig config) {
    this.engineConfig = java.util.Objects.requireNonNull(config, "config");
    onEventLoop(() -> engine.apply(this.engineConfig));
    return this;
  }

  private static final Runnable NO_ENGINE_CHANGE = () -> {};

  /**
   * Once an engine is attached: runs {@code change} then re-arms the session's timers, on the event
   * loop (at once when called there or before registration, else as a task).
   */
  private void onEventLoop(Runnable change) {
    if (engine == null) {
      return; // not started: the engine is configured from engineConfig when it starts
    }
    Runnable apply =
        () -> {
          change.run();
          session.configChanged();
        };
    if (!session.isRegistered() || session.eventLoop().inEventLoop()) {
      apply.run();
    } else {
      session.eventLoop().execute(apply);
    }
  }

  /** Idle timeout in ms (0: none). */
  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  /** Graceful-close timeout in ms. */
  public long closeTimeoutMillis() {
    return closeTimeoutMillis;
  }

  /** Writability water marks in segments of the engine's send queue. */
  public WriteBufferWaterMark sendQueueWaterMark() {
    return sendQueueWaterMark;
  }

  /** The most segments the engine's send queue may hold before writes fail. */
  public int sendQueueCap() {
    return sendQueueCap;
  }
}
