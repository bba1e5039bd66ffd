package io.kcpj.core.fec;

/**
 * The receiving half of a session's FEC: kcp-go's {@link FecDecoder}, plus kcpj's two extensions
 * for loss-adaptive FEC ({@link FecSpec}): it measures the loss of the shards received ({@link
 * ShardLossMeter}) and it decodes short groups ({@link FecHeader#SHORT_PARITY_MARK}).
 *
 * <p><b>Short groups.</b> A sender that closes a group after k &lt; D data shards treats positions
 * k..D−1 as zero blocks and sends its parity marked with k. On the first such parity shard of a
 * group, this receiver hands the decoder D − k zero data shards for those positions (24 bytes each,
 * which the decoder zero-pads like any short shard; their own delivery is suppressed, KCP never
 * sees them), then the parity shard re-marked as ordinary parity: kcp-go's decoding then recovers
 * the group's lost data exactly as for a full group. Later parity shards of the same group are
 * re-marked and decoded while the group is incomplete, and dropped ({@link Counters#lateParity})
 * once the decoder has completed it (whichever shard completed it, data, parity or a zero shard):
 * kcp-go's decoder would start the group again and, from the zero blocks, rebuild "data" that never
 * was. A short-group shard whose k or position is impossible under the current counts is dropped
 * and counted ({@link Counters#malformed}).
 *
 * <p>Everything else (plain KCP datagrams, data and parity shards) goes to the decoder as it is, so
 * with a kcp-go sender this is exactly kcp-go's decoder. Never throws on input. Buffers handed to
 * the sink are valid only during the call. Not thread-safe: one per session.
 */
public final class FecReceiver {
  /** Counters of the extensions (the decoder keeps its own, {@link #decoder()}). */
  public static final class Counters {
    /** Short groups expanded (first short-group parity shard of a group). */
    public long shortGroups;

    /** Zero data shards handed to the decoder for short groups (in its dataShards count). */
    public long zeroShards;

    /** Short-group parity shards with an impossible k or position, dropped. */
    public long malformed;

    /** Short-group parity shards of a group already completed, dropped. */
    public long lateParity;
  }

  private static final int REMEMBERED_GROUPS = 8;

  private final FecDecoder decoder;
  private final ShardLossMeter meter = new ShardLossMeter();
  private final Counters counters = new Counters();
  private final byte[] zeroShard = new byte[FecHeader.MIN_DATAGRAM];
  private final byte[] remarked;
  private final int[] expandedGroups = new int[REMEMBERED_GROUPS];
  private final boolean[] completed = new boolean[REMEMBERED_GROUPS];
  private final int[] expandedK = new int[REMEMBERED_GROUPS];
  private int expandedCount;
  private int expandedNext;

  private DatagramSink target;
  private boolean suppressNext;
  private final DatagramSink filtered =
      (b, off, len) -> {
        if (suppressNext) {
          suppressNext = false; // a zero shard's own "KCP datagram": not one
          return;
        }
        target.accept(b, off, len);
      };

  /** A receiver expecting {@code dataShards/parityShards} groups, datagrams up to maxDatagram. */
  public FecReceiver(int dataShards, int parityShards, int maxDatagram) {
    this.decoder = new FecDecoder(dataShards, parityShards, maxDatagram);
    this.remarked = new byte[maxDatagram];
  }

  public FecDecoder decoder() {
    return decoder;
  }

  public Counters counters() {
    return counters;
  }

  /** The loss measured on the data shards received, 0..1, or NaN while unknown. */
  public double lossRate() {
    return meter.lossRate();
  }

  public ShardLossMeter meter() {
    return meter;
  }

  /** Whether a datagram is FEC (data, parity or short-group parity) rather than plain KCP. */
  public static boolean isFec(byte[] b, int off, int len) {
    return FecHeader.isFec(b, off, len) || FecHeader.isShortParity(b, off, len);
  }

