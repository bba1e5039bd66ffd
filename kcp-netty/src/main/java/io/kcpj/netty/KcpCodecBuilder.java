package io.kcpj.netty;

import io.kcpj.core.EngineSetting;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.fec.FecSpec;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the server and client codec builders share: session options (applied to every session in the
 * order given), attributes, the session listener and the session limit, and the checks of secure
 * sessions ({@code secure(...)} on the server and client builders) against them. Not thread-safe; a
 * builder may build several codecs (one per datagram channel), each with a copy of its settings.
 *
 * @param <B> the concrete builder
 */
public abstract class KcpCodecBuilder<B extends KcpCodecBuilder<B>> {
  /** Default of {@link KcpChannelOption#MAX_SESSIONS}. */
  public static final int DEFAULT_MAX_SESSIONS = 10_000;

  /** Default of {@link KcpChannelOption#UNVALIDATED_TIMEOUT_MILLIS}. */
  public static final long DEFAULT_UNVALIDATED_TIMEOUT_MILLIS = 5_000;

  /** Default of {@link #logSummaryInterval}. */
  public static final Duration DEFAULT_LOG_SUMMARY_INTERVAL = Duration.ofSeconds(10);

  /** The longest {@link #readCoalescing} pause accepted. */
  public static final Duration MAX_READ_COALESCING = Duration.ofSeconds(1);

  final Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
  final Map<AttributeKey<?>, Object> attrs = new LinkedHashMap<>();
  final Map<KcpChannelOption<?>, Object> codecOptions = new LinkedHashMap<>();
  long logSummaryIntervalMillis = DEFAULT_LOG_SUMMARY_INTERVAL.toMillis();
  KcpSessionListener listener;
  int maxSessions = DEFAULT_MAX_SESSIONS;
  long readCoalescingNanos;

  /**
   * Set by the builders' {@code secure(...)}: makes the layer each built codec installs before
   * itself, or null. {@link #sessionLayerOverhead} is the bytes it adds to every datagram.
   */
  Supplier<? extends KcpSessionLayer> sessionLayer;

  int sessionLayerOverhead;

  KcpCodecBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Sets an option of every session ({@link KcpChannelOption}s or Netty's own, e.g. {@code
   * ALLOCATOR}, {@code AUTO_READ}); the {@linkplain KcpChannelOption#isCodecOption() codec options}
   * ({@link KcpChannelOption#MAX_SESSIONS}, {@link KcpChannelOption#MEMORY_BUDGET}, ...) set the
   * codec's own limits. The value is validated now.
   *
   * @throws IllegalArgumentException if the value is out of the option's range
   */
  public <T> B option(ChannelOption<T> option, T value) {
    Objects.requireNonNull(option, "option");
    option.validate(value);
    if (option == KcpChannelOption.MAX_SESSIONS) {
      maxSessions = (Integer) value;
    } else if (option instanceof KcpChannelOption
        && ((KcpChannelOption<?>) option).isCodecOption()) {
      codecOptions.put((KcpChannelOption<?>) option, value);
    } else {
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

  /**
   * Read coalescing: after a burst of several datagrams, the codec stops reading its datagram
   * channel for at most {@code maxPause}, so that the next wake-up of the event loop reads
   * everything that arrived meanwhile in one batch and answers it with one flush. Off ({@link
   * Duration#ZERO}) by default.
   *
   * <p><b>The trade.</b> A server with many busy sessions spends much of its CPU being woken up: on
   * Linux each wake-up of a sleeping event loop costs a context switch, a few microseconds on bare
   * metal and tens in a virtual machine, often once per datagram or two at moderate load. With
   * coalescing the loop wakes at most about once per pause for reading, however many datagrams
   * arrive, so CPU per message falls as load rises. The price is latency: a datagram that arrives
   * during a pause waits up to {@code maxPause} (on average half of it) before its engine sees it.
   * A datagram that arrives after a quiet spell longer than the pause is read at once. A pause of a
   * millisecond or less is small next to KCP's 10 ms (fast) to 100 ms (classic) update interval.
   *
   * <p><b>When it pauses.</b> Only after a burst of two or more datagrams that drained the socket:
   * a lone datagram means the socket is quiet, and pausing then would only cost a wake-up to
   * resume, so at light load nothing changes. A burst is known to have drained the socket when it
   * read fewer datagrams than the channel's {@code maxMessagesPerRead}; a burst that reached the
   * limit is read on at once. The channel's {@code RecvByteBufAllocator} must therefore allow more
   * than one message per read (Netty's datagram default is 16; with epoll's {@code recvmmsg}, allow
   * several calls' worth, e.g. 256). With a limit of one, reading is never paused and a warning is
   * logged once.
   *
   * <p><b>Worked example.</b> 1,000 sessions each echoing 20 messages/s are 20,000 messages and
   * 40,000 inbound datagrams per second. Without coalescing the loop wakes whenever one arrives
   * while it sleeps (several thousand times a second); with a 1 ms pause, at most about 1,000
   * times, each reading about 40 datagrams, for an added latency of at most 1 ms (0.5 ms on
   * average). Measured with {@code kcpj perf} on a 2-core virtual machine (epoll, client on the
   * same cores, two comparisons of 3 and 4 runs): about 10,000 event-loop wake-ups per second fell
   * to about 750, and server CPU per message by 24–30 %, at a p50 about 1 ms higher (see {@code
   * bench/peers/RESULTS.md}, run 6).
   *
   * <p>Leave it off for a single bulk transfer: the sender's window is clocked by ACKs, which are
   * then read once per pause, and goodput falls.
   *
   * <p>The pause is made with the datagram channel's {@code AUTO_READ}: switched off for the pause,
   * on again after it (or when timer work wakes the loop earlier, or the codec is removed). An
   * application that switches {@code AUTO_READ} off itself (its own flow control) is left alone:
   * the codec only pauses a channel that reads automatically.
   *
   * @param maxPause zero (off) or a positive pause of at most one second
   * @throws IllegalArgumentException if {@code maxPause} is negative or longer than one second
   */
  public B readCoalescing(Duration maxPause) {
    Objects.requireNonNull(maxPause, "maxPause");
    if (maxPause.isNegative() || maxPause.compareTo(MAX_READ_COALESCING) > 0) {
      throw new IllegalArgumentException(
          "readCoalescing must be between 0 and " + MAX_READ_COALESCING + ", got " + maxPause);
    }
    readCoalescingNanos = maxPause.toNanos();
    return self();
  }

  /**
   * How often, at most, the codec logs one summary line per cause of trouble: datagrams dropped by
   * reason, sessions evicted or closed by its limits, failures inside the codec or a listener. Such
   * events are counted ({@link KcpCodec#metrics()}) and never logged one by one. Default {@value
   * #DEFAULT_LOG_SUMMARY_INTERVAL_SECONDS} s.
   *
   * @throws IllegalArgumentException unless at least one millisecond
   */
  public B logSummaryInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException(
          "logSummaryInterval must be at least 1 ms, got " + interval);
    }
    logSummaryIntervalMillis = interval.toMillis();
    return self();
  }

  /** {@link #DEFAULT_LOG_SUMMARY_INTERVAL} in seconds, for the javadoc. */
  static final long DEFAULT_LOG_SUMMARY_INTERVAL_SECONDS = 10;

  /** The codec's settings: server sessions get the server defaults and admission control. */
  CodecSettings settings(io.netty.channel.ChannelHandler childHandler, boolean server) {
    Map<ChannelOption<?>, Object> opts = new LinkedHashMap<>();
    opts.put(
        KcpChannelOption.IDLE_TIMEOUT_MILLIS,
        server ? KcpServerCodecBuilder.DEFAULT_IDLE_TIMEOUT_MILLIS : 0L);
    opts.put(
        KcpChannelOption.NO_PROGRESS_TIMEOUT_MILLIS,
        server ? KcpServerCodecBuilder.DEFAULT_NO_PROGRESS_TIMEOUT_MILLIS : 0L);
    opts.put(
        KcpChannelOption.PAD_UNTIL_ANSWERED,
        server ? 0 : KcpClientCodecBuilder.DEFAULT_PAD_UNTIL_ANSWERED);
    opts.putAll(options);
    CodecSettings settings =
        new CodecSettings(opts, attrs, childHandler, listener, maxSessions, readCoalescingNanos);
    settings.withCrypt(codecOption(KcpChannelOption.CRYPT, null));
    checkSessionLayer();
    settings.withSessionLayer(sessionLayer, sessionLayerOverhead);
    return settings.withLimits(
        new CodecLimits(
            server,
            codecOption(
                KcpChannelOption.UNVALIDATED_TIMEOUT_MILLIS, DEFAULT_UNVALIDATED_TIMEOUT_MILLIS),
            codecOption(KcpChannelOption.MAX_UNVALIDATED_PER_SOURCE, Math.max(1, maxSessions / 4)),
            codecOption(KcpChannelOption.ANTI_AMPLIFICATION, true),
            codecOption(KcpChannelOption.MEMORY_BUDGET, CodecLimits.defaultMemoryBudget()),
            logSummaryIntervalMillis));
  }

  /**
   * The checks of {@code secure(...)} against the other settings, made once when a codec is built:
   * no kcp-go packet encryption as well (the secure records already encrypt and authenticate every
   * datagram), no FEC (the layers route the codec's datagrams by the conv FEC's header hides), and
   * a KCP MTU that leaves the engine room after the record's bytes.
   *
   * @throws IllegalArgumentException naming the conflict
   */
  private void checkSessionLayer() {
    if (sessionLayer == null) {
      return;
    }
    if (codecOptions.containsKey(KcpChannelOption.CRYPT)) {
      throw new IllegalArgumentException(
          "secure(...) and KcpChannelOption.CRYPT cannot be combined: secure sessions already"
              + " encrypt and authenticate every datagram; drop the CRYPT option");
    }
    // The wire MTU and FEC every session starts with: the options replayed in the order they apply.
    int wireMtu = KcpConfig.classic().mtu();
    boolean fec = false;
    int dataShards = 0;
    int parityShards = 0;
    KcpChannelOption<Integer> mtuOption = KcpChannelOption.of(EngineSetting.MTU);
    for (Map.Entry<ChannelOption<?>, Object> e : options.entrySet()) {
      ChannelOption<?> o = e.getKey();
      Object v = e.getValue();
      if (o == KcpChannelOption.KCP_CONFIG) {
        wireMtu = ((KcpConfig) v).mtu();
      } else if (o == mtuOption) {
        wireMtu = (Integer) v;
      } else if (o == KcpChannelOption.FEC) {
        FecSpec spec = (FecSpec) v;
        fec = spec.enabled();
        dataShards = spec.dataShards();
        parityShards = spec.parityShards();
      } else if (o == KcpChannelOption.FEC_DATA_SHARDS || o == KcpChannelOption.FEC_PARITY_SHARDS) {
        if (o == KcpChannelOption.FEC_DATA_SHARDS) {
          dataShards = (Integer) v;
        } else {
          parityShards = (Integer) v;
        }
        fec = dataShards > 0 && parityShards > 0;
      }
    }
    if (fec) {
      throw new IllegalArgumentException(
          "secure(...) and FEC cannot be combined yet: the secure layers match the codec's"
              + " datagrams to sessions by the KCP conv in their first 4 bytes, where FEC puts its"
              + " own header; drop the FEC options");
    }
    int engineMtu = wireMtu - sessionLayerOverhead;
    int min = EngineSetting.MTU.min();
    if (engineMtu < min) {
      throw new IllegalArgumentException(
          "KCP_MTU "
              + wireMtu
              + " is too small for secure sessions: less "
              + sessionLayerOverhead
              + " bytes per secure record, it leaves "
              + engineMtu
              + " for KCP, below its minimum of "
              + min
              + "; set KCP_MTU to at least "
              + (min + sessionLayerOverhead));
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T codecOption(KcpChannelOption<T> option, T defaultValue) {
    Object v = codecOptions.get(option);
    return v == null ? defaultValue : (T) v;
  }
}
