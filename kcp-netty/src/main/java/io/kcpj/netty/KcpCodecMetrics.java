package io.kcpj.netty;

import io.kcpj.core.KcpCounters;
import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.stack.DatagramStackCounters;
import java.util.Arrays;

/**
 * A snapshot of a codec's counters: sessions opened, open (validated or not), closed by reason,
 * datagrams dropped by reason (a {@link KcpDropReason#SESSION_LIMIT} or {@link
 * KcpDropReason#SOURCE_LIMIT} drop is a rejected session), the anti-amplification limit's and the
 * memory budget's figures, and the sum of the kcp-core counters of every session, open or closed;
 * under secure sessions also the secure layer's counters and the failed path validations.
 * Immutable; taken by {@link KcpCodec#metrics()}.
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
  private final int sessionsUnvalidated;
  private final long validations;
  private final long pathChanges;
  private final long datagramsWithheld;
  private final long bytesWithheld;
  private final long bytesHeld;
  private final long memoryBudget;
  private final long sessionFailures;
  private final KcpCounters engine;
  private final DatagramStackCounters layers;
  private final long pathValidationsFailed;
  private final SecureCounters secure;

  KcpCodecMetrics(
      CodecStats stats,
      int sessionsOpen,
      KcpCounters engine,
      DatagramStackCounters layers,
      SecureCounters secure) {
    this.layers = layers;
    this.secure = secure;
    this.pathValidationsFailed = stats.pathValidationsFailed;
    this.sessionsOpened = stats.sessionsOpened;
    this.sessionsOpen = sessionsOpen;
    this.closed = stats.closed.clone();
    this.dropped = stats.dropped.clone();
    this.datagramsIn = stats.datagramsIn;
    this.datagramsOut = stats.datagramsOut;
    this.readBursts = stats.readBursts;
    this.readPauses = stats.readPauses;
    this.sessionsUnvalidated = stats.sessionsUnvalidated;
    this.validations = stats.validations;
    this.pathChanges = stats.pathChanges;
    this.datagramsWithheld = stats.datagramsWithheld;
    this.bytesWithheld = stats.bytesWithheld;
    this.bytesHeld = stats.bytesHeld;
    this.memoryBudget = stats.memoryBudget;
    this.sessionFailures = stats.sessionFailures;
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

  /**
   * Sessions open now whose peer has not been validated yet ({@link KcpChannel#isValidated()}); the
   * rest of {@link #sessionsOpen()} are validated.
   */
  public int sessionsUnvalidated() {
    return sessionsUnvalidated;
  }

  /** Sessions open now whose peer is validated. */
  public int sessionsValidated() {
    return sessionsOpen - sessionsUnvalidated;
  }

  /**
   * Sessions that opened unvalidated and were validated later (their peer acknowledged data), since
   * the codec was added.
   */
  public long validations() {
    return validations;
  }

  /**
   * Sessions moved to a new peer address, keeping their KCP state, because the {@linkplain
   * KcpSessionLayer session layer} below validated the peer's new address ({@link
   * KcpSessionLayerEvent.PathChanged}), since the codec was added.
   */
  public long pathChanges() {
    return pathChanges;
  }

  /**
   * Times the {@linkplain KcpSessionLayer session layer} reported that an open session's peer
   * seemed to move but its new address failed path validation ({@link
   * KcpSessionLayerEvent.PathValidationFailed}; the session stayed where it was), since the codec
   * was added.
   */
  public long pathValidationsFailed() {
    return pathValidationsFailed;
  }

  /**
   * The secure-session layer's counters (handshakes, drops by {@link
   * io.kcpj.core.secure.SecureDrop} reason such as forged, replayed or unknown-session records,
   * keepalives, stateless resets, migrations and path validations), summed over its sessions live
   * and ended; {@code null} when the codec does not run secure sessions ({@link
   * KcpCodec#isSecure()}). A copy taken with this snapshot: the caller owns it.
   */
  public SecureCounters secureCounters() {
    return secure == null ? null : secure.snapshot();
  }

  /** Unvalidated sessions evicted to admit new openings ({@link KcpCloseReason#EVICTED}). */
  public long sessionsEvicted() {
    return closed[KcpCloseReason.EVICTED.ordinal()];
  }

  /**
   * Datagrams that the anti-amplification limit cut short or withheld (an unvalidated session may
   * send at most three times what it received).
   */
  public long datagramsWithheld() {
    return datagramsWithheld;
  }

  /** Bytes not sent because of the anti-amplification limit. */
  public long bytesWithheld() {
    return bytesWithheld;
  }

  /**
   * Bytes the open sessions hold in their engines' queues and unflushed writes, as the {@linkplain
   * KcpChannelOption#MEMORY_BUDGET memory budget} counts them.
   */
  public long bytesHeld() {
    return bytesHeld;
  }

  /** The codec's {@linkplain KcpChannelOption#MEMORY_BUDGET memory budget} in bytes. */
  public long memoryBudget() {
    return memoryBudget;
  }

  /**
   * Times the codec failed while serving a session outside the handling of a datagram (delivering
   * its messages or flushing its engine; a bug, or an allocator that failed). The session is kept
   * and the failure summarised in the log. Failures while handling a datagram are counted as {@link
   * KcpDropReason#INTERNAL_ERROR} drops.
   */
  public long sessionFailures() {
    return sessionFailures;
  }

  /** Sessions closed for {@code reason}. */
  public long sessionsClosed(KcpCloseReason reason) {
    return closed[reason.ordinal()];
  }

  /** Sessions closed for any reason. */
  public long sessionsClosed() {
    return Arrays.stream(closed).sum();
  }

  /**
   * Openings refused: the session limit was reached with no unvalidated session to evict, or the
   * source had its share of unvalidated sessions ({@link KcpDropReason#SESSION_LIMIT} + {@link
   * KcpDropReason#SOURCE_LIMIT}).
   */
  public long sessionsRejected() {
    return dropped[KcpDropReason.SESSION_LIMIT.ordinal()]
        + dropped[KcpDropReason.SOURCE_LIMIT.ordinal()];
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
            .append(readPauses)
            .append(", unvalidated=")
            .append(sessionsUnvalidated)
            .append(", validations=")
            .append(validations)
            .append(", pathChanges=")
            .append(pathChanges)
            .append(", pathValidationsFailed=")
            .append(pathValidationsFailed)
            .append(", datagramsWithheld=")
            .append(datagramsWithheld)
            .append(", bytesHeld=")
            .append(bytesHeld)
            .append(", memoryBudget=")
            .append(memoryBudget);
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