  /**
   * Decodes one datagram (after decryption) and hands each KCP datagram it yields to {@code out}.
   */
  public void receive(byte[] b, int off, int len, long nowMillis, DatagramSink out) {
    if (len >= FecHeader.MIN_DATAGRAM && FecHeader.isShortParity(b, off, len)) {
      shortParity(b, off, len, nowMillis, out);
      return;
    }
    if (expandedCount > 0 && len >= FecHeader.MIN_DATAGRAM && FecHeader.isFec(b, off, len)) {
      refeedZeros(FecHeader.seqid(b, off), nowMillis, out); // they may have expired meanwhile
    }
    decoder.decode(b, off, len, nowMillis, out);
    if (len >= FecHeader.MIN_DATAGRAM && FecHeader.isFec(b, off, len)) {
      if (decoder.releasedGroup()) {
        markCompleted(FecHeader.seqid(b, off)); // a data or parity shard completed a short group
      }
      meter.onShard(
          FecHeader.seqid(b, off),
          FecHeader.type(b, off) == FecHeader.TYPE_DATA,
          decoder.dataShards(),
          decoder.parityShards());
    }
  }

  private void shortParity(byte[] b, int off, int len, long now, DatagramSink out) {
    int data = decoder.dataShards();
    int size = data + decoder.parityShards();
    int seqid = FecHeader.seqid(b, off);
    int k = FecHeader.shortGroupDataShards(b, off);
    int position = Integer.remainderUnsigned(seqid, size);
    if (k >= data || position < data || len > remarked.length) {
      counters.malformed++;
      return;
    }
    meter.onShortParity(seqid, k, data, decoder.parityShards());
    int first = seqid - position;
    int slot = find(first);
    if (slot >= 0 && completed[slot]) {
      counters.lateParity++;
      return;
    }
    target = out;
    boolean done = false;
    try {
      if (slot < 0) {
        slot = remember(first, k);
        counters.shortGroups++;
      }
      // Every time, not only the first: the decoder may have expired or evicted the zero shards
      // while the group waited, and recovering without them would "rebuild" them as data. A zero
      // shard still kept is dropped by the decoder as a duplicate.
      done = feedZeros(first, k, now);
      if (!done) {
        System.arraycopy(b, off, remarked, 0, len);
        FecHeader.putHeader(remarked, 0, seqid, FecHeader.TYPE_PARITY);
        decoder.decode(remarked, 0, len, now, filtered);
        done = decoder.releasedGroup();
      } else {
        counters.lateParity++; // the zero shards completed it: every data shard was there
      }
      completed[slot] = done;
    } finally {
      target = null;
    }
  }

  /**
   * Marks the expanded short group holding {@code seqid} (if it is one) as completed, so that its
   * later parity shards are dropped instead of starting the group again in the decoder.
   */
  private void markCompleted(int seqid) {
    if (expandedCount == 0) {
      return;
    }
    int size = decoder.dataShards() + decoder.parityShards();
    int slot = find(seqid - Integer.remainderUnsigned(seqid, size));
    if (slot >= 0) {
      completed[slot] = true;
    }
  }

  /** Hands the decoder the zero shards k..D−1 of a short group; true if one completed it. */
  private boolean feedZeros(int first, int k, long now) {
    boolean done = false;
    for (int d = k; d < decoder.dataShards() && !done; d++) {
      FecHeader.putHeader(zeroShard, 0, first + d, FecHeader.TYPE_DATA);
      counters.zeroShards++;
      suppressNext = true;
      decoder.decode(zeroShard, 0, zeroShard.length, now, filtered);
      suppressNext = false;
      done = decoder.releasedGroup();
    }
    return done;
  }

  /** Before a shard of an expanded, unfinished short group: its zero shards again. */
  private void refeedZeros(int seqid, long now, DatagramSink out) {
    int size = decoder.dataShards() + decoder.parityShards();
    int first = seqid - Integer.remainderUnsigned(seqid, size);
    int slot = find(first);
    if (slot < 0 || completed[slot]) {
      return;
    }
    target = out;
    try {
      completed[slot] = feedZeros(first, expandedK[slot], now);
    } finally {
      target = null;
    }
  }

  private int find(int groupFirst) {
    for (int i = 0; i < expandedCount; i++) {
      if (expandedGroups[i] == groupFirst) {
        return i;
      }
    }
    return -1;
  }

  private int remember(int groupFirst, int k) {
    int slot = expandedNext;
    expandedGroups[slot] = groupFirst;
    expandedK[slot] = k;
    completed[slot] = false;
    expandedNext = (expandedNext + 1) % REMEMBERED_GROUPS;
    expandedCount = Math.min(expandedCount + 1, REMEMBERED_GROUPS);
    return slot;
  }
}
