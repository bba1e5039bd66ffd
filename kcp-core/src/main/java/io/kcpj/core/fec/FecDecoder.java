package io.kcpj.core.fec;

import java.util.Arrays;

/**
 * kcp-go's FEC decoder (5.6.1): the input stage of a session with FEC, from a datagram (after
 * decryption, if any) to the KCP datagrams it yields.
 *
 * <p><b>Per datagram</b> ({@link #decode}):
 *
 * <ul>
 *   <li>shorter than 24 bytes: dropped (counted {@code tooShort});
 *   <li>not an FEC shard (type not 0xf1/0xf2): handed on unchanged, a plain KCP datagram;
 *   <li>a data shard: kept for recovery, and its KCP datagram (everything after byte 8) handed on
 *       at once; then any data recovered by this shard;
 *   <li>a parity shard: kept for recovery; then any data recovered by it.
 * </ul>
 *
 * <p><b>Recovery, as kcp-go 5.6.1 does it.</b> Received shards are kept in one queue ordered by
 * seqid (wrap-aware), at most {@code 3 × (data + parity)} of them. A duplicate seqid is dropped.
 * After each insertion, the shards of the new shard's group (seqids {@code g·n … g·n + n − 1}, n =
 * data + parity) are gathered: if all data shards are there the group is released; if at least
 * {@code data} shards are there, the missing data shards are rebuilt (shards zero-padded to the
 * longest), handed on in index order, and the group is released. A recovered shard is {@code
 * [size][KCP][padding]}: its KCP datagram is {@code size − 2} bytes; a size below 2 or beyond the
 * shard is counted in {@code errors} and dropped. When the queue is over its limit, its oldest
 * shard goes (counted in {@code shortShards} if it was a data shard: data that can no longer be
 * recovered). Shards held longer than 60 s at the head of the queue expire (only the run of expired
 * shards at the head: a younger shard with a lower seqid shields older ones behind it). A late
 * shard of a group already released starts that group again: it is evicted in time, or, when {@code
 * data} late shards of it gather (parity arriving after the data, with {@code parity ≥ data}, e.g.
 * 1/1), they rebuild that data once more and KCP is handed it again (KCP discards repeats). kcpj
 * keeps all of this as kcp-go 5.6.1 does, so that both hand KCP the same datagrams.
 *
 * <p><b>Auto-tuning</b> (kcp-go's): a shard whose type does not fit its position under the
 * configured counts makes the decoder look for the peer's real data/parity counts in the recent
 * seqids ({@link FecAutoTune}) and switch to them when found. The scan over 258 samples cannot find
 * counts whose sum exceeds 256 (each run needs a neighbour of the other kind on both sides); such
 * counts would be refused and counted all the same. Until it has re-tuned, a decoder whose counts
 * differ from the peer's groups shards wrongly and can hand KCP bytes that were never a datagram
 * (KCP's own checks reject most of them); kcp-go behaves the same.
 *
 * <p><b>Never throws on input:</b> every datagram is either handed on, kept, or dropped and
 * counted. Datagrams longer than the decoder's maximum (1,500 bytes by default, kcp-go's own read
 * size) are dropped and counted in {@code oversized}.
 *
 * <p><b>Buffers and threads.</b> Datagrams handed to the sink are the caller's input bytes or the
 * decoder's recovery buffers: valid only during the call (see {@link DatagramSink}). Kept shards
 * are copies. Steady state allocates nothing (buffers are allocated as the queue first fills;
 * auto-tuning to new counts allocates). Not thread-safe: one decoder per session.
 */
public final class FecDecoder {
  /** kcp-go's expiry of kept shards (its {@code fecExpire}). */
  public static final long EXPIRY_MILLIS = 60_000;

  /** kcp-go's queue bound: this many groups' worth of shards (its {@code rxFECMulti}). */
  public static final int QUEUE_GROUPS = 3;

  /**
   * Counters of one decoder; plain fields read on the decoder's thread. The kcp-go names are those
   * of its SNMP counters where one exists.
   */
  public static final class Counters {
    /** Datagrams given to {@link #decode}. */
    public long datagrams;

    /** Plain KCP datagrams handed on unchanged. */
    public long plain;

    /** Data shards received (duplicates included). */
    public long dataShards;

    /** Parity shards received, duplicates included (kcp-go: FECParityShards). */
    public long parityShards;

