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
 *   <tr><td>NO_PROGRESS_TIMEOUT_MILLIS</td><td>long ≥ 0 ms (0: off)</td><td>server 60000, client 0</td><td>close when queued data sees no acknowledgement for this long</td></tr>
 *   <tr><td>PAD_UNTIL_ANSWERED</td><td>int 0..65507 bytes</td><td>client 1200, server 0</td><td>pad datagrams until the peer first sends data</td></tr>
 *   <tr><td>FEC</td><td>FecSpec</td><td>off</td><td>the FEC this session sends</td></tr>
 *   <tr><td>FEC_DATA_SHARDS, FEC_PARITY_SHARDS</td><td>int 0..255</td><td>0</td><td>kcp-go's pair: FEC = D/P once both are &gt; 0</td></tr>
 *   <tr><td>FEC_DECODE_UNREQUESTED</td><td>boolean</td><td>true</td><td>decode FEC shards even without FEC</td></tr>
 *   <tr><td>MAX_SESSIONS</td><td>int ≥ 1</td><td>10000</td><td>codec only: sessions open at once</td></tr>
 *   <tr><td>UNVALIDATED_TIMEOUT_MILLIS</td><td>long ≥ 0 ms</td><td>5000</td><td>codec only: idle timeout of unvalidated sessions</td></tr>
 *   <tr><td>MAX_UNVALIDATED_PER_SOURCE</td><td>int ≥ 1</td><td>¼ of MAX_SESSIONS</td><td>codec only: unvalidated sessions per source address</td></tr>
 *   <tr><td>ANTI_AMPLIFICATION</td><td>boolean</td><td>true</td><td>codec only: until validated, send at most 3× what was received</td></tr>
 *   <tr><td>MEMORY_BUDGET</td><td>long ≥ 1 bytes</td><td>¼ of the maximum heap</td><td>codec only: bytes all sessions' queues may hold</td></tr>
 *   <tr><td>CRYPT</td><td>CryptConfig</td><td>none</td><td>codec only: kcp-go's packet encryption</td></tr>
 * </table>
 *
 * <p>The codec-only options ({@link #isCodecOption()}) are set with {@link
 * KcpCodecBuilder#option(ChannelOption, Object)} and describe the codec's session table and its
 * defences (see {@link KcpServerCodec}); a session's config does not take them.
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

  /**
   * Close a session whose peer acknowledges none of its queued data for this many ms (a peer that
   * never acknowledges, or advertises a zero window forever); 0 disables. The clock starts when
   * data is queued and restarts at each acknowledgement that moves the send window.
   */
  public static final KcpChannelOption<Long> NO_PROGRESS_TIMEOUT_MILLIS =
      session(
          "KCP_NO_PROGRESS_TIMEOUT_MILLIS",
          "NO_PROGRESS_TIMEOUT_MILLIS",
          "long ≥ 0 ms (0: off)",
          "server " + KcpServerCodecBuilder.DEFAULT_NO_PROGRESS_TIMEOUT_MILLIS + ", client 0",
          "close when queued data sees no acknowledgement for this long (zero window included)",
          v -> range("KCP_NO_PROGRESS_TIMEOUT_MILLIS", v, 0, Long.MAX_VALUE));

  /**
   * Client: until the peer first sends data, pad each datagram to this many bytes (at most the MTU)
   * with a WINS segment carrying filler, which every KCP receiver skips (it only reads the
   * segment's window and una, copied from the datagram's own segments); at most {@value
   * #PADDED_DATAGRAMS} datagrams per session. A server's anti-amplification limit ({@link
   * #ANTI_AMPLIFICATION}) lets it answer with three times what it received, so a padded first
   * request lets a first answer of up to three times this size through before the client is
   * validated (QUIC pads its first datagrams to 1200 bytes for the same reason). 0 disables.
   */
  public static final KcpChannelOption<Integer> PAD_UNTIL_ANSWERED =
      session(
          "KCP_PAD_UNTIL_ANSWERED",
          "PAD_UNTIL_ANSWERED",
          "int 0..65507 bytes (0: off)",
          "client " + KcpClientCodecBuilder.DEFAULT_PAD_UNTIL_ANSWERED + ", server 0",
          "pad datagrams to this size until the peer first sends data (lets a server's"
              + " anti-amplification limit pass a first answer)",
          v -> range("KCP_PAD_UNTIL_ANSWERED", v, 0, 65_507));

  /** How many datagrams of a session {@link #PAD_UNTIL_ANSWERED} pads at most. */
  public static final int PADDED_DATAGRAMS = 10;

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

  /** Codec-level: the most sessions open at once (see {@link KcpServerCodec} for admission). */
  public static final KcpChannelOption<Integer> MAX_SESSIONS =
      codec(
          "KCP_MAX_SESSIONS",
          "MAX_SESSIONS",
          "int ≥ 1",
          Integer.toString(KcpCodecBuilder.DEFAULT_MAX_SESSIONS),
          "codec only: sessions open at once; when full, an opening evicts the oldest unvalidated"
              + " session, or is dropped and counted",
          v -> range("KCP_MAX_SESSIONS", v, 1, Integer.MAX_VALUE));

  /**
   * Codec-level, server: an unvalidated session (its peer has acknowledged nothing yet) is closed
   * after this many ms without a datagram from its peer; 0 leaves it to {@link
   * #IDLE_TIMEOUT_MILLIS}.
   */
  public static final KcpChannelOption<Long> UNVALIDATED_TIMEOUT_MILLIS =
      codec(
          "KCP_UNVALIDATED_TIMEOUT_MILLIS",
          "UNVALIDATED_TIMEOUT_MILLIS",
          "long ≥ 0 ms (0: idle timeout only)",
          Long.toString(KcpCodecBuilder.DEFAULT_UNVALIDATED_TIMEOUT_MILLIS),
          "codec only: an unvalidated session closes after this long without input",
          v -> range("KCP_UNVALIDATED_TIMEOUT_MILLIS", v, 0, Long.MAX_VALUE));

  /**
   * Codec-level, server: the most unvalidated sessions one source may hold (a source is an IPv4
   * address or an IPv6 /64 prefix); further openings from it are dropped as {@link
   * KcpDropReason#SOURCE_LIMIT} until some validate or close. Default: a quarter of {@link
   * #MAX_SESSIONS}.
   */
  public static final KcpChannelOption<Integer> MAX_UNVALIDATED_PER_SOURCE =
      codec(
          "KCP_MAX_UNVALIDATED_PER_SOURCE",
          "MAX_UNVALIDATED_PER_SOURCE",
          "int ≥ 1",
          "¼ of `MAX_SESSIONS`",
          "codec only: unvalidated sessions one source address (IPv6: /64) may hold",
          v -> range("KCP_MAX_UNVALIDATED_PER_SOURCE", v, 1, Integer.MAX_VALUE));

  /**
   * Codec-level, server: until its peer is validated, a session sends at most three times the bytes
   * it received from it, retransmissions included (QUIC's anti-amplification rule), so that forged
   * openings cannot turn the server into an amplifier. A peer whose first message is answered with
   * more than three times its size gets the answer only once it sends more or validates; switch
   * this off only if such peers cannot be changed and amplification is acceptable.
   */
  public static final KcpChannelOption<Boolean> ANTI_AMPLIFICATION =
      codec(
          "KCP_ANTI_AMPLIFICATION",
          "ANTI_AMPLIFICATION",
          "boolean",
          "true",
          "codec only: until validated, a session sends at most 3× the bytes it received",
          v -> {});

  /**
   * Codec-level: the most bytes all of a codec's sessions may hold in their engines' send and
   * receive queues and unflushed writes; past it, the sessions holding the most are closed ({@link
   * KcpCloseReason#MEMORY_BUDGET}). Default: a quarter of the JVM's maximum heap.
   */
  public static final KcpChannelOption<Long> MEMORY_BUDGET =
      codec(
          "KCP_MEMORY_BUDGET",
          "MEMORY_BUDGET",
          "long ≥ 1 bytes",
          "¼ of the maximum heap",
          "codec only: bytes all sessions' queues may hold; past it the largest holders close",
          v -> range("KCP_MEMORY_BUDGET", v, 1, Long.MAX_VALUE));

  /**
   * Codec-level: kcp-go's packet encryption ({@link CryptConfig}: method and key) for every
   * datagram of the codec. Not authenticated: see {@code docs/fec-and-encryption.md}.
   */
  public static final KcpChannelOption<CryptConfig> CRYPT =
      codec(
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
  private final boolean codecOption;

  @SuppressWarnings("deprecation")
  private KcpChannelOption(
      String name,
      String constantName,
      EngineSetting<T> setting,
      String rangeText,
      String defaultText,
      String meaning,
      Consumer<T> validator,
      boolean codecOption) {
    super(name);
    this.codecOption = codecOption;
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
        v -> s.validate("KCP_" + s.name(), v),
        false);
  }

  private static <T> KcpChannelOption<T> session(
      String name,
      String constantName,
      String rangeText,
      String defaultText,
      String meaning,
      Consumer<T> validator) {
    return new KcpChannelOption<>(
        name, constantName, null, rangeText, defaultText, meaning, validator, false);
  }

  private static <T> KcpChannelOption<T> codec(
      String name,
      String constantName,
      String rangeText,
      String defaultText,
      String meaning,
      Consumer<T> validator) {
    return new KcpChannelOption<>(
        name, constantName, null, rangeText, defaultText, meaning, validator, true);
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

  /**
   * True for an option of the codec itself (its session table and defences, e.g. {@link
   * #MAX_SESSIONS}): set it on a codec builder; a session's config does not take it.
   */
  public boolean isCodecOption() {
    return codecOption;
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
