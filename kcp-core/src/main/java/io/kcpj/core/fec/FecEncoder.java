package io.kcpj.core.fec;

import java.nio.ByteBuffer;

/**
 * kcp-go's FEC encoder: wraps each outgoing KCP datagram in a data shard and, after every {@code
 * dataShards} of them, emits {@code parityShards} Reed-Solomon parity shards, on kcp-go's wire (see
 * {@link FecHeader} and {@code docs/fec-and-encryption.md}).
 *
 * <p><b>What it does per datagram</b> ({@link #encode}): the KCP datagram (L bytes) becomes a data
 * shard {@code [seqid][0xf1][size = L + 2][KCP]}, handed to the sink at once; a copy stays in the
 * group. When the group holds {@code dataShards} datagrams, every data shard's {@code [size][KCP]}
 * part is zero-padded to the longest one and the parity of those equal-length blocks is computed;
 * each parity shard {@code [seqid][0xf2][parity]} is then handed to the sink, right after the data
 * shard that completed the group. Seqids run on across groups and wrap to 0 at the largest multiple
 * of {@code dataShards + parityShards} below 2³², so a group never straddles the wrap, exactly as
 * kcp-go does.
 *
 * <p><b>Parity pause</b> (off by default, as in kcp-go 5.6.1): with {@link #setParityPauseMillis}
 * set to a positive value, a group whose last data shard came that long or longer after the one
 * before it gets no parity (its seqids are skipped, so groups stay aligned): the receiver would
 * rather have the retransmission by then. Newer kcp-go releases (5.6.6 on) do this with the
 * session's RTO, and from later releases with a fixed 500 ms.
 *
 * <p><b>kcpj extensions</b> (off by default; used by loss-adaptive FEC, {@link FecSpec}): {@link
 * #setParityToSend} sends only the first n of a group's parity shards and skips the seqids of the
 * rest, exactly as the parity pause does, so any kcp-go decoder still reads the groups right;
 * {@link #closeGroup} closes a group before its {@code dataShards} datagrams have come (a deadline
 * for thin streams): the missing data positions count as zero blocks and are skipped, and the
 * parity is sent as <em>short-group parity</em> ({@link FecHeader#SHORT_PARITY_MARK}), which only
 * kcpj's {@link FecReceiver} understands (kcp-go refuses it as a bad KCP datagram).
 *
 * <p><b>Buffers and threads.</b> Datagrams handed to the sink live in the encoder's own shard
 * buffers: valid only during the call (see {@link DatagramSink}). Steady state allocates nothing.
 * Not thread-safe: one encoder per session, used on the session's thread.
 *
 * <p>Worked example, 10/3 (the bytes are kcp-go's, see the vectors under {@code interop/kcpgo}):
 *
 * <pre>{@code
 * FecEncoder fec = new FecEncoder(10, 3);
 * // in the engine's output callback:
 * fec.encode(kcpDatagram, nowMillis, (buf, off, len) -> send(buf, off, len));
 * // datagrams 1..9 each send 1 data shard; datagram 10 sends its data shard and 3 parity shards
 * }</pre>
 */
public final class FecEncoder {
  /** kcp-go's largest datagram (its {@code mtuLimit}): the default bound on what is encoded. */
  public static final int DEFAULT_MAX_DATAGRAM = 1500;

  /** Counters of one encoder; plain fields read on the encoder's thread. */
  public static final class Counters {
    /** Data shards emitted (one per KCP datagram). */
    public long dataShards;

    /** Parity shards emitted. */
    public long parityShards;

    /** Groups that got no parity because of the parity pause. */
    public long pausedGroups;

    /** Parity shards not sent because of {@link #setParityToSend} (their seqids skipped). */
    public long skippedParity;

    /** Groups closed early by {@link #closeGroup} (kcpj extension). */
    public long shortGroups;

    @Override
    public String toString() {
      return "FecEncoder.Counters{dataShards="
          + dataShards
          + ", parityShards="
          + parityShards
          + ", pausedGroups="
          + pausedGroups
          + ", skippedParity="
          + skippedParity
          + ", shortGroups="
          + shortGroups
          + '}';
    }
  }

