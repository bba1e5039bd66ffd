package io.kcpj.netty;

import io.kcpj.core.KcpCounters;
import io.kcpj.core.stack.DatagramStackCounters;
import java.util.Arrays;

/**
 * A snapshot of a codec's counters: sessions opened, open, closed by reason, datagrams dropped by
 * reason (a {@link KcpDropReason#SESSION_LIMIT} drop is a rejected session), and the sum of the
 * kcp-core counters of every session, open or closed. Immutable; taken by {@link
 * KcpCodec#metrics()}.
 */
public final class KcpCodecMetrics {
  private final long sessionsOpened;
  private final int sessionsOpen;
  private final long[] closed;
  private final long[] dropped;
  private final long datagramsIn;
  private final long datagramsOut;
  private final long readBursts;
  private final long readPauses;
  private final KcpCounters engine;
  private final DatagramStackCounters layers;

  KcpCodecMetrics(
      CodecStats stats, int sessionsOpen, KcpCounters engine, DatagramStackCounters layers) {
    this.layers = layers;
    this.sessionsOpened = stats.sessionsOpened;
    this.sessionsOpen = sessionsOpen;
    this.closed = stats.closed.clone();
    this.dropped = stats.dropped.clone();
    this.datagramsIn = stats.datagramsIn;
    this.datagramsOut = stats.datagramsOut;
    this.readBursts = stats.readBursts;
    this.readPauses = stats.readPauses;
    this.engine = engine;
  }

  /** Sessions created since the codec was added. */
  public long sessionsOpened() {
    return sessionsOpened;
  }

  /** Sessions open now. */
  public int sessionsOpen() {
    return sessionsOpen;
  }

  /** Sessions closed for {@code reason}. */
  public long sessionsClosed(KcpCloseReason reason) {
    return closed[reason.ordinal()];
  }

  /** Sessions closed for any reason. */
  public long sessionsClosed() {
    return Arrays.stream(closed).sum();
  }

  /** Openings refused because the session limit was reached. */
  public long sessionsRejected() {
    return dropped[KcpDropReason.SESSION_LIMIT.ordinal()];
  }

  /** Inbound datagrams dropped for {@code reason}. */
  public long datagramsDropped(KcpDropReason reason) {
    return dropped[reason.ordinal()];
  }

  /** Inbound datagrams dropped for any reason. */
  public long datagramsDropped() {
    return Arrays.stream(dropped).sum();
  }

  /** Datagrams the codec received from the datagram channel. */
  public long datagramsIn() {
    return datagramsIn;
  }

  /** Datagrams the codec wrote to the datagram channel. */
  public long datagramsOut() {
    return datagramsOut;
  }

  /**
   * Read bursts that brought datagrams: runs of {@code channelRead} ended by one {@code
   * channelReadComplete} (one wake-up of the event loop reads one or more bursts). {@link
   * #datagramsIn()} / {@code readBursts()} is the average batch the codec handles per flush.
   */
  public long readBursts() {
    return readBursts;
  }

  /** Times {@link KcpCodecBuilder#readCoalescing read coalescing} paused reading (0 when off). */
  public long readPauses() {
    return readPauses;
  }

  /**
   * The datagram layers' counters (FEC, packet encryption) of all sessions, open and closed,
   * summed, with the codec's own decryption counts ({@code opened}, {@code openFailures}); all zero
   * when no layer is in use. kcp-go's SNMP names: {@code fecRecovered} is FECRecovered, {@code
   * fecErrors} FECErrs, {@code fecParityShardsReceived} FECParityShards, {@code fecShortShards}
   * FECShortShards, {@code openFailures} InCsumErrors.
   */
  public DatagramStackCounters layerCounters() {
    return layers.snapshot();
  }

  /** The kcp-core counters of all sessions, open and closed, summed. */
  public KcpCounters engineCounters() {
    return engine.snapshot();
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("KcpCodecMetrics{opened=")
            .append(sessionsOpened)
            .append(", open=")
            .append(sessionsOpen)
            .append(", datagramsIn=")
            .append(datagramsIn)
            .append(", datagramsOut=")
            .append(datagramsOut)
            .append(", readBursts=")
            .append(readBursts)
            .append(", readPauses=")
            .append(readPauses);
    for (KcpCloseReason r : KcpCloseReason.values()) {
      sb.append(", closed.").append(r).append('=').append(closed[r.ordinal()]);
    }
    for (KcpDropReason r : KcpDropReason.values()) {
      sb.append(", dropped.").append(r).append('=').append(dropped[r.ordinal()]);
    }
    return sb.append(", engine=")
        .append(engine)
        .append(", layers=")
        .append(layers)
        .append('}')
        .toString();
  }
}
