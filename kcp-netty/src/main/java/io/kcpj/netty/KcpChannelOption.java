package io.kcpj.netty;

import io.kcpj.core.Delivery;
import io.kcpj.core.EngineSetting;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.crypt.CryptConfig;
import io.kcpj.core.fec.FecSpec;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Typed, validated options of a {@link KcpChannel}: one per engine setting of kcp-core's {@link
 * EngineSetting} table (name {@code KCP_} + the setting's name, same type, range and default), and
 * the session policy. Set them per codec with {@link KcpCodecBuilder#option(ChannelOption, Object)}
 * (applied to every session in the order given), per client session with {@link
 * KcpChannelBootstrap#option} (applied after the codec's), or on a live channel with {@code
 * channel.config().setOption(...)} (which changes that one setting of the running engine and
 * nothing else). An invalid value throws {@link IllegalArgumentException} naming the option and its
 * range when it is set.
 *
 * <p>{@link #KCP_CONFIG} sets all engine settings from a preset in one call, e.g. {@code
 * option(KcpChannelOption.KCP_CONFIG, KcpConfig.parse("fast,wnd=256"))}; later individual options
 * override single settings.
 *
 * <table>
 *   <caption>Options (the README's table is generated from {@link #options()})</caption>
 *   <tr><th>option</th><th>type, range</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>KCP_CONFIG</td><td>KcpConfig</td><td>{@code KcpConfig.classic()}</td><td>all engine settings at once</td></tr>
 *   <tr><td>NODELAY … DELIVERY_EXTENSION</td><td colspan="3">one per {@link EngineSetting}, with its type, range and default</td></tr>
 *   <tr><td>DEFAULT_DELIVERY</td><td>{@link Delivery}</td><td>{@code ORDERED}</td><td>delivery of a written {@code ByteBuf}; {@link KcpMessage} picks per write</td></tr>
 *   <tr><td>IDLE_TIMEOUT_MILLIS</td><td>long ≥ 0 ms (0: off)</td><td>server 60000, client 0</td><td>close after this long without input</td></tr>
 *   <tr><td>CLOSE_TIMEOUT_MILLIS</td><td>long ≥ 0 ms</td><td>5000</td><td>how long {@code close()} waits for queued data to be acknowledged</td></tr>
 *   <tr><td>SEND_QUEUE_WATER_MARK</td><td>WriteBufferWaterMark, in segments</td><td>low 128, high 256</td><td>{@code isWritable()} against the engine's {@code waitSnd()}</td></tr>
 *   <tr><td>SEND_QUEUE_CAP</td><td>int ≥ 1 segments</td><td>4096</td><td>writes beyond it fail with {@link KcpSendQueueFullException}</td></tr>
 *   <tr><td>MAX_SESSIONS</td><td>int ≥ 1</td><td>10000</td><td>codec only: sessions open at once</td></tr>
 *   <tr><td>FEC</td><td>FecSpec</td><td>off</td><td>the FEC this session sends</td></tr>
 *   <tr><td>FEC_DATA_SHARDS, FEC_PARITY_SHARDS</td><td>int 0..255</td><td>0</td><td>kcp-go's pair: FEC = D/P once both are &gt; 0</td></tr>
 *   <tr><td>FEC_DECODE_UNREQUESTED</td><td>boolean</td><td>true</td><td>decode FEC shards even without FEC</td></tr>
 *   <tr><td>CRYPT</td><td>CryptConfig</td><td>none</td><td>codec only: kcp-go's packet encryption</td></tr>
 * </table>
 *
 * @param <T> the option's value type
 */
public final class KcpChannelOption<T> extends ChannelOption<T> {

  private static final List<KcpChannelOption<?>> ALL = new ArrayList<>();
  private static final Map<EngineSetting<?>, KcpChannelOption<?>> BY_SETTING =
      new IdentityHashMap<>();

  /** All engine settings at once, from a kcp-core preset or {@link KcpConfig#parse(String)}. */
  public static final KcpChannelOption<KcpConfig> KCP_CONFIG =
      session(
          "KCP_CONFIG",
          "KCP_CONFIG",
          "`KcpConfig`",
          "`classic()`",
          "all engine settings at once, e.g. `KcpConfig.parse(\"fast,wnd=256\")`",
          v -> {});

  /** {@link EngineSetting#NODELAY}. */
  public static final KcpChannelOption<Integer> NODELAY = engine(EngineSetting.NODELAY);

  /** {@link EngineSetting#INTERVAL}. */
  public static final KcpChannelOption<Integer> INTERVAL = engine(EngineSetting.INTERVAL);

  /** {@link EngineSetting#FAST_RESEND}. */
  public static final KcpChannelOption<Integer> FAST_RESEND = engine(EngineSetting.FAST_RESEND);

  /** {@link EngineSetting#NO_CONGESTION_WINDOW}. */
  public static final KcpChannelOption<Boolean> NO_CONGESTION_WINDOW =
      engine(EngineSetting.NO_CONGESTION_WINDOW);

  /** {@link EngineSetting#SEND_WINDOW}. */
  public static final KcpChannelOption<Integer> SEND_WINDOW = engine(EngineSetting.SEND_WINDOW);

  /** {@link EngineSetting#RECEIVE_WINDOW}. */
  public static final KcpChannelOption<Integer> RECEIVE_WINDOW =
      engine(EngineSetting.RECEIVE_WINDOW);

  /** {@link EngineSetting#MTU}. */
  public static final KcpChannelOption<Integer> MTU = engine(EngineSetting.MTU);

  /** {@link EngineSetting#MIN_RTO}. */
  public static final KcpChannelOption<Integer> MIN_RTO = engine(EngineSetting.MIN_RTO);

  /** {@link EngineSetting#DEAD_LINK}. */
  public static final KcpChannelOption<Integer> DEAD_LINK = engine(EngineSetting.DEAD_LINK);

  /** {@link EngineSetting#FAST_LIMIT}. */
  public static final KcpChannelOption<Integer> FAST_LIMIT = engine(EngineSetting.FAST_LIMIT);

  /** {@link EngineSetting#STREAM_MODE}. */
  public static final KcpChannelOption<Boolean> STREAM_MODE = engine(EngineSetting.STREAM_MODE);

  /** {@link EngineSetting#MAX_FRAGMENTS}. */
  public static final KcpChannelOption<Integer> MAX_FRAGMENTS = engine(EngineSetting.MAX_FRAGMENTS);

  /** {@link EngineSetting#THIN_STREAM}. */
  public static final KcpChannelOption<Boolean> THIN_STREAM = engine(EngineSetting.THIN_STREAM);

  /** {@link EngineSetting#MAX_RTO}. */
  public static final KcpChannelOption<Integer> MAX_RTO = engine(EngineSetting.MAX_RTO);

  /** {@link EngineSetting#REDUNDANCY}. */
  public static final KcpChannelOption<Integer> REDUNDANCY = engine(EngineSetting.REDUNDANCY);

  /** {@link EngineSetting#REDUNDANCY_BYTES}. */
  public static final KcpChannelOption<Integer> REDUNDANCY_BYTES =
      engine(EngineSetting.REDUNDANCY_BYTES);

  /** {@link EngineSetting#REPEAT_ACKS}. */
  public static final KcpChannelOption<Boolean> REPEAT_ACKS = engine(EngineSetting.REPEAT_ACKS);

  /** {@link EngineSetting#ACK_DELAY}. */
  public static final KcpChannelOption<Integer> ACK_DELAY = engine(EngineSetting.ACK_DELAY);

  /** {@link EngineSetting#DELIVERY_EXTENSION}. */
  public static final KcpChannelOption<Boolean> DELIVERY_EXTENSION =
      engine(EngineSetting.DELIVERY_EXTENSION);

  /**
   * How a written {@code ByteBuf} is delivered to the peer's application; a {@link KcpMessage}
   * chooses per write. Non-ordered modes need {@link #DELIVERY_EXTENSION} on both ends.
   */
  public static final KcpChannelOption<Delivery> DEFAULT_DELIVERY =
      session(
          "KCP_DEFAULT_DELIVERY",
          "DEFAULT_DELIVERY",
          "`Delivery`",
          "`ORDERED`",
          "delivery of a written `ByteBuf` (`ORDERED`, `UNORDERED`, `SEQUENCED`); a `KcpMessage`"
              + " picks per write",
          v -> {});

  /** Close a session after this many ms without a datagram from the peer; 0 disables. */
  public static final KcpChannelOption<Long> IDLE_TIMEOUT_MILLIS =
      session(
          "KCP_IDLE_TIMEOUT_MILLIS",
          "IDLE_TIMEOUT_MILLIS",
          "long ≥ 0 ms (0: off)",
          "server 60000, client 0",
          "close after this long without input",
          v -> range("KCP_IDLE_TIMEOUT_MILLIS", v, 0, Long.MAX_VALUE));

  /** How long {@code close()} waits for the engine's queue to be acknowledged; 0 closes at once. */
  public static final KcpChannelOption<Long> CLOSE_TIMEOUT_MILLIS =
      session(
          "KCP_CLOSE_TIMEOUT_MILLIS",
          "CLOSE_TIMEOUT_MILLIS",
          "long ≥ 0 ms",
          Long.toString(KcpChannelConfig.DEFAULT_CLOSE_TIMEOUT_MILLIS),
          "how long `close()` waits for queued data to be acknowledged",
          v -> range("KCP_CLOSE_TIMEOUT_MILLIS", v, 0, Long.MAX_VALUE));

  /** Writability water marks, in segments of the engine's send queue ({@code waitSnd()}). */
  public static final KcpChannelOption<WriteBufferWaterMark> SEND_QUEUE_WATER_MARK =
      session(
          "KCP_SEND_QUEUE_WATER_MARK",
          "SEND_QUEUE_WATER_MARK",
          "`WriteBufferWaterMark`, segments",
          KcpChannelConfig.DEFAULT_SEND_QUEUE_WATER_MARK.low()
              + " / "
              + KcpChannelConfig.DEFAULT_SEND_QUEUE_WATER_MARK.high(),
          "`isWritable()` against the engine's `waitSnd()`",
          v -> {});

  /** Hard cap of the engine's send queue in segments: writes beyond it fail. */
  public static final KcpChannelOption<Integer> SEND_QUEUE_CAP =
      session(
          "KCP_SEND_QUEUE_CAP",
          "SEND_QUEUE_CAP",
          "int ≥ 1 segments",
          Integer.toString(KcpChannelConfig.DEFAULT_SEND_QUEUE_CAP),
          "writes beyond it fail with `KcpSendQueueFullException`",
          v -> range("KCP_SEND_QUEUE_CAP", v, 1, Integer.MAX_VALUE));

  /** Codec-level: the most sessions open at once; further openings are dropped and counted. */
  public static final KcpChannelOption<Integer> MAX_SESSIONS =
      session(
          "KCP_MAX_SESSIONS",
          "MAX_SESSIONS",
          "int ≥ 1",
          Integer.toString(KcpCodecBuilder.DEFAULT_MAX_SESSIONS),
          "codec only: sessions open at once; more openings are dropped and counted",
          v -> range("KCP_MAX_SESSIONS", v, 1, Integer.MAX_VALUE));

  /**
   * The FEC this session sends ({@link FecSpec}: off, kcp-go's {@code 10/3}, or kcpj's adaptive
   * {@code 10/1-3}, {@code 10/1-3@20ms}); fixed once the session starts. See {@code
   * docs/fec-and-encryption.md}.
   */
  public static final KcpChannelOption<FecSpec> FEC =
      session(
          "KCP_FEC",
          "FEC",
          "`FecSpec`",
          "`off`",
          "FEC sent: kcp-go's `10/3`, adaptive `10/1-3` (kcp-go reads it as 10/3), `10/1-3@20ms`"
              + " (kcpj peers only)",
          v -> {});

  /** kcp-go's data shard count: with {@link #FEC_PARITY_SHARDS}, sets {@link #FEC} to D/P. */
  public static final KcpChannelOption<Integer> FEC_DATA_SHARDS =
      session(
          "KCP_FEC_DATA_SHARDS",
          "FEC_DATA_SHARDS",
          "int 0..255 (0: off)",
          "0",
          "kcp-go's `dataShards`: sets `FEC` to data/parity once both are > 0",
          v -> range("KCP_FEC_DATA_SHARDS", v, 0, 255));

  /** kcp-go's parity shard count: with {@link #FEC_DATA_SHARDS}, sets {@link #FEC} to D/P. */
  public static final KcpChannelOption<Integer> FEC_PARITY_SHARDS =
      session(
          "KCP_FEC_PARITY_SHARDS",
          "FEC_PARITY_SHARDS",
          "int 0..255 (0: off)",
          "0",
          "kcp-go's `parityShards`: sets `FEC` to data/parity once both are > 0",
          v -> range("KCP_FEC_PARITY_SHARDS", v, 0, 255));

  /**
   * Whether FEC shards reaching a session that sends no FEC are decoded (as kcp-go does: a 1/1
   * decoder that re-tunes itself to the sender's counts) or dropped ({@link
   * KcpDropReason#UNEXPECTED_FEC}).
   */
  public static final KcpChannelOption<Boolean> FEC_DECODE_UNREQUESTED =
      session(
          "KCP_FEC_DECODE_UNREQUESTED",
          "FEC_DECODE_UNREQUESTED",
          "boolean",
          "true",
          "decode FEC shards even without `FEC` (kcp-go does); false drops them",
          v -> {});

  /**
   * Codec-level: kcp-go's packet encryption ({@link CryptConfig}: method and key) for every
   * datagram of the codec. Not authenticated: see {@code docs/fec-and-encryption.md}.
   */
  public static final KcpChannelOption<CryptConfig> CRYPT =
      session(
          "KCP_CRYPT",
          "CRYPT",
          "`CryptConfig`",
          "none",
          "codec only: kcp-go's BlockCrypt (`aes`, `aes-128`, `aes-192`, `xor`, `none`, …) and"
              + " key; not authenticated",
          v -> {});

  private final String constantName;
  private final EngineSetting<T> setting;
  private final String rangeText;
  private final String defaultText;
  private final String meaning;
  private final Consumer<T> validator;

  @SuppressWarnings("deprecation")
  private KcpChannelOption(
      String name,
      String constantName,
      EngineSetting<T> setting,
      String rangeText,
      String defaultText,
      String meaning,
      Consumer<T> validator) {
    super(name);
    this.constantName = constantName;
    this.setting = setting;
    this.rangeText = rangeText;
    this.defaultText = defaultText;
    this.meaning = meaning;
    this.validator = validator;
    ALL.add(this);
    if (setting != null) {
      BY_SETTING.put(setting, this);
    }
  }

  private static <T> KcpChannelOption<T> engine(EngineSetting<T> s) {
    return new KcpChannelOption<>(
        "KCP_" + s.name(),
        s.name(),
        s,
        s.rangeText(),
        s.defaultText(),
        s.meaning(),
        v -> s.validate("KCP_" + s.name(), v));
  }

  private static <T> KcpChannelOption<T> session(
      String name,
      String constantName,
      String rangeText,
      String defaultText,
      String meaning,
      Consumer<T> validator) {
    return new KcpChannelOption<>(
        name, constantName, null, rangeText, defaultText, meaning, validator);
  }

  /** Every option, in declaration order: {@code KCP_CONFIG}, the engine settings, the policy. */
  public static List<KcpChannelOption<?>> options() {
    return Collections.unmodifiableList(ALL);
  }

  /** The option of an engine setting. */
  @SuppressWarnings("unchecked")
  public static <T> KcpChannelOption<T> of(EngineSetting<T> setting) {
    return (KcpChannelOption<T>) Objects.requireNonNull(BY_SETTING.get(setting), "setting");
  }

  /** The engine setting this option sets, or null for {@link #KCP_CONFIG} and session policy. */
  public EngineSetting<T> engineSetting() {
    return setting;
  }

  /** The name of the Java constant, e.g. {@code MTU} (the option's {@link #name()} is KCP_MTU). */
  public String constantName() {
    return constantName;
  }

  /** The type and valid range, as the documentation shows them. */
  public String rangeText() {
    return rangeText;
  }

  /** The default, as the documentation shows it. */
  public String defaultText() {
    return defaultText;
  }

  /** What the option does, in one line. */
  public String meaning() {
    return meaning;
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