  private final int dataShards;
  private final int parityShards;
  private final int maxDatagram;
  private final long wrap;
  private final ReedSolomon rs;
  private final byte[][] shards;
  private final int[] shardLength;
  private final Counters counters = new Counters();

  private int next;
  private int count;
  private int maxLength;
  private long parityPauseMillis;
  private boolean hasLastData;
  private long lastDataAt;
  private long groupStartedAt;
  private int parityToSend;

  /** An encoder for datagrams of up to {@link #DEFAULT_MAX_DATAGRAM} bytes once framed. */
  public FecEncoder(int dataShards, int parityShards) {
    this(dataShards, parityShards, DEFAULT_MAX_DATAGRAM);
  }

  /**
   * An encoder whose framed datagrams (data and parity shards) are at most {@code maxDatagram}
   * bytes; {@link #encode} refuses a KCP datagram longer than {@code maxDatagram - 8}.
   *
   * @throws IllegalArgumentException for shard counts {@link ReedSolomon} refuses, or {@code
   *     maxDatagram} outside 32..65,535
   */
  public FecEncoder(int dataShards, int parityShards, int maxDatagram) {
    if (maxDatagram < FecHeader.DATA_HEADER_SIZE + FecHeader.MIN_DATAGRAM || maxDatagram > 0xffff) {
      throw new IllegalArgumentException("maxDatagram must be 32..65535, got " + maxDatagram);
    }
    this.rs = new ReedSolomon(dataShards, parityShards);
    this.dataShards = dataShards;
    this.parityShards = parityShards;
    this.maxDatagram = maxDatagram;
    long group = dataShards + parityShards;
    this.wrap = 0xffffffffL / group * group;
    this.shards = new byte[dataShards + parityShards][maxDatagram];
    this.shardLength = new int[dataShards];
    this.parityToSend = parityShards;
  }

  public int dataShards() {
    return dataShards;
  }

  public int parityShards() {
    return parityShards;
  }

  /** Bytes the encoder adds in front of each KCP datagram (8). */
  public int overhead() {
    return FecHeader.DATA_HEADER_SIZE;
  }

  /** The longest KCP datagram {@link #encode} accepts. */
  public int maxKcpDatagram() {
    return maxDatagram - FecHeader.DATA_HEADER_SIZE;
  }

