package io.kcpj.core;

import io.kcpj.core.cc.NoCongestionWindow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One engine setting, and the table of all of them: the single place where a setting's name, type,
 * valid range, default and reference (ikcp) meaning are written down. {@link KcpConfig} (builder,
 * validation, the {@link KcpConfig#parse compact text form}) and kcp-netty's {@code
 * KcpChannelOption}s are both driven by this table, and {@link Kcp}'s setters check their values
 * with it, so the three cannot disagree.
 *
 * <table>
 *   <caption>Engine settings (the generated table in {@code docs/kcp-protocol.md} adds the meaning)</caption>
 *   <tr><th>constant</th><th>key</th><th>type, range</th><th>default</th><th>ikcp</th></tr>
 *   <tr><td>{@link #NODELAY}</td><td>nodelay</td><td>int 0..2</td><td>0</td><td>{@code ikcp_nodelay} nodelay</td></tr>
 *   <tr><td>{@link #INTERVAL}</td><td>interval</td><td>int 10..5000 ms</td><td>100</td><td>{@code ikcp_interval}</td></tr>
 *   <tr><td>{@link #FAST_RESEND}</td><td>resend</td><td>int 0..65535</td><td>0</td><td>{@code fastresend}</td></tr>
 *   <tr><td>{@link #NO_CONGESTION_WINDOW}</td><td>nc</td><td>boolean</td><td>false</td><td>{@code nocwnd}</td></tr>
 *   <tr><td>{@link #SEND_WINDOW}</td><td>sndwnd</td><td>int 1..65535 segments</td><td>32</td><td>{@code snd_wnd}</td></tr>
 *   <tr><td>{@link #RECEIVE_WINDOW}</td><td>rcvwnd</td><td>int 128..65535 segments</td><td>128</td><td>{@code rcv_wnd}</td></tr>
 *   <tr><td>{@link #MTU}</td><td>mtu</td><td>int 50..65507 bytes</td><td>1400</td><td>{@code ikcp_setmtu}</td></tr>
 *   <tr><td>{@link #MIN_RTO}</td><td>minrto</td><td>int 1..60000 ms</td><td>100 (30 after nodelay ≠ 0)</td><td>{@code rx_minrto}</td></tr>
 *   <tr><td>{@link #DEAD_LINK}</td><td>deadlink</td><td>int ≥ 1</td><td>20</td><td>{@code dead_link}</td></tr>
 *   <tr><td>{@link #FAST_LIMIT}</td><td>fastlimit</td><td>int ≥ 0 (0: none)</td><td>5</td><td>{@code fastlimit}</td></tr>
 *   <tr><td>{@link #STREAM_MODE}</td><td>stream</td><td>boolean</td><td>false</td><td>{@code stream}</td></tr>
 *   <tr><td>{@link #MAX_FRAGMENTS}</td><td>maxfrag</td><td>int 1..255</td><td>127</td><td>{@code IKCP_WND_RCV - 1}</td></tr>
 *   <tr><td>{@link #THIN_STREAM}</td><td>thin</td><td>boolean</td><td>false</td><td>(kcpj)</td></tr>
 *   <tr><td>{@link #MAX_RTO}</td><td>maxrto</td><td>int 0..60000 ms</td><td>0 (none)</td><td>(kcpj)</td></tr>
 *   <tr><td>{@link #REDUNDANCY}</td><td>dup</td><td>int 0..8</td><td>0</td><td>(kcpj)</td></tr>
 *   <tr><td>{@link #REDUNDANCY_BYTES}</td><td>dupbytes</td><td>int 0..65507 bytes</td><td>256</td><td>(kcpj)</td></tr>
 *   <tr><td>{@link #REPEAT_ACKS}</td><td>repeatacks</td><td>boolean</td><td>true</td><td>every PUSH is acked</td></tr>
 *   <tr><td>{@link #ACK_DELAY}</td><td>ackdelay</td><td>int 0..1000 ms</td><td>0</td><td>(kcpj)</td></tr>
 *   <tr><td>{@link #DELIVERY_EXTENSION}</td><td>xdelivery</td><td>boolean</td><td>false</td><td>(kcpj wire extension)</td></tr>
 * </table>
 *
 * <p>The last seven are kcpj's latency additions ({@code docs/latency.md}); with their defaults the
 * engine is the reference's.
 *
 * <p>The defaults are the C reference's ({@code ikcp_create}): a {@code new Kcp(conv, output)}
 * starts with exactly these values. {@link #all()} lists the settings in the order they are applied
 * to an engine: {@code nodelay} comes before {@code minrto} because setting nodelay also sets the
 * minimum RTO (30 ms if non-zero, else 100 ms), as {@code ikcp_nodelay} does.
 *
 * <p>A setting is immutable and thread-safe. {@link #applyTo(Kcp, Object)} changes one engine's
 * setting and nothing else (the engine's own thread only).
 *
 * @param <T> the value type: {@code Integer} ({@link IntSetting}) or {@code Boolean} ({@link
 *     BooleanSetting})
 */
public abstract sealed class EngineSetting<T>
    permits EngineSetting.IntSetting, EngineSetting.BooleanSetting {

  /** ikcp's {@code IKCP_RTO_NDL}: the minimum RTO once nodelay is non-zero. */
  public static final int MIN_RTO_NODELAY = 30;

  /** ikcp's {@code IKCP_RTO_MIN}: the minimum RTO with nodelay 0 (the default). */
  public static final int MIN_RTO_NORMAL = 100;

  private static final int UNBOUNDED = Integer.MAX_VALUE;

  /**
   * How a timed-out segment's RTO grows, and the minimum RTO: 0 doubles it (and the first timeout
   * waits an extra rto/8), 1 adds half of the segment's RTO, 2 adds half of the engine's RTO.
   * Setting it also sets {@link #MIN_RTO} to 30 ms if non-zero, else 100 ms.
   */
  public static final IntSetting NODELAY =
      new IntSetting(
          "NODELAY",
          "nodelay",
          0,
          2,
          0,
          "",
          "ikcp_nodelay(nodelay, ...)",
          "RTO back-off on timeout: 0 doubles it, 1 adds half, 2 adds half the engine RTO;"
              + " setting it also sets minrto (30 ms if non-zero, else 100 ms)",
          Kcp::setNodelay,
          Kcp::nodelay);

  /** Flush interval: {@link Kcp#update} flushes every this many ms (ikcp clamps to 10..5000). */
  public static final IntSetting INTERVAL =
      new IntSetting(
          "INTERVAL",
          "interval",
          10,
          5000,
          100,
          "ms",
          "ikcp_interval, ikcp_nodelay(.., interval, ..)",
          "flush interval of update(); also the floor of the RTO's variance term",
          Kcp::setInterval,
          Kcp::interval);

  /** Fast retransmit after this many ACKs of later segments; 0 turns fast retransmit off. */
  public static final IntSetting FAST_RESEND =
      new IntSetting(
          "FAST_RESEND",
          "resend",
          0,
          65535,
          0,
          "",
          "ikcp_nodelay(.., resend, ..): fastresend",
          "fast retransmit a segment once this many ACKs of later segments skipped it (0: off)",
          Kcp::setFastResend,
          Kcp::fastResend);

  /**
   * No congestion window: send up to {@code min(sndwnd, remote window)} whatever the losses ({@code
   * NoCongestionWindow}); off, ikcp's own congestion control ({@code ClassicKcp}) applies. No
   * effect while a custom congestion controller is installed.
   */
  public static final BooleanSetting NO_CONGESTION_WINDOW =
      new BooleanSetting(
          "NO_CONGESTION_WINDOW",
          "nc",
          false,
          "ikcp_nodelay(.., nc): nocwnd",
          "ignore the congestion window (NoCongestionWindow) instead of ikcp's (ClassicKcp)",
          Kcp::setNoCongestionWindow,
          kcp -> kcp.congestionControl() instanceof NoCongestionWindow);

  /** The most segments in flight (before the peer's window and the congestion window). */
  public static final IntSetting SEND_WINDOW =
      new IntSetting(
          "SEND_WINDOW",
          "sndwnd",
          1,
          65535,
          32,
          "segments",
          "ikcp_wndsize(sndwnd, ..): snd_wnd",
          "most segments in flight",
          (kcp, v) -> kcp.setWindowSize(v, 0),
          Kcp::sendWindow);

  /**
   * Segments the receiver holds for reassembly; what is free of it is advertised in every segment's
   * {@code wnd}. At least 128 (ikcp's {@code IKCP_WND_RCV}: a receiver must be able to hold a whole
   * message of 127 fragments); at most 65535 (the 16-bit {@code wnd} field).
   */
  public static final IntSetting RECEIVE_WINDOW =
      new IntSetting(
          "RECEIVE_WINDOW",
          "rcvwnd",
          128,
          65535,
          128,
          "segments",
          "ikcp_wndsize(.., rcvwnd): rcv_wnd",
          "segments the receiver holds; its free part is advertised as wnd",
          (kcp, v) -> kcp.setWindowSize(0, v),
          Kcp::receiveWindow);

  /** The largest datagram; a segment carries at most {@code mss = mtu - 24} payload bytes. */
  public static final IntSetting MTU =
      new IntSetting(
          "MTU",
          "mtu",
          50,
          65507,
          1400,
          "bytes",
          "ikcp_setmtu",
          "largest datagram; mss = mtu - 24",
          Kcp::setMtu,
          Kcp::mtu);

  /** Lower bound of the RTO; reset to 30 or 100 ms by {@link #NODELAY}. */
  public static final IntSetting MIN_RTO =
      new IntSetting(
          "MIN_RTO",
          "minrto",
          1,
          Kcp.RTO_MAX,
          MIN_RTO_NORMAL,
          "ms",
          "rx_minrto",
          "lower bound of the RTO",
          Kcp::setMinRto,
          Kcp::minRto);

  /** A segment transmitted this many times marks the link dead ({@link Kcp#isDeadLink()}). */
  public static final IntSetting DEAD_LINK =
      new IntSetting(
          "DEAD_LINK",
          "deadlink",
          1,
          UNBOUNDED,
          20,
          "transmissions",
          "dead_link (state = -1)",
          "a segment sent this many times marks the link dead",
          Kcp::setDeadLink,
          Kcp::deadLink);

  /** Fast retransmit only while a segment was sent at most this many times; 0: no limit. */
  public static final IntSetting FAST_LIMIT =
      new IntSetting(
          "FAST_LIMIT",
          "fastlimit",
          0,
          UNBOUNDED,
          5,
          "transmissions",
          "fastlimit (IKCP_FASTACK_LIMIT)",
          "fast retransmit only while a segment was sent at most this many times (0: no limit)",
          Kcp::setFastLimit,
          Kcp::fastLimit);

  /** A byte stream instead of messages: no message boundaries, sends top up the last segment. */
  public static final BooleanSetting STREAM_MODE =
      new BooleanSetting(
          "STREAM_MODE",
          "stream",
          false,
          "stream",
          "byte stream (no message boundaries) instead of messages",
          Kcp::setStreamMode,
          Kcp::isStreamMode);

  /**
   * The most fragments one message may take: 127 in the reference (a message of {@code 127 * mss}
   * bytes). Up to 255 is an opt-in extension (the {@code frg} field holds 255); the
   * <em>receiver's</em> receive window must then be larger than this value, or it can never
   * reassemble such a message.
   */
  public static final IntSetting MAX_FRAGMENTS =
      new IntSetting(
          "MAX_FRAGMENTS",
          "maxfrag",
          1,
          255,
          127,
          "fragments",
          "IKCP_WND_RCV - 1 (fixed in ikcp)",
          "most fragments per message (the message size limit); above 127 is an extension:"
              + " the receiver's rcvwnd must exceed it",
          Kcp::setMaxFragments,
          Kcp::maxFragments);

  /**
   * Thin-stream loss recovery (a kcpj addition, sender side): RACK-style time-based loss detection,
   * a tail-loss probe, linear timeouts, outage probing and an immediate resend when the peer is
   * heard again ({@link io.kcpj.core.loss.ThinStreamLossDetection}), instead of ikcp's fast-ack
   * count and per-segment RTO ({@link io.kcpj.core.loss.ReferenceLossDetection}). It also keeps a
   * finer RTO estimator beside ikcp's truncating one and uses it, with a longer ACK hold, only
   * while the ACKs show that ikcp's timeouts would mostly be spurious (the RTO gate, {@code
   * docs/latency.md}). The wire stays the reference's.
   */
  public static final BooleanSetting THIN_STREAM =
      new BooleanSetting(
          "THIN_STREAM",
          "thin",
          false,
          "(kcpj)",
          "thin-stream loss recovery: RACK-style detection, tail-loss probe, linear timeouts,"
              + " outage probing and resume (ThinStreamLossDetection) instead of ikcp's; a finer"
              + " RTO estimator while ACKs show ikcp's timeouts to be mostly spurious",
          Kcp::setThinStream,
          Kcp::isThinStream);

  /**
   * Upper bound of a segment's backed-off RTO (a kcpj addition); 0 leaves it unbounded, as in the
   * reference (whose segment RTO grows without limit).
   */
  public static final IntSetting MAX_RTO =
      new IntSetting(
          "MAX_RTO",
          "maxrto",
          0,
          Kcp.RTO_MAX,
          0,
          "ms",
          "(kcpj)",
          "upper bound of a segment's backed-off RTO (0: none, as the reference)",
          Kcp::setMaxRto,
          Kcp::maxRto);

  /**
   * Proactive redundancy (a kcpj addition, sender side): how many copies of each recent
   * unacknowledged segment ride in later datagrams that go out anyway; 0 turns it off. A copy is an
   * ordinary repeated segment on the wire.
   */
  public static final IntSetting REDUNDANCY =
      new IntSetting(
          "REDUNDANCY",
          "dup",
          0,
          8,
          0,
          "copies",
          "(kcpj)",
          "copies of each recent unacknowledged segment carried by later datagrams that go out"
              + " anyway (0: off)",
          Kcp::setRedundancy,
          Kcp::redundancy);

  /**
   * The byte budget of {@link #REDUNDANCY}: most bytes of copies, headers included, per datagram.
   */
  public static final IntSetting REDUNDANCY_BYTES =
      new IntSetting(
          "REDUNDANCY_BYTES",
          "dupbytes",
          0,
          65507,
          256,
          "bytes",
          "(kcpj)",
          "most bytes of redundant copies (headers included) added to one datagram",
          Kcp::setRedundancyBytes,
          Kcp::redundancyBytes);

  /**
   * Whether every repeated PUSH is acknowledged, as in the reference. Off (a kcpj addition,
   * receiver side), a repeat of a segment already delivered gets an ACK only when nothing else is
   * sent in the next flush (any other segment carries the una that covers it): redundant copies
   * then cost no ACK bytes.
   */
  public static final BooleanSetting REPEAT_ACKS =
      new BooleanSetting(
          "REPEAT_ACKS",
          "repeatacks",
          true,
          "acklist push of every PUSH",
          "acknowledge every repeated PUSH; off: a repeat below rcv_nxt is answered by the una"
              + " of the next flush (an ACK only if it sends nothing else)",
          Kcp::setRepeatAcks,
          Kcp::repeatAcks);

  /**
   * Delayed ACKs (a kcpj addition, receiver side): an ACK waits at most {@code min(ackdelay, srtt /
   * 4)} ms ({@code srtt / 2} while the thin-stream mode's RTO gate is open) for a datagram that
   * goes out anyway (new data, the next message of a game's stream), so that it costs its 24 bytes
   * and not a datagram of its own; 0 sends ACKs with the next flush, as the reference does. The
   * peer's RTT samples then include the wait.
   */
  public static final IntSetting ACK_DELAY =
      new IntSetting(
          "ACK_DELAY",
          "ackdelay",
          0,
          1000,
          0,
          "ms",
          "(kcpj)",
          "most ms an ACK waits (at most srtt/4, srtt/2 while thin's RTO gate is open) for a"
              + " datagram going out anyway (0: none, as the reference)",
          Kcp::setAckDelay,
          Kcp::ackDelay);

  /**
   * The delivery extension (kcpj wire extension, both ends): unordered and sequenced messages,
   * segment commands 85–88 ({@code docs/wire-extensions.md}). Off, those commands are refused as
   * the reference refuses them.
   */
  public static final BooleanSetting DELIVERY_EXTENSION =
      new BooleanSetting(
          "DELIVERY_EXTENSION",
          "xdelivery",
          false,
          "(kcpj wire extension)",
          "send and accept unordered and sequenced messages (segment commands 85-88); both ends"
              + " must enable it",
          Kcp::setDeliveryExtension,
          Kcp::deliveryExtension);

  private static final List<EngineSetting<?>> ALL =
      List.of(
          NODELAY,
          INTERVAL,
          FAST_RESEND,
          NO_CONGESTION_WINDOW,
          SEND_WINDOW,
          RECEIVE_WINDOW,
          MTU,
          MIN_RTO,
          DEAD_LINK,
          FAST_LIMIT,
          STREAM_MODE,
          MAX_FRAGMENTS,
          THIN_STREAM,
          MAX_RTO,
          REDUNDANCY,
          REDUNDANCY_BYTES,
          REPEAT_ACKS,
          ACK_DELAY,
          DELIVERY_EXTENSION);

  private static final Map<String, EngineSetting<?>> BY_KEY = new LinkedHashMap<>();

  static {
    for (int i = 0; i < ALL.size(); i++) {
      EngineSetting<?> s = ALL.get(i);
      s.index = i;
      BY_KEY.put(s.key, s);
    }
  }

  private final String name;
  private final String key;
  private final Class<T> type;
  private final T defaultValue;
  private final String reference;
  private final String meaning;
  private final BiConsumer<Kcp, T> applier;
  private final Function<Kcp, T> reader;
  private int index;

  private EngineSetting(
      String name,
      String key,
      Class<T> type,
      T defaultValue,
      String reference,
      String meaning,
      BiConsumer<Kcp, T> applier,
      Function<Kcp, T> reader) {
    this.name = name;
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.reference = reference;
    this.meaning = meaning;
    this.applier = applier;
    this.reader = reader;
  }

  /** Every setting, in the order they are applied to an engine. */
  public static List<EngineSetting<?>> all() {
    return ALL;
  }

  /**
   * The setting whose {@link #key()} is {@code key} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the valid keys if there is none
   */
  public static EngineSetting<?> forKey(String key) {
    EngineSetting<?> s = BY_KEY.get(key.toLowerCase(Locale.ROOT));
    if (s == null) {
      throw new IllegalArgumentException(
          "unknown setting '" + key + "'; valid settings: " + String.join(", ", BY_KEY.keySet()));
    }
    return s;
  }

  /** The minimum RTO that {@code nodelay} implies, as {@code ikcp_nodelay} sets it. */
  public static int minRtoFor(int nodelay) {
    return nodelay != 0 ? MIN_RTO_NODELAY : MIN_RTO_NORMAL;
  }

  /** The constant's name, e.g. {@code SEND_WINDOW} (kcp-netty's option is {@code KCP_} + it). */
  public final String name() {
    return name;
  }

  /** The key of the compact text form ({@link KcpConfig#parse}), e.g. {@code sndwnd}. */
  public final String key() {
    return key;
  }

  /** {@code Integer.class} or {@code Boolean.class}. */
  public final Class<T> type() {
    return type;
  }

  /** The C reference's default ({@code ikcp_create}). */
  public final T defaultValue() {
    return defaultValue;
  }

  /** The default as the documentation shows it, with its unit. */
  public String defaultText() {
    return String.valueOf(defaultValue);
  }

  /** The type and valid range as the documentation shows them, e.g. {@code int 50..65507 bytes}. */
  public abstract String rangeText();

  /** The reference's name for it (ikcp function or field). */
  public final String reference() {
    return reference;
  }

  /** What it does, in one line. */
  public final String meaning() {
    return meaning;
  }

  /**
   * Returns {@code value} if it is valid, else throws {@link IllegalArgumentException} naming
   * {@code label} (e.g. the option's name) and the valid range; null throws {@link
   * NullPointerException}.
   */
  public abstract T validate(String label, T value);

  /** {@link #validate(String, Object)} naming the setting by its key. */
  public final T validate(T value) {
    return validate(key, value);
  }

  /**
   * Parses a value of the compact text form.
   *
   * @throws IllegalArgumentException if the text is not a value of this type (the range is checked
   *     by {@link #validate})
   */
  public abstract T parse(String text);

  /** This setting's value in {@code config}. */
  public final T get(KcpConfig config) {
    return type.cast(config.get(this));
  }

  /**
   * Changes this one setting of a live engine, as the engine's own setter does (nothing else
   * changes, except that {@link #NODELAY} also sets the minimum RTO, as in ikcp). Call it on the
   * engine's thread.
   *
   * @throws IllegalArgumentException if {@code value} is outside the range
   */
  public final void applyTo(Kcp engine, T value) {
    applier.accept(engine, validate(value));
  }

  /** The value {@code engine} runs with now (its getter). */
  public final T readFrom(Kcp engine) {
    return reader.apply(engine);
  }

  /** {@link #applyTo} for a value of unchecked type (from a {@link KcpConfig}'s table). */
  final void applyUnchecked(Kcp engine, Object value) {
    applyTo(engine, type.cast(value));
  }

  /** Position in {@link #all()}: a {@link KcpConfig} stores its values at these indices. */
  final int index() {
    return index;
  }

  @Override
  public String toString() {
    return key;
  }

  /** An integer setting with an inclusive range and a unit. */
  public static final class IntSetting extends EngineSetting<Integer> {
    private final int min;
    private final int max;
    private final String unit;

    private IntSetting(
        String name,
        String key,
        int min,
        int max,
        int defaultValue,
        String unit,
        String reference,
        String meaning,
        BiConsumer<Kcp, Integer> applier,
        Function<Kcp, Integer> reader) {
      super(name, key, Integer.class, defaultValue, reference, meaning, applier, reader);
      this.min = min;
      this.max = max;
      this.unit = unit;
    }

    /** The smallest valid value. */
    public int min() {
      return min;
    }

    /** The largest valid value. */
    public int max() {
      return max;
    }

    /** The default as an {@code int}. */
    public int defaultInt() {
      return defaultValue();
    }

    /** The unit of the value ({@code ms}, {@code segments}, …), or empty. */
    public String unit() {
      return unit;
    }

    /** {@code value} if within [min, max], else an {@link IllegalArgumentException}. */
    public int check(String label, int value) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            label + " must be in [" + min + ", " + max + "], got " + value);
      }
      return value;
    }

    @Override
    public Integer validate(String label, Integer value) {
      Objects.requireNonNull(value, label);
      check(label, value);
      return value;
    }

    @Override
    public Integer parse(String text) {
      try {
        return Integer.valueOf(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a whole number", e);
      }
    }

    @Override
    public String defaultText() {
      // The one default that depends on another setting: nodelay sets the minimum RTO.
      String note = this == MIN_RTO ? " (" + MIN_RTO_NODELAY + " ms once nodelay ≠ 0)" : "";
      return defaultValue() + (unit.isEmpty() ? "" : " " + unit) + note;
    }

    @Override
    public String rangeText() {
      String range = max == UNBOUNDED ? "≥ " + min : min + ".." + max;
      return "int " + range + (unit.isEmpty() ? "" : " " + unit);
    }
  }

  /** A boolean setting. */
  public static final class BooleanSetting extends EngineSetting<Boolean> {
    private BooleanSetting(
        String name,
        String key,
        boolean defaultValue,
        String reference,
        String meaning,
        BiConsumer<Kcp, Boolean> applier,
        Function<Kcp, Boolean> reader) {
      super(name, key, Boolean.class, defaultValue, reference, meaning, applier, reader);
    }

    @Override
    public Boolean validate(String label, Boolean value) {
      return Objects.requireNonNull(value, label);
    }

    /** {@code true/false}, {@code 1/0}, {@code on/off} or {@code yes/no}. */
    @Override
    public Boolean parse(String text) {
      switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "true":
        case "1":
        case "on":
        case "yes":
          return true;
        case "false":
        case "0":
        case "off":
        case "no":
          return false;
        default:
          throw new IllegalArgumentException(
              "'" + text + "' is not a boolean (true/false, 1/0, on/off)");
      }
    }

    @Override
    public String rangeText() {
      return "boolean";
    }
  }
}
