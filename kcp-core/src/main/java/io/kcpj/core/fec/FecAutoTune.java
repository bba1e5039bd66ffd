package io.kcpj.core.fec;

/**
 * kcp-go's detector of the peer's shard counts: the decoder records, for each received shard,
 * whether it was data or parity at slot {@code seqid mod 258}; when shards arrive where the
 * configured counts do not expect them, the lengths of the runs of data and of parity seen in
 * consecutive seqids give the peer's data and parity counts.
 *
 * <p>{@link #findPeriod} reproduces kcp-go 5.6.1's scan exactly, including its answers for partial
 * evidence: the first rising edge of the wanted kind whose two samples have consecutive seqids
 * starts a run; the run ends at the next falling edge; any seqid gap on the way means "not found"
 * (−1), and no edge at all gives 0 or less. Thread-confined to its decoder.
 */
final class FecAutoTune {
  static final int SAMPLES = 258;

  private final boolean[] data = new boolean[SAMPLES];
  private final int[] seqid = new int[SAMPLES];

  void sample(boolean isData, int seq) {
    int slot = Integer.remainderUnsigned(seq, SAMPLES);
    data[slot] = isData;
    seqid[slot] = seq;
  }

  /** The length of a run of {@code wanted} samples, or 0 or less when none is found. */
  int findPeriod(boolean wanted) {
    boolean lastData = data[0];
    int lastSeq = seqid[0];
    int left = 0;
    for (int i = 1; i < SAMPLES; i++) {
      if (lastData != wanted && data[i] == wanted && lastSeq + 1 == seqid[i]) {
        left = i;
        break;
      }
      lastData = data[i];
      lastSeq = seqid[i];
    }
    int right = 0;
    lastData = data[left];
    lastSeq = seqid[left];
    for (int i = left + 1; i < SAMPLES; i++) {
      if (lastSeq + 1 != seqid[i]) {
        return -1;
      }
      if (lastData == wanted && data[i] != wanted) {
        right = i;
        break;
      }
      lastData = data[i];
      lastSeq = seqid[i];
    }
    return right - left;
  }
}
