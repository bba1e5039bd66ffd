package io.kcpj.netty;

import io.kcpj.core.Delivery;
import io.kcpj.core.EngineSetting;
import io.kcpj.core.Kcp;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.fec.FecSpec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannelConfig;
import java.util.Map;
import java.util.Objects;

/**
 * The configuration of one {@link KcpChannel}: Netty's usual options plus the {@link
 * KcpChannelOption}s (engine settings and session policy).
 *
 * <p>An engine option changed on a live channel changes that one setting of its engine, through the
 * engine's own setter ({@link EngineSetting#applyTo}), and nothing else: in particular a custom
 * congestion controller keeps its state. A new {@link KcpChannelOption#KCP_CONFIG} changes the
 * settings that differ ({@link KcpConfig#applyChangesTo}) and replaces the congestion controller
 * only if the new configuration names a different one. The session's timers are then re-armed (a
 * shorter idle timeout or interval takes effect at once). Any thread may change options: off the
 * event loop the change reaches the engine by a task on the event loop, so it never races with it.
 *
 * <p>Netty's {@link ChannelOption#ALLOW_HALF_CLOSURE} ({@link #isAllowHalfClosure()}, default
 * {@code false}) says what the channel does when the peer ends its output under a session layer
 * that supports half-close (kcpj's secure sessions): shut its input, or close ({@link KcpChannel},
 * "Half-close").
 */
public final class KcpChannelConfig extends DefaultChannelConfig implements DuplexChannelConfig {
  static final WriteBufferWaterMark DEFAULT_SEND_QUEUE_WATER_MARK =
      new WriteBufferWaterMark(128, 256);
  static final int DEFAULT_SEND_QUEUE_CAP = 4096;
  static final long DEFAULT_CLOSE_TIMEOUT_MILLIS = 5000;

