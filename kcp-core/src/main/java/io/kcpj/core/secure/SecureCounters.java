package io.kcpj.core.secure;

/**
 * Counters of one secure session or of one {@link HandshakeResponder}: datagrams and bytes in and
 * out, drops by {@link SecureDrop} reason, and lifecycle events.
 *
 * <p>Written by the owner's thread only; another thread may read the plain fields and tolerate
 * slightly stale values, or take a {@link #snapshot()} on the owner's thread. {@link
 * #addTo(SecureCounters)} sums many into a codec-wide total.
 */
public final class SecureCounters {
  private final long[] drops = new long[SecureDrop.values().length];

  /** Datagrams given to the session (or responder), accepted or dropped. */
  public long datagramsIn;

  /** Bytes of those datagrams. */
  public long bytesIn;

  /** Datagrams sent: handshake messages, records, stateless resets. */
  public long datagramsOut;

  /** Bytes of those datagrams. */
  public long bytesOut;

  /** Records opened and accepted. */
  public long recordsAccepted;

  /** PAYLOAD frames handed to the listener. */
  public long payloadsDelivered;

  /**
   * Handshakes completed: a client's RESPONSE accepted, a server's session confirmed by the
   * client's first record.
   */
  public long handshakesCompleted;

  /** Server: RETRY answers sent (an INITIATION had to echo an address validation token first). */
  public long retriesSent;

  /** Server: RESPONSEs sent again for a retransmitted INITIATION. */
  public long responsesRetransmitted;

  /** Client: INITIATIONs retransmitted while waiting for the RESPONSE. */
  public long initiationsRetransmitted;

  /** PINGs sent because nothing was sent for the keepalive interval. */
  public long keepalivesSent;

  /** Server: stateless resets sent for records of sessions it does not hold. */
  public long statelessResetsSent;

  /** Client: stateless resets recognised (each ends its session with STATELESS_RESET). */
  public long statelessResetsRecognised;

  /** Server: PATH_CHALLENGEs sent to a client's new address (first sends and repeats). */
  public long pathChallengesSent;

  /** Server: new client addresses validated by a matching PATH_RESPONSE. */
  public long pathsValidated;

  /**
   * Server: new client addresses not validated within the path validation timeout (the session went
   * back to its last validated address).
   */
  public long pathValidationsFailed;

  /**
   * Server: moves of a session's sending address: to a client's new address (before validation) or
   * back to its last validated one.
   */
  public long migrations;

  /** CLOSE frames sent (first sends and repeats of a graceful close). */
  public long closeFramesSent;

  /** Key updates (a direction moved to its next key epoch). */
  public long keyUpdates;

  /** Counts one drop. {@link SecureDrop#NONE} is ignored. */
  public void drop(SecureDrop reason) {
    if (reason != SecureDrop.NONE) {
      drops[reason.ordinal()]++;
    }
  }

  /** Datagrams dropped for {@code reason}. */
  public long drops(SecureDrop reason) {
    return drops[reason.ordinal()];
  }

  /** All drops together. */
  public long totalDrops() {
    long n = 0;
    for (long d : drops) {
      n += d;
    }
    return n;
  }

  /** A copy of these counters (take it on the owner's thread for exact values). */
  public SecureCounters snapshot() {
    SecureCounters c = new SecureCounters();
    addTo(c);
    return c;
  }

  /** Adds every counter of this one to {@code t} (for totals over many sessions). */
  public void addTo(SecureCounters t) {
    for (int i = 0; i < drops.length; i++) {
      t.drops[i] += drops[i];
    }
    t.datagramsIn += datagramsIn;
    t.bytesIn += bytesIn;
    t.datagramsOut += datagramsOut;
    t.bytesOut += bytesOut;
    t.recordsAccepted += recordsAccepted;
    t.payloadsDelivered += payloadsDelivered;
    t.handshakesCompleted += handshakesCompleted;
    t.retriesSent += retriesSent;
    t.responsesRetransmitted += responsesRetransmitted;
    t.initiationsRetransmitted += initiationsRetransmitted;
    t.keepalivesSent += keepalivesSent;
    t.statelessResetsSent += statelessResetsSent;
    t.statelessResetsRecognised += statelessResetsRecognised;
    t.pathChallengesSent += pathChallengesSent;
    t.pathsValidated += pathsValidated;
    t.pathValidationsFailed += pathValidationsFailed;
    t.migrations += migrations;
    t.closeFramesSent += closeFramesSent;
    t.keyUpdates += keyUpdates;
  }
}
