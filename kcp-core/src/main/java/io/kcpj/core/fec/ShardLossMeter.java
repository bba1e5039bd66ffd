package io.kcpj.core.fec;

/**
 * Measures the loss of the FEC stream a session receives, from the gaps in its seqids: the input of
 * loss-adaptive FEC ({@link FecSpec}). kcpj extension; it reads kcp-go's wire as it is and needs
 * nothing from the sender.
 *
 * <p><b>What it counts.</b> Data shards only: a group's data positions are 0..D−1, and each is
 * either received or lost, whereas parity positions may be skipped on purpose (the parity pause,
 * adaptive parity counts). A group's expected data count is k when a short-group parity shard said
 * so, D when a parity shard or its last data shard arrived, otherwise (every parity of a group
 * lost, and its last data shard too, or a short group whose parity is all lost) the highest
 * position seen + 1: this undercounts a loss at the end of such a group, a rare case. A group is
 * judged once two newer groups have been seen (late shards of it still count until then); a group
 * with no shard at all counts as wholly lost, with the expected count of the group judged before
 * it. Repeated shards count once.
 *
 * <p><b>The estimate</b> ({@link #lossRate()}) is lost over expected data shards in an
 * exponentially decaying window of about {@value #WINDOW_SHARDS} expected shards; NaN until {@value
 * #MIN_SAMPLE} shards have been judged. Pure arithmetic on what it is fed: no clock. Not
 * thread-safe: one per session.
 */
public final class ShardLossMeter {
  /** Expected data shards over which old groups fade (the estimate's memory). */
  public static final int WINDOW_SHARDS = 512;

  /** Judged data shards needed before {@link #lossRate()} gives a number. */
  public static final int MIN_SAMPLE = 32;

  private static final int SLOTS = 4;

  /** The largest forward jump (in groups) treated as lost groups rather than a restart. */
  private static final int MAX_GAP_GROUPS = 64;

  private final long[][] seen = new long[SLOTS][4];
  private final int[] received = new int[SLOTS];
  private final int[] highest = new int[SLOTS];
  private final int[] declared = new int[SLOTS];
  private final boolean[] full = new boolean[SLOTS];

  /** Whether a slot holds a group of the stream (not one from before its first shard). */
  private final boolean[] live = new boolean[SLOTS];

  private int dataShards;
  private int groupSize;
  private boolean started;

  /** First seqid of the newest group seen; slots hold it and the SLOTS − 1 groups before it. */
  private int newest;

  private int lastExpected;
  private double lostSum;
  private double expectedSum;
  private long judgedShards;
  private long lostShards;

  /** Feeds one data or parity shard (kcp-go type) of a D/P stream. */
  public void onShard(int seqid, boolean isData, int dataShards, int parityShards) {
    int slot = slotFor(seqid, dataShards, parityShards);
    if (slot < 0) {
      return;
    }
    if (isData) {
      int position = Integer.remainderUnsigned(seqid, groupSize);
      long[] bits = seen[slot];
      long mask = 1L << (position & 63);
      if ((bits[position >>> 6] & mask) == 0) {
        bits[position >>> 6] |= mask;
        received[slot]++;
        highest[slot] = Math.max(highest[slot], position);
      }
    } else {
      full[slot] = true;
    }
  }

  /** Feeds one short-group parity shard: its group had {@code k} data shards. */
  public void onShortParity(int seqid, int k, int dataShards, int parityShards) {
    int slot = slotFor(seqid, dataShards, parityShards);
    if (slot >= 0) {
      declared[slot] = k;
    }
  }

  /** The measured loss rate of data shards, 0..1, or NaN while too little has been seen. */
  public double lossRate() {
    return expectedSum < MIN_SAMPLE ? Double.NaN : lostSum / expectedSum;
  }

  /** Data shards judged so far (lost or received). */
  public long judgedShards() {
    return judgedShards;
  }

  /** Data shards judged lost so far. */
  public long lostShards() {
    return lostShards;
  }

  /** The slot of seqid's group, after moving the window forward; -1 if too old or reset. */
  private int slotFor(int seqid, int data, int parity) {
    int size = data + parity;
    if (data != dataShards || size != groupSize) {
      // New counts (the decoder re-tuned): start over, keeping the estimate so far.
      dataShards = data;
      groupSize = size;
      started = false;
    }
    int first = seqid - Integer.remainderUnsigned(seqid, size);
    if (!started) {
      started = true;
      newest = first;
      for (int s = 0; s < SLOTS; s++) {
        clear(s);
      }
      live[slotOf(first)] = true;
      return slotOf(first);
    }
    int diff = first - newest;
    if (diff > 0) {
      long groups = (diff & 0xffffffffL) / size;
      if (groups > MAX_GAP_GROUPS) {
        // A jump (a restarted peer, the seqid wrap's uneven step): judge what is held, restart.
        for (int g = SLOTS - 1; g >= 0; g--) {
          judge(slotOf(newest - g * size));
        }
        newest = first;
        for (int s = 0; s < SLOTS; s++) {
          clear(s);
        }
        live[slotOf(first)] = true;
        return slotOf(first);
      }
      for (long g = 0; g < groups; g++) {
        newest += size;
        int s = slotOf(newest);
        judge(s); // the group SLOTS before the new one leaves the window
        clear(s);
        live[s] = true;
      }
      return slotOf(first);
    }
    if (-(long) diff >= (long) SLOTS * size) {
      return -1; // already judged
    }
    return slotOf(first);
  }

  private int slotOf(int groupFirst) {
    return (int) (Integer.toUnsignedLong(groupFirst) / groupSize % SLOTS);
  }

  private void clear(int s) {
    live[s] = false;
    seen[s][0] = seen[s][1] = seen[s][2] = seen[s][3] = 0;
    received[s] = 0;
    highest[s] = -1;
    declared[s] = -1;
    full[s] = false;
  }

  private void judge(int s) {
    if (!live[s]) {
      return; // a slot from before the stream's first group
    }
    int expected;
    if (declared[s] > 0) {
      expected = Math.min(declared[s], dataShards);
    } else if (full[s] || highest[s] == dataShards - 1) {
      expected = dataShards;
    } else if (highest[s] >= 0) {
      expected = highest[s] + 1;
    } else {
      expected = lastExpected > 0 ? lastExpected : dataShards; // nothing of it arrived
    }
    int got = 0;
    for (int p = 0; p < expected; p++) {
      if ((seen[s][p >>> 6] & 1L << (p & 63)) != 0) {
        got++;
      }
    }
    int lost = expected - got;
    lastExpected = expected;
    double keep = 1.0 - (double) expected / WINDOW_SHARDS;
    lostSum = lostSum * keep + lost;
    expectedSum = expectedSum * keep + expected;
    judgedShards += expected;
    lostShards += lost;
  }
}