  private volatile KcpConfig engineConfig = KcpConfig.classic();
  private volatile long idleTimeoutMillis;
  private volatile long closeTimeoutMillis = DEFAULT_CLOSE_TIMEOUT_MILLIS;
  private volatile WriteBufferWaterMark sendQueueWaterMark = DEFAULT_SEND_QUEUE_WATER_MARK;
  private volatile int sendQueueCap = DEFAULT_SEND_QUEUE_CAP;
  private volatile Delivery defaultDelivery = Delivery.ORDERED;
  private volatile long noProgressTimeoutMillis;
  private volatile int padUntilAnswered;
  private volatile Kcp engine;
  private volatile FecSpec fec = FecSpec.OFF;
  private volatile int fecDataShards;
  private volatile int fecParityShards;
  private volatile boolean fecDecodeUnrequested = true;
  private volatile boolean allowHalfClosure;

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
    Map<ChannelOption<?>, Object> options = super.getOptions();
    options.put(ChannelOption.ALLOW_HALF_CLOSURE, allowHalfClosure);
    for (KcpChannelOption<?> o : KcpChannelOption.options()) {
      if (!o.isCodecOption()) {
        options.put(o, getOption(o));
      }
    }
    return options;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T getOption(ChannelOption<T> option) {
    if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
      return (T) Boolean.valueOf(allowHalfClosure);
    }
    if (!(option instanceof KcpChannelOption)) {
      return super.getOption(option);
    }
    EngineSetting<T> setting = ((KcpChannelOption<T>) option).engineSetting();
    if (setting != null) {
      return setting.get(engineConfig);
    }
    if (option == KcpChannelOption.KCP_CONFIG) return (T) engineConfig;
    if (option == KcpChannelOption.IDLE_TIMEOUT_MILLIS) return (T) Long.valueOf(idleTimeoutMillis);
    if (option == KcpChannelOption.CLOSE_TIMEOUT_MILLIS)
      return (T) Long.valueOf(closeTimeoutMillis);
    if (option == KcpChannelOption.SEND_QUEUE_WATER_MARK) return (T) sendQueueWaterMark;
    if (option == KcpChannelOption.SEND_QUEUE_CAP) return (T) Integer.valueOf(sendQueueCap);
    if (option == KcpChannelOption.DEFAULT_DELIVERY) return (T) defaultDelivery;
    if (option == KcpChannelOption.FEC) return (T) fec;
    if (option == KcpChannelOption.FEC_DATA_SHARDS) return (T) Integer.valueOf(fecDataShards);
    if (option == KcpChannelOption.FEC_PARITY_SHARDS) return (T) Integer.valueOf(fecParityShards);
    if (option == KcpChannelOption.FEC_DECODE_UNREQUESTED)
      return (T) Boolean.valueOf(fecDecodeUnrequested);
    if (option == KcpChannelOption.NO_PROGRESS_TIMEOUT_MILLIS)
      return (T) Long.valueOf(noProgressTimeoutMillis);
    if (option == KcpChannelOption.PAD_UNTIL_ANSWERED) return (T) Integer.valueOf(padUntilAnswered);
    return super.getOption(option); // codec-level options: see KcpCodecBuilder
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> boolean setOption(ChannelOption<T> option, T value) {
    if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
      validate(option, value);
      allowHalfClosure = (Boolean) value;
      return true;
    }
    if (!(option instanceof KcpChannelOption)) {
      return super.setOption(option, value);
    }
    validate(option, value);
    EngineSetting<T> setting = ((KcpChannelOption<T>) option).engineSetting();
    if (setting != null) {
      setEngineSetting(setting, value);
    } else if (option == KcpChannelOption.KCP_CONFIG) {
      setEngineConfig((KcpConfig) value);
    } else if (option == KcpChannelOption.IDLE_TIMEOUT_MILLIS) {
      idleTimeoutMillis = (Long) value;
      onEventLoop(NO_ENGINE_CHANGE);
    } else if (option == KcpChannelOption.CLOSE_TIMEOUT_MILLIS) {
      closeTimeoutMillis = (Long) value;
    } else if (option == KcpChannelOption.SEND_QUEUE_WATER_MARK) {
      sendQueueWaterMark = (WriteBufferWaterMark) value;
    } else if (option == KcpChannelOption.SEND_QUEUE_CAP) {
      sendQueueCap = (Integer) value;
    } else if (option == KcpChannelOption.DEFAULT_DELIVERY) {
      defaultDelivery = (Delivery) value;
    } else if (option == KcpChannelOption.FEC
        || option == KcpChannelOption.FEC_DATA_SHARDS
        || option == KcpChannelOption.FEC_PARITY_SHARDS
        || option == KcpChannelOption.FEC_DECODE_UNREQUESTED) {
      setFecOption(option, value);
    } else if (option == KcpChannelOption.NO_PROGRESS_TIMEOUT_MILLIS) {
      noProgressTimeoutMillis = (Long) value;
      onEventLoop(NO_ENGINE_CHANGE);
    } else if (option == KcpChannelOption.PAD_UNTIL_ANSWERED) {
      padUntilAnswered = (Integer) value;
    } else {
      return false; // codec-level options, see KcpCodecBuilder
    }
    return true;
  }

  /**
   * Whether the peer's end of output shuts this channel's input ({@code true}: {@link
   * io.netty.channel.socket.ChannelInputShutdownEvent} once everything the peer sent was read; the
   * channel stays open for writing) or closes the channel ({@code false}, the default, as in Netty:
   * {@link KcpCloseReason#PEER_CLOSED}). Only a session layer that supports half-close (kcpj's
   * secure sessions) reports the peer's end of output; plain KCP has none.
   */
  @Override
  public boolean isAllowHalfClosure() {
    return allowHalfClosure;
  }

  /** Sets {@link #isAllowHalfClosure()} ({@link ChannelOption#ALLOW_HALF_CLOSURE}). */
  @Override
  public KcpChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
    this.allowHalfClosure = allowHalfClosure;
    return this;
  }

  @Override
  @Deprecated
  public KcpChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
    super.setMaxMessagesPerRead(maxMessagesPerRead);
    return this;
  }

  @Override
  public KcpChannelConfig setWriteSpinCount(int writeSpinCount) {
    super.setWriteSpinCount(writeSpinCount);
    return this;
  }

  @Override
  public KcpChannelConfig setAllocator(ByteBufAllocator allocator) {
    super.setAllocator(allocator);
    return this;
  }

  @Override
  public KcpChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
    super.setRecvByteBufAllocator(allocator);
    return this;
  }

  @Override
  public KcpChannelConfig setAutoRead(boolean autoRead) {
    super.setAutoRead(autoRead);
    return this;
  }

  @Override
  public KcpChannelConfig setAutoClose(boolean autoClose) {
    super.setAutoClose(autoClose);
    return this;
  }

  @Override
  public KcpChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
    super.setMessageSizeEstimator(estimator);
    return this;
  }

  @Override
  public KcpChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
    super.setWriteBufferWaterMark(writeBufferWaterMark);
    return this;
  }

  /** The engine settings this channel runs with. */
  public KcpConfig engineConfig() {
    return engineConfig;
  }

  /**
   * Replaces all engine settings. A live engine changes only what differs ({@link
   * KcpConfig#applyChangesTo}); its congestion controller is replaced only if {@code config} names
   * a different one.
   */
  public synchronized KcpChannelConfig setEngineConfig(KcpConfig config) {
    Objects.requireNonNull(config, "config");
    KcpConfig previous = engineConfig;
    engineConfig = config;
    onEventLoop(() -> config.applyChangesTo(engine, previous));
    return this;
  }

  /** Changes one engine setting: of the live engine, only that one. */
  private synchronized <T> void setEngineSetting(EngineSetting<T> setting, T value) {
    engineConfig = engineConfig.with(setting, value);
    onEventLoop(() -> setting.applyTo(engine, value));
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

  /** FEC options: read when the session starts, refused afterwards (the peer relies on them). */
  private synchronized void setFecOption(ChannelOption<?> option, Object value) {
    if (engine != null) {
      throw new IllegalStateException(
          option.name() + " is fixed when a session starts; set it on the codec or bootstrap");
    }
    if (option == KcpChannelOption.FEC) {
      fec = (FecSpec) value;
      fecDataShards = fec.dataShards();
      fecParityShards = fec.parityShards();
    } else if (option == KcpChannelOption.FEC_DECODE_UNREQUESTED) {
      fecDecodeUnrequested = (Boolean) value;
    } else {
      if (option == KcpChannelOption.FEC_DATA_SHARDS) {
        fecDataShards = (Integer) value;
      } else {
        fecParityShards = (Integer) value;
      }
      if (fecDataShards + fecParityShards > 256) {
        throw new IllegalArgumentException(
            "FEC data + parity shards must be at most 256, got "
                + fecDataShards
                + " + "
                + fecParityShards);
      }
      fec = FecSpec.fixed(fecDataShards, fecParityShards);
    }
  }

  /** The FEC this session sends ({@link KcpChannelOption#FEC}). */
  public FecSpec fec() {
    return fec;
  }

  /**
   * Whether FEC shards are decoded without FEC ({@link KcpChannelOption#FEC_DECODE_UNREQUESTED}).
   */
  public boolean fecDecodeUnrequested() {
    return fecDecodeUnrequested;
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

  /** How a written {@code ByteBuf} is delivered ({@link KcpChannelOption#DEFAULT_DELIVERY}). */
  public Delivery defaultDelivery() {
    return defaultDelivery;
  }

  /** How long queued data may wait without an acknowledgement, in ms (0: no limit). */
  public long noProgressTimeoutMillis() {
    return noProgressTimeoutMillis;
  }

  /** Bytes to pad datagrams to until the peer first sends data (0: no padding). */
  public int padUntilAnswered() {
    return padUntilAnswered;
  }

  /** The most segments the engine's send queue may hold before writes fail. */
  public int sendQueueCap() {
    return sendQueueCap;
  }
}
