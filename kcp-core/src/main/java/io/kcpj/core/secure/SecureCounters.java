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

  public long datagramsIn;
  public long bytesIn;
  public long datagramsOut;
  public long bytesOut;

  /** Records opened and accepted. */
  public long recordsAccepted;

  /** PAYLOAD frames handed to the listener. */
  public long payloadsDelivered;

  public long handshakesCompleted;
  public long retriesSent;
  public long responsesRetransmitted;
  public long initiationsRetransmitted;
  public long keepalivesSent;
  public long statelessResetsSent;
  public long statelessResetsRecognised;
  public long pathChallengesSent;
  public long pathsValidated;
  public long pathValidationsFailed;
  public long migrations;
  public long closeFramesSent;
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

  public SecureCounters snapshot() {
    SecureCounters c = new SecureCounters();
    addTo(c);
    return c;
  }

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