    /** Data recovered and handed on (kcp-go counts FECRecovered after KCP accepts it). */
    public long recovered;

    /** Recovered shards with an impossible size field, dropped (kcp-go: FECErrs). */
    public long errors;

    /** Data shards evicted before their group could be used (kcp-go: FECShortShards). */
    public long shortShards;

    /** Shards whose seqid was already kept, dropped. */
    public long duplicates;

    /** Shards expired after {@link #EXPIRY_MILLIS}. */
    public long expired;

    /** Datagrams shorter than 24 bytes, dropped. */
    public long tooShort;

    /** FEC datagrams longer than the decoder's maximum, dropped. */
    public long oversized;

    /** Switches to the peer's detected shard counts. */
    public long retunes;

    /** Detected counts refused because data + parity exceeds 256 (the shard is dropped). */
    public long retunesRefused;

    /** All drops of malformed or useless input together. */
    public long dropped() {
      return errors + duplicates + tooShort + oversized + retunesRefused;
    }

    @Override
    public String toString() {
      return "FecDecoder.Counters{datagrams="
          + datagrams
          + ", plain="
          + plain
          + ", dataShards="
          + dataShards
          + ", parityShards="
          + parityShards
          + ", recovered="
          + recovered
          + ", errors="
          + errors
          + ", shortShards="
          + shortShards
          + ", duplicates="
          + duplicates
          + ", expired="
          + expired
          + ", tooShort="
          + tooShort
          + ", oversized="
          + oversized
          + ", retunes="
          + retunes
          + ", retunesRefused="
          + retunesRefused
          + '}';
    }
  }

  private final int maxDatagram;
  private final Counters counters = new Counters();
  private final FecAutoTune autoTune = new FecAutoTune();

  private int dataShards;
  private int parityShards;
  private int groupSize;
  private int queueLimit;
  private ReedSolomon rs;

  // Kept shards: slot storage, and the queue of slot numbers in seqid order.
  private byte[][] slotBuffer;
  private int[] slotLength;
  private int[] slotSeqid;
  private boolean[] slotIsData;
  private long[] slotTime;
  private int[] freeSlots;
  private int freeCount;
  private int[] queue;
  private int queueLength;

  // Recovery scratch, indexed by position in the group.
  private byte[][] groupShards;
  private boolean[] groupPresent;
  private int[] groupLength;
  private byte[][] recoveryBuffers;
  private final int[] recoveredPositions;
  private int recoveredCount;
  private int recoveredLength;
  private boolean releasedGroup;

  /** A decoder for datagrams of up to {@link FecEncoder#DEFAULT_MAX_DATAGRAM} bytes. */
  public FecDecoder(int dataShards, int parityShards) {
    this(dataShards, parityShards, FecEncoder.DEFAULT_MAX_DATAGRAM);
  }

  /**
   * A decoder expecting {@code dataShards}/{@code parityShards} groups (it re-tunes itself if the
   * peer uses other counts) and FEC datagrams of at most {@code maxDatagram} bytes.
   *
   * @throws IllegalArgumentException for shard counts {@link ReedSolomon} refuses, or {@code
   *     maxDatagram} outside 32..65,535
   */
  public FecDecoder(int dataShards, int parityShards, int maxDatagram) {
    if (maxDatagram < FecHeader.DATA_HEADER_SIZE + FecHeader.MIN_DATAGRAM || maxDatagram > 0xffff) {
      throw new IllegalArgumentException("maxDatagram must be 32..65535, got " + maxDatagram);
    }
    this.maxDatagram = maxDatagram;
    this.recoveredPositions = new int[ReedSolomon.MAX_TOTAL_SHARDS];
    configure(dataShards, parityShards);
    slotBuffer = new byte[0][];
    slotLength = new int[0];
    slotSeqid = new int[0];
    slotIsData = new boolean[0];
    slotTime = new long[0];
    freeSlots = new int[0];
    queue = new int[0];
    ensureCapacity(queueLimit + 1);
  }

  private void configure(int data, int parity) {
    this.rs = new ReedSolomon(data, parity);
    this.dataShards = data;
    this.parityShards = parity;
    this.groupSize = data + parity;
    this.queueLimit = QUEUE_GROUPS * groupSize;
    this.groupShards = new byte[groupSize][];
    this.groupPresent = new boolean[groupSize];
    this.groupLength = new int[groupSize];
    byte[][] previous = recoveryBuffers;
    this.recoveryBuffers = new byte[data][];
    if (previous != null) {
      System.arraycopy(previous, 0, recoveryBuffers, 0, Math.min(previous.length, data));
    }
  }

