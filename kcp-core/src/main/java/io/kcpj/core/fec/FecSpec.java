package io.kcpj.core.fec;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What FEC a session sends: off, kcp-go's fixed {@code data/parity} groups, or kcpj's loss-adaptive
 * variant. Immutable; the text form is what {@code kcpj perf --fec}, compare's {@code fec=} and
 * {@link #parse} read, and what {@link #toString()} writes.
 *
 * <table>
 *   <caption>Forms</caption>
 *   <tr><th>text</th><th>meaning</th><th>a kcp-go peer</th></tr>
 *   <tr><td>{@code off}</td><td>no FEC (the default)</td><td>yes</td></tr>
 *   <tr><td>{@code 10/3}</td><td>kcp-go's FEC: groups of 10 data and 3 parity shards</td>
 *       <td>yes, set to 10/3</td></tr>
 *   <tr><td>{@code 10/1-3}</td><td>adaptive parity: 1 to 3 parity shards per group, chosen from
 *       the loss measured on the shards received; unsent parity seqids are skipped</td>
 *       <td>yes, set to 10/3 (the maximum)</td></tr>
 *   <tr><td>{@code 10/1-3@20ms}, {@code 10/3@20ms}</td><td>as above, and a group still short of
 *       10 data shards 20 ms after its first is closed then, its parity sent at once (thin
 *       streams)</td><td>no: kcpj to kcpj only (kcp-go cannot decode short groups; it still reads
 *       every data shard, and drops their parity as bad KCP datagrams)</td></tr>
 * </table>
 *
 * <p>Bounds: 1 ≤ data, 0 ≤ minimum parity ≤ maximum parity, 1 ≤ maximum parity, data + maximum
 * parity ≤ 256; a deadline of 1 ms to 10 s.
 */
public final class FecSpec {
  /** No FEC. */
  public static final FecSpec OFF = new FecSpec(0, 0, 0, 0);

  /** The longest group deadline accepted. */
  public static final long MAX_DEADLINE_MILLIS = 10_000;

  private static final Pattern FORM =
      Pattern.compile("(\\d{1,3})/(\\d{1,3})(?:-(\\d{1,3}))?(?:@(\\d{1,5})(ms|s)?)?");

  private final int dataShards;
  private final int minParity;
  private final int maxParity;
  private final long deadlineMillis;

  private FecSpec(int dataShards, int minParity, int maxParity, long deadlineMillis) {
    this.dataShards = dataShards;
    this.minParity = minParity;
    this.maxParity = maxParity;
    this.deadlineMillis = deadlineMillis;
  }

  /**
   * kcp-go's fixed FEC; {@code fixed(0, 0)} (or either count 0) is {@link #OFF}, as in kcp-go.
   *
   * @throws IllegalArgumentException for counts out of range
   */
  public static FecSpec fixed(int dataShards, int parityShards) {
    if (dataShards == 0 || parityShards == 0) {
      if (dataShards < 0 || parityShards < 0) {
        throw new IllegalArgumentException(
            "FEC shard counts must be >= 0, got " + dataShards + "/" + parityShards);
      }
      return OFF;
    }
    return of(dataShards, parityShards, parityShards, 0);
  }

  /**
   * Loss-adaptive FEC (kcpj extension): {@code minParity..maxParity} parity shards per group, and
   * with {@code deadlineMillis} &gt; 0 groups closed that long after their first data shard.
   *
   * @throws IllegalArgumentException for values out of range
   */
  public static FecSpec of(int dataShards, int minParity, int maxParity, long deadlineMillis) {
    if (dataShards < 1 || maxParity < 1 || minParity < 0 || minParity > maxParity) {
      throw new IllegalArgumentException(
          "FEC needs data >= 1 and 0 <= min parity <= max parity, max parity >= 1; got "
              + dataShards
              + "/"
              + minParity
              + "-"
              + maxParity);
    }
    if (dataShards + maxParity > ReedSolomon.MAX_TOTAL_SHARDS) {
      throw new IllegalArgumentException(
          "FEC data + parity shards must be at most "
              + ReedSolomon.MAX_TOTAL_SHARDS
              + ", got "
              + dataShards
              + " + "
              + maxParity);
    }
    if (deadlineMillis < 0 || deadlineMillis > MAX_DEADLINE_MILLIS) {
      throw new IllegalArgumentException(
          "FEC group deadline must be 0 (none) to "
              + MAX_DEADLINE_MILLIS
              + " ms, got "
              + deadlineMillis);
    }
    return new FecSpec(dataShards, minParity, maxParity, deadlineMillis);
  }

  /**
   * Reads {@code off}/{@code none}/{@code 0}, {@code D/P}, {@code D/MIN-MAX}, each optionally
   * followed by {@code @N} or {@code @Nms} or {@code @Ns} (the group deadline).
   *
   * @throws IllegalArgumentException naming the text and the expected forms
   */
  public static FecSpec parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("off") || t.equals("none") || t.equals("0") || t.equals("0/0")) {
      return OFF;
    }
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "bad FEC '"
              + text
              + "': expected off, DATA/PARITY (e.g. 10/3), DATA/MIN-MAX (adaptive, e.g. 10/1-3),"
              + " optionally @DEADLINE (e.g. 10/1-3@20ms)");
    }
    int data = Integer.parseInt(m.group(1));
    int min = Integer.parseInt(m.group(2));
    int max = m.group(3) == null ? min : Integer.parseInt(m.group(3));
    long deadline = 0;
    if (m.group(4) != null) {
      deadline = Long.parseLong(m.group(4)) * ("s".equals(m.group(5)) ? 1000 : 1);
      if (deadline == 0) {
        throw new IllegalArgumentException("bad FEC '" + text + "': the deadline must be > 0");
      }
    }
    if (m.group(3) == null && m.group(4) == null) {
      if (data == 0 || min == 0) {
        return OFF;
      }
    }
    try {
      return of(data, min, max, deadline);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad FEC '" + text + "': " + e.getMessage(), e);
    }
  }

  /** Whether FEC is on. */
  public boolean enabled() {
    return dataShards > 0;
  }

  /** Data shards per group (0 when off). */
  public int dataShards() {
    return dataShards;
  }

  /**
   * Parity shards per group on the wire (the maximum of an adaptive spec; 0 when off): what a
   * decoder, kcp-go's included, must be set to.
   */
  public int parityShards() {
    return maxParity;
  }

  /**
   * The fewest parity shards an adaptive spec sends per group (= {@link #parityShards()} if fixed).
   */
  public int minParity() {
    return minParity;
  }

  /** The group deadline in ms (0: none, groups wait for their data shards as in kcp-go). */
  public long deadlineMillis() {
    return deadlineMillis;
  }

  /** Whether the parity count adapts to the measured loss. */
  public boolean adaptive() {
    return minParity < maxParity;
  }

  /**
   * Whether only a kcpj peer can decode what this spec sends in full (a group deadline makes short
   * groups, a kcpj wire extension).
   */
  public boolean kcpjOnly() {
    return deadlineMillis > 0;
  }

  /** The canonical text: {@code off}, {@code 10/3}, {@code 10/1-3}, {@code 10/1-3@20ms}. */
  @Override
  public String toString() {
    if (!enabled()) {
      return "off";
    }
    String s = dataShards + "/" + (adaptive() ? minParity + "-" + maxParity : "" + maxParity);
    return deadlineMillis > 0 ? s + "@" + deadlineMillis + "ms" : s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FecSpec
        && ((FecSpec) o).dataShards == dataShards
        && ((FecSpec) o).minParity == minParity
        && ((FecSpec) o).maxParity == maxParity
        && ((FecSpec) o).deadlineMillis == deadlineMillis;
  }

  @Override
  public int hashCode() {
    return ((dataShards * 257 + minParity) * 257 + maxParity) * 31 + Long.hashCode(deadlineMillis);
  }
}