  /**
   * Skip a group's parity when its last data shard came at least this many milliseconds after the
   * previous one; 0 (the default) always sends parity, as kcp-go 5.6.1 does.
   */
  public void setParityPauseMillis(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("parity pause must be >= 0, got " + millis);
    }
    this.parityPauseMillis = millis;
  }

  public long parityPauseMillis() {
    return parityPauseMillis;
  }

  /** The seqid the next shard will carry (unsigned). */
  public int nextSeqid() {
    return next;
  }

  /**
   * Starts the next group at {@code seqid}, which must be a multiple of {@code dataShards +
   * parityShards} below the wrap point (for tests and for resuming); only between groups.
   */
  public void setNextSeqid(int seqid) {
    long s = seqid & 0xffffffffL;
    if (count != 0 || s % (dataShards + parityShards) != 0 || s >= wrap) {
      throw new IllegalArgumentException("seqid " + s + " does not start a group");
    }
    next = seqid;
  }

  /**
   * How many of each group's parity shards to send, from the next group on (kcpj extension): 0 to
   * {@link #parityShards()} (the default). The seqids of the parity shards not sent are skipped, so
   * groups keep their places and a kcp-go decoder set to {@code dataShards/parityShards} reads them
   * as lost parity.
   */
  public void setParityToSend(int n) {
    if (n < 0 || n > parityShards) {
      throw new IllegalArgumentException(
          "parity to send must be 0.." + parityShards + ", got " + n);
    }
    parityToSend = n;
  }

  public int parityToSend() {
    return parityToSend;
  }

  /** When the first data shard of the pending group was sent ({@code nowMillis} of that call). */
  public long groupStartedAt() {
    return groupStartedAt;
  }

  /** Data shards of the current group sent so far (their parity is still to come). */
  public int pendingDataShards() {
    return count;
  }

  public Counters counters() {
    return counters;
  }

  /**
   * Frames one KCP datagram and hands the data shard, then (if it completed a group) the parity
   * shards, to {@code out}.
   *
   * @param nowMillis the caller's clock (used only by the parity pause)
   * @throws IllegalArgumentException if {@code len} exceeds {@link #maxKcpDatagram()}
   */
  public void encode(byte[] kcp, int off, int len, long nowMillis, DatagramSink out) {
    checkLength(len);
    System.arraycopy(kcp, off, shards[count], FecHeader.DATA_HEADER_SIZE, len);
    emit(len, nowMillis, out);
  }

  /**
   * As {@link #encode(byte[], int, int, long, DatagramSink)}, for the remaining bytes of {@code
   * kcp} (its position is not moved).
   */
  public void encode(ByteBuffer kcp, long nowMillis, DatagramSink out) {
    int len = kcp.remaining();
    checkLength(len);
    kcp.get(kcp.position(), shards[count], FecHeader.DATA_HEADER_SIZE, len);
    emit(len, nowMillis, out);
  }

  private void checkLength(int len) {
    if (len < 0 || len > maxKcpDatagram()) {
      throw new IllegalArgumentException(
          "KCP datagram of " + len + " bytes exceeds the FEC limit of " + maxKcpDatagram());
    }
  }

  private void emit(int len, long nowMillis, DatagramSink out) {
    byte[] shard = shards[count];
    FecHeader.putHeader(shard, 0, next, FecHeader.TYPE_DATA);
    advance(1);
    FecHeader.putSize(shard, 0, len + 2);
    int framed = FecHeader.DATA_HEADER_SIZE + len;
    shardLength[count] = framed;
    if (count == 0) {
      groupStartedAt = nowMillis;
    }
    count++;
    if (framed > maxLength) {
      maxLength = framed;
    }
    counters.dataShards++;
    out.accept(shard, 0, framed);

    if (count == dataShards) {
      boolean continuous =
          parityPauseMillis <= 0 || (hasLastData && nowMillis - lastDataAt < parityPauseMillis);
      if (continuous) {
        emitParity(FecHeader.TYPE_PARITY, out);
      } else {
        advance(parityShards);
        counters.pausedGroups++;
      }
      count = 0;
      maxLength = 0;
    }
    hasLastData = true;
    lastDataAt = nowMillis;
  }

  /**
   * Closes the pending group now, before its {@code dataShards} datagrams have come (kcpj
   * extension, for thin streams whose groups would otherwise wait seconds for parity). Its missing
   * data positions k..D−1 count as zero blocks and their seqids are skipped; {@link
   * #parityToSend()} parity shards go out marked as short-group parity carrying k ({@link
   * FecHeader#SHORT_PARITY_MARK}), the rest of the parity seqids are skipped. Only kcpj's {@link
   * FecReceiver} can use that parity; kcp-go drops it (its KCP input refuses command 0xf3), and
   * still gets every data shard.
   *
   * @return false (nothing done) when no group is pending
   */
  public boolean closeGroup(DatagramSink out) {
    if (count == 0) {
      return false;
    }
    int k = count;
    for (int d = k; d < dataShards; d++) {
      shardLength[d] = FecHeader.HEADER_SIZE;
    }
    advance(dataShards - k);
    count = dataShards;
    emitParity(FecHeader.SHORT_PARITY_MARK | k << 8, out);
    counters.shortGroups++;
    count = 0;
    maxLength = 0;
    return true;
  }

  private void emitParity(int type, DatagramSink out) {
    int send = parityToSend;
    if (send > 0) {
      for (int d = 0; d < dataShards; d++) {
        java.util.Arrays.fill(shards[d], shardLength[d], maxLength, (byte) 0);
      }
      int blockLength = maxLength - FecHeader.HEADER_SIZE;
      rs.encodeParity(shards, FecHeader.HEADER_SIZE, blockLength);
    }
    for (int p = 0; p < send; p++) {
      byte[] shard = shards[dataShards + p];
      FecHeader.putHeader(shard, 0, next, type);
      advance(1);
      counters.parityShards++;
      out.accept(shard, 0, maxLength);
    }
    if (send < parityShards) {
      advance(parityShards - send);
      counters.skippedParity += parityShards - send;
    }
  }

  private void advance(int steps) {
    next = (int) (((next & 0xffffffffL) + steps) % wrap);
  }
}