  /** The data shard count in use (the configured one, or the peer's after auto-tuning). */
  public int dataShards() {
    return dataShards;
  }

  /** The parity shard count in use. */
  public int parityShards() {
    return parityShards;
  }

  /** Shards currently kept for recovery. */
  public int keptShards() {
    return queueLength;
  }

  public Counters counters() {
    return counters;
  }

  /**
   * Whether the last {@link #decode} completed its shard's group: all data shards were there, or
   * the missing ones were rebuilt; either way the group's shards were released.
   */
  public boolean releasedGroup() {
    return releasedGroup;
  }

  /** Drops every kept shard (for a closing session); the decoder stays usable. */
  public void clear() {
    freeRange(0, queueLength);
  }

  /**
   * Decodes one datagram and hands each KCP datagram it yields to {@code out}: none, one, or
   * several. Never throws on any content of {@code datagram}.
   *
   * @param nowMillis the caller's clock, for the expiry of kept shards
   */
  public void decode(byte[] datagram, int off, int len, long nowMillis, DatagramSink out) {
    counters.datagrams++;
    releasedGroup = false;
    if (len < FecHeader.MIN_DATAGRAM) {
      counters.tooShort++;
      return;
    }
    int type = FecHeader.type(datagram, off);
    if (type != FecHeader.TYPE_DATA && type != FecHeader.TYPE_PARITY) {
      counters.plain++;
      out.accept(datagram, off, len);
      return;
    }
    if (len > maxDatagram) {
      counters.oversized++;
      return;
    }
    boolean isData = type == FecHeader.TYPE_DATA;
    if (isData) {
      counters.dataShards++;
    } else {
      counters.parityShards++;
    }
    recoveredCount = 0;
    keepAndRecover(datagram, off, len, isData, nowMillis);
    if (isData) {
      out.accept(datagram, off + FecHeader.DATA_HEADER_SIZE, len - FecHeader.DATA_HEADER_SIZE);
    }
    for (int r = 0; r < recoveredCount; r++) {
      byte[] shard = recoveryBuffers[recoveredPositions[r]];
      // The shard's block starts at HEADER_SIZE: [size][KCP][zero padding], recoveredLength long.
      int size = FecHeader.u16(shard, FecHeader.HEADER_SIZE);
      if (size >= 2 && size <= recoveredLength) {
        counters.recovered++;
        out.accept(shard, FecHeader.DATA_HEADER_SIZE, size - 2);
      } else {
        counters.errors++;
      }
    }
    recoveredCount = 0;
  }

  /** kcp-go's fecDecoder.decode: keep the shard, recover what can be, trim the queue. */
  private void keepAndRecover(byte[] in, int off, int len, boolean isData, long now) {
    int seqid = FecHeader.seqid(in, off);
    autoTune.sample(isData, seqid);
    boolean expectData = Integer.remainderUnsigned(seqid, groupSize) < dataShards;
    if (expectData != isData) {
      int data = autoTune.findPeriod(true);
      int parity = autoTune.findPeriod(false);
      if (data > 0 && parity > 0 && data < 256 && parity < 256) {
        if (data != dataShards || parity != parityShards) {
          if (data + parity > ReedSolomon.MAX_TOTAL_SHARDS) {
            counters.retunesRefused++;
            return;
          }
          configure(data, parity);
          ensureCapacity(Math.max(queueLength, queueLimit) + 1);
          counters.retunes++;
        }
      }
    }

    // Insertion point, scanning from the newest: kcp-go drops an equal seqid.
    int insertAt = 0;
    for (int i = queueLength - 1; i >= 0; i--) {
      int kept = slotSeqid[queue[i]];
      if (kept == seqid) {
        counters.duplicates++;
        return;
      }
      if (seqid - kept > 0) {
        insertAt = i + 1;
        break;
      }
    }
    ensureCapacity(queueLength + 1);
    int slot = freeSlots[--freeCount];
    byte[] buffer = slotBuffer[slot];
    if (buffer == null) {
      buffer = new byte[maxDatagram];
      slotBuffer[slot] = buffer;
    }
    System.arraycopy(in, off, buffer, 0, len);
    slotLength[slot] = len;
    slotSeqid[slot] = seqid;
    slotIsData[slot] = isData;
    slotTime[slot] = now;
    System.arraycopy(queue, insertAt, queue, insertAt + 1, queueLength - insertAt);
    queue[insertAt] = slot;
    queueLength++;

    int position = Integer.remainderUnsigned(seqid, groupSize);
    int groupFirst = seqid - position;
    int groupLast = groupFirst + groupSize - 1;
    int searchBegin = Math.max(0, insertAt - position);
    int searchEnd = Math.min(searchBegin + groupSize - 1, queueLength - 1);
    if (searchEnd - searchBegin + 1 >= dataShards) {
      collectGroup(searchBegin, searchEnd, groupFirst, groupLast);
    }

    if (queueLength > queueLimit) {
      if (slotIsData[queue[0]]) {
        counters.shortShards++;
      }
      freeRange(0, 1);
    }
    int expired = 0;
    while (expired < queueLength && now - slotTime[queue[expired]] > EXPIRY_MILLIS) {
      expired++;
    }
    if (expired > 0) {
      counters.expired += expired;
      freeRange(0, expired);
    }
  }

