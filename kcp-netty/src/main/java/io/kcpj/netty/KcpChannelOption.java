package io.kcpj.netty;

import io.kcpj.core.KcpConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Typed, validated options of a {@link KcpChannel}: every engine knob of kcp-core's {@link
 * KcpConfig}, and the session policy. Set them per codec with {@link
 * KcpCodecBuilder#option(ChannelOption, Object)} (applied to every session in the order given), per
 * client session with {@link KcpChannelBootstrap#option}, or on a live channel with {@code
 * channel.config().setOption(...)}. An invalid value throws {@link IllegalArgumentException} naming
 * the option and its range when it is set.
 *
 * <p>{@link #KCP_CONFIG} sets all engine knobs from a preset in one call, e.g. {@code
 * option(KcpChannelOption.KCP_CONFIG, KcpConfig.parse("fast,wnd=256"))}; later individual options
 * override single knobs.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>type, range</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>KCP_CONFIG</td><td>KcpConfig</td><td>{@code KcpConfig.classic()}</td><td>all engine knobs at once</td></tr>
 *   <tr><td>NODELAY</td><td>int 0..2</td><td>0</td><td>ikcp nodelay (≠0 also sets min RTO 30 ms)</td></tr>
 *   <tr><td>INTERVAL</td><td>int 10..5000 ms</td><td>100</td><td>flush interval</td></tr>
 *   <tr><td>FAST_RESEND</td><td>int 0..65535</td><td>0</td><td>fast retransmit after this many skipping ACKs (0 off)</td></tr>
 *   <tr><td>NO_CONGESTION_WINDOW</td><td>boolean</td><td>false</td><td>ikcp nc</td></tr>
 *   <tr><td>SEND_WINDOW / RECEIVE_WINDOW</td><td>int 1..65535 / 128..65535 segments</td><td>32 / 128</td><td>windows</td></tr>
 *   <tr><td>MTU</td><td>int 50..65507</td><td>1400</td><td>largest datagram</td></tr>
 *   <tr><td>STREAM_MODE</td><td>boolean</td><td>false</td><td>byte stream instead of messages</td></tr>
 *   <tr><td>DEAD_LINK</td><td>int ≥ 1</td><td>20</td><td>transmissions of one segment that mean a dead link</td></tr>
 *   <tr><td>MIN_RTO</td><td>int 1..60000 ms</td><td>100 (30 with nodelay)</td><td>RTO floor</td></tr>
 *   <tr><td>FAST_LIMIT</td><td>int ≥ 0 (0: no limit)</td><td>5</td><td>fast retransmit only below this many sends</td></tr>
 *   <tr><td>MAX_FRAGMENTS</td><td>int 1..255</td><td>127</td><td>fragments per message (message size limit)</td></tr>
 *   <tr><td>IDLE_TIMEOUT_MILLIS</td><td>long ≥ 0 (0 off)</td><td>server 60000, client 0</td><td>close after this long without input</td></tr>
 *   <tr><td>CLOSE_TIMEOUT_MILLIS</td><td>long ≥ 0</td><td>5000</td><td>how long {@code close()} waits for queued data to be acknowledged</td></tr>
 *   <tr><td>SEND_QUEUE_WATER_MARK</td><td>WriteBufferWaterMark, in segments</td><td>low 128, high 256</td><td>{@code isWritable()} against the engine's {@code waitSnd()}</td></tr>
 *   <tr><td>SEND_QUEUE_CAP</td><td>int ≥ 1 segments</td><td>4096</td><td>writes beyond it fail with {@link KcpSendQueueFullException}</td></tr>
 *   <tr><td>MAX_SESSIONS</td><td>int ≥ 1</td><td>10000</td><td>codec only: sessions open at once</td></tr>
 * </table>
 *
 * @param <T> the option's value type
 */
public final class KcpChannelOption<T> extends ChannelOption<T> {

  /** All engine knobs at once, from a kcp-core preset or {@link KcpConfig#parse(String)}. */
  public static final KcpChannelOption<KcpConfig> KCP_CONFIG =
      new KcpChannelOption<>("KCP_CONFIG", v -> {});

  public static final KcpChannelOption<Integer> NODELAY =
      new KcpChannelOption<>("KCP_NODELAY", v -> range("KCP_NODELAY", v, 0, 2));
  public static final KcpChannelOption<Integer> INTERVAL =
      new KcpChannelOption<>("KCP_INTERVAL", v -> range("KCP_INTERVAL", v, 10, 5000));
  public static final KcpChannelOption<Integer> FAST_RESEND =
      new KcpChannelOption<>("KCP_FAST_RESEND", v -> range("KCP_FAST_RESEND", v, 0, 65535));
  public static final KcpChannelOption<Boolean> NO_CONGESTION_WINDOW =
      new KcpChannelOption<>("KCP_NO_CONGESTION_WINDOW", v -> {});
  public static final KcpChannelOption<Integer> SEND_WINDOW =
      new KcpChannelOption<>(
          "KCP_SEND_WINDOW", v -> range("KCP_SEND_WINDOW", v, 1, KcpConfig.MAX_WINDOW));
  public static final KcpChannelOption<Integer> RECEIVE_WINDOW =
      new KcpChannelOption<>(
          "KCP_RECEIVE_WINDOW",
          v -> range("KCP_RECEIVE_WINDOW", v, KcpConfig.MIN_RECEIVE_WINDOW, KcpConfig.MAX_WINDOW));
  public static final KcpChannelOption<Integer> MTU =
      new KcpChannelOption<>(
          "KCP_MTU", v -> range("KCP_MTU", v, KcpConfig.MIN_MTU, KcpConfig.MAX_MTU));
  public static final KcpChannelOption<Boolean> STREAM_MODE =
      new KcpChannelOption<>("KCP_STREAM_MODE", v -> {});
  public static final KcpChannelOption<Integer> DEAD_LINK =
      new KcpChannelOption<>("KCP_DEAD_LINK", v -> range("KCP_DEAD_LINK", v, 1, Integer.MAX_VALUE));
  public static final KcpChannelOption<Integer> MIN_RTO =
      new KcpChannelOption<>("KCP_MIN_RTO", v -> range("KCP_MIN_RTO", v, 1, 60000));
  public static final KcpChannelOption<Integer> FAST_LIMIT =
      new KcpChannelOption<>(
          "KCP_FAST_LIMIT", v -> range("KCP_FAST_LIMIT", v, 0, Integer.MAX_VALUE));
  public static final KcpChannelOption<Integer> MAX_FRAGMENTS =
      new KcpChannelOption<>("KCP_MAX_FRAGMENTS", v -> range("KCP_MAX_FRAGMENTS", v, 1, 255));

  /** Close a session after this many ms without a datagram from the peer; 0 disables. */
  public static final KcpChannelOption<Long> IDLE_TIMEOUT_MILLIS =
      new KcpChannelOption<>(
          "KCP_IDLE_TIMEOUT_MILLIS", v -> range("KCP_IDLE_TIMEOUT_MILLIS", v, 0, Long.MAX_VALUE));

  /** How long {@code close()} waits for the engine's queue to be acknowledged; 0 closes at once. */
  public static final KcpChannelOption<Long> CLOSE_TIMEOUT_MILLIS =
      new KcpChannelOption<>(
          "KCP_CLOSE_TIMEOUT_MILLIS", v -> range("KCP_CLOSE_TIMEOUT_MILLIS", v, 0, Long.MAX_VALUE));

  /** Writability water marks, in segments of the engine's send queue ({@code waitSnd()}). */
  public static final KcpChannelOption<WriteBufferWaterMark> SEND_QUEUE_WATER_MARK =
      new KcpChannelOption<>("KCP_SEND_QUEUE_WATER_MARK", v -> {});

  /** Hard cap of the engine's send queue in segments: writes beyond it fail. */
  public static final KcpChannelOption<Integer> SEND_QUEUE_CAP =
      new KcpChannelOption<>(
          "KCP_SEND_QUEUE_CAP", v -> range("KCP_SEND_QUEUE_CAP", v, 1, Integer.MAX_VALUE));

  /** Codec-level: the most sessions open at once; further openings are dropped and counted. */
  public static final KcpChannelOption<Integer> MAX_SESSIONS =
      new KcpChannelOption<>(
          "KCP_MAX_SESSIONS", v -> range("KCP_MAX_SESSIONS", v, 1, Integer.MAX_VALUE));

  private final Consumer<T> validator;

  @SuppressWarnings("deprecation")
  private KcpChannelOption(String name, Consumer<T> validator) {
    super(name);
    this.validator = validator;
  }

  /** Checks {@code value}: non-null and in range, else {@link IllegalArgumentException}. */
  @Override
  public void validate(T value) {
    Objects.requireNonNull(value, name());
    validator.accept(value);
  }

  private static void range(String name, Number value, long min, long max) {
    long v = value.longValue();
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], got " + value);
    }
  }
}
