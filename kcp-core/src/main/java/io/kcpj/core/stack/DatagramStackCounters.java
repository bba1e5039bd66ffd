package io.kcpj.core.stack;

/**
 * Counters of the datagram layers of one or more sessions ({@link DatagramStack}), with kcp-go's
 * SNMP names where one exists. Plain fields: a snapshot is a copy, sums are built with {@link
 * #addTo}. Not thread-safe.
 */
public final class DatagramStackCounters {
  /** Data shards sent (one per KCP datagram with FEC on). */
  public long fecDataShardsSent;

  /** Parity shards sent. */
  public long fecParityShardsSent;

  /** Parity shards left out by adaptive parity (their seqids skipped). */
  public long fecParitySkipped;

  /** Groups closed early by the group deadline (kcpj short groups). */
  public long fecShortGroupsSent;

  /** Data shards received (duplicates included). */
  public long fecDataShardsReceived;

  /** Parity shards received, duplicates included (kcp-go: FECParityShards). */
  public long fecParityShardsReceived;

  /** KCP datagrams recovered by FEC and handed to KCP (kcp-go: FECRecovered). */
  public long fecRecovered;

  /** Recovered shards with an impossible size field, dropped (kcp-go: FECErrs). */
  public long fecErrors;

  /** Data shards evicted before their group could be used (kcp-go: FECShortShards). */
  public long fecShortShards;

  /** Shards dropped as repeats of kept ones. */
  public long fecDuplicates;

  /** FEC datagrams dropped as too short, too long, or malformed short-group parity. */
  public long fecMalformed;

  /** Short groups received and expanded (kcpj). */
  public long fecShortGroupsReceived;

  /** FEC shards that reached a session not set to decode them, dropped. */
  public long fecUnexpected;

  /** Datagrams protected (sealed). */
  public long sealed;

  /** Datagrams opened with a good check. */
  public long opened;

  /** Datagrams that failed to open (bad CRC, too short), dropped (kcp-go: InCsumErrors). */
  public long openFailures;

  /** Adds every field into {@code total}. */
  public void addTo(DatagramStackCounters total) {
    total.fecDataShardsSent += fecDataShardsSent;
    total.fecParityShardsSent += fecParityShardsSent;
    total.fecParitySkipped += fecParitySkipped;
    total.fecShortGroupsSent += fecShortGroupsSent;
    total.fecDataShardsReceived += fecDataShardsReceived;
    total.fecParityShardsReceived += fecParityShardsReceived;
    total.fecRecovered += fecRecovered;
    total.fecErrors += fecErrors;
    total.fecShortShards += fecShortShards;
    total.fecDuplicates += fecDuplicates;
    total.fecMalformed += fecMalformed;
    total.fecShortGroupsReceived += fecShortGroupsReceived;
    total.fecUnexpected += fecUnexpected;
    total.sealed += sealed;
    total.opened += opened;
    total.openFailures += openFailures;
  }

  /** A copy. */
  public DatagramStackCounters snapshot() {
    DatagramStackCounters c = new DatagramStackCounters();
    addTo(c);
    return c;
  }

  @Override
  public String toString() {
    return "DatagramStackCounters{fecDataShardsSent="
        + fecDataShardsSent
        + ", fecParityShardsSent="
        + fecParityShardsSent
        + ", fecParitySkipped="
        + fecParitySkipped
        + ", fecShortGroupsSent="
        + fecShortGroupsSent
        + ", fecDataShardsReceived="
        + fecDataShardsReceived
        + ", fecParityShardsReceived="
        + fecParityShardsReceived
        + ", fecRecovered="
        + fecRecovered
        + ", fecErrors="
        + fecErrors
        + ", fecShortShards="
        + fecShortShards
        + ", fecDuplicates="
        + fecDuplicates
        + ", fecMalformed="
        + fecMalformed
        + ", fecShortGroupsReceived="
        + fecShortGroupsReceived
        + ", fecUnexpected="
        + fecUnexpected
        + ", sealed="
        + sealed
        + ", opened="
        + opened
        + ", openFailures="
        + openFailures
        + '}';
  }
}