  /** Gathers the group's shards from queue[begin..end]; releases or recovers the group. */
  private void collectGroup(int begin, int end, int groupFirst, int groupLast) {
    Arrays.fill(groupShards, null);
    Arrays.fill(groupPresent, false);
    int found = 0;
    int dataFound = 0;
    int first = 0;
    int maxLength = 0;
    for (int i = begin; i <= end; i++) {
      int slot = queue[i];
      int s = slotSeqid[slot];
      if (s - groupLast > 0) {
        break;
      }
      if (s - groupFirst >= 0) {
        int position = Integer.remainderUnsigned(s, groupSize);
        int length = slotLength[slot] - FecHeader.HEADER_SIZE;
        groupShards[position] = slotBuffer[slot];
        groupLength[position] = length;
        groupPresent[position] = true;
        found++;
        if (slotIsData[slot]) {
          dataFound++;
        }
        if (found == 1) {
          first = i;
        }
        if (length > maxLength) {
          maxLength = length;
        }
      }
    }
    if (dataFound == dataShards) {
      freeRange(first, found);
      releasedGroup = true;
    } else if (found >= dataShards) {
      for (int k = 0; k < groupSize; k++) {
        if (groupPresent[k]) {
          int from = FecHeader.HEADER_SIZE + groupLength[k];
          Arrays.fill(groupShards[k], from, FecHeader.HEADER_SIZE + maxLength, (byte) 0);
        } else if (k < dataShards) {
          if (recoveryBuffers[k] == null) {
            recoveryBuffers[k] = new byte[maxDatagram];
          }
          groupShards[k] = recoveryBuffers[k];
        }
      }
      if (rs.reconstructData(groupShards, groupPresent, FecHeader.HEADER_SIZE, maxLength)) {
        for (int k = 0; k < dataShards; k++) {
          if (!groupPresent[k]) {
            recoveredPositions[recoveredCount++] = k;
          }
        }
        recoveredLength = maxLength;
      }
      freeRange(first, found);
      releasedGroup = true;
    }
  }

  /** Removes queue[first .. first+n) and returns their slots to the free list. */
  private void freeRange(int first, int n) {
    for (int i = first; i < first + n; i++) {
      freeSlots[freeCount++] = queue[i];
    }
    System.arraycopy(queue, first + n, queue, first, queueLength - first - n);
    queueLength -= n;
  }

  private void ensureCapacity(int capacity) {
    int old = queue.length;
    if (capacity <= old) {
      return;
    }
    slotBuffer = Arrays.copyOf(slotBuffer, capacity);
    slotLength = Arrays.copyOf(slotLength, capacity);
    slotSeqid = Arrays.copyOf(slotSeqid, capacity);
    slotIsData = Arrays.copyOf(slotIsData, capacity);
    slotTime = Arrays.copyOf(slotTime, capacity);
    queue = Arrays.copyOf(queue, capacity);
    int[] free = Arrays.copyOf(freeSlots, capacity);
    for (int slot = old; slot < capacity; slot++) {
      free[freeCount++] = slot;
    }
    freeSlots = free;
  }
}
