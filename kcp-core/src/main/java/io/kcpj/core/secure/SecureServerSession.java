package io.kcpj.core.secure;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The server side of one secure session, created by {@link HandshakeResponder} when it accepts an
 * INITIATION (docs/secure-sessions.md, sections 9 and 10.2): CONFIRMING until the client's first
 * authenticated record, then ESTABLISHED; QUIC's 3x anti-amplification limit for every address not
 * yet validated; migration to a new client address with path validation, and the return to the last
 * validated address when validation fails.
 *
 * <p>The transport routes TRANSPORT datagrams carrying {@link #serverSessionId()} to {@link
 * #onDatagram}, and a retransmitted INITIATION (same source, same {@link #clientSessionId()}) to
 * {@link #onInitiationRetransmit}.
 *
 * <p><b>Threading:</b> confined to the thread of its {@link CryptoContext}.
 */
public final class SecureServerSession extends SecureSession {
  private final int clientId;
  private final int serverId;
  private final Suite suite;
  private final byte[] clientEphemeral;
  private byte[] response;
  private final long createdAt;
  private final AmplificationBudget budget = new AmplificationBudget();
  private InetSocketAddress fallback;
  private boolean challengePending;
  private long challengeData;
  private long challengeStartedAt;
  private long challengeNextAt;
  private long challengeInterval;

  SecureServerSession(
      CryptoContext ctx,
      SecureTimers timers,
      SecureDatagramSink sink,
      InetSocketAddress from,
      Suite suite,
      int clientId,
      int serverId,
      int conv,
      byte[] clientEphemeral,
      long now) {
    super(ctx, timers, sink, null, from, SecureSessionState.CONFIRMING);
    this.suite = suite;
    this.clientId = clientId;
    this.serverId = serverId;
    this.conv = conv;
    this.clientEphemeral = clientEphemeral;
    this.createdAt = now;
  }

  public Suite suite() {
    return suite;
  }

  /** The id the client chose (what this side writes into records it sends). */
  public int clientSessionId() {
    return clientId;
  }

  /** The id this server chose: TRANSPORT datagrams carrying it belong to this session. */
  public int serverSessionId() {
    return serverId;
  }

  /** Whether the current remote address is validated (no 3x limit on it). */
  public boolean isAddressValidated() {
    return budget.isValidated();
  }

  /** The budget of the current remote address (for metrics and tests). */
  public AmplificationBudget budget() {
    return budget;
  }

  /** Sets the RESPONSE to resend on retransmitted INITIATIONs, and the first budget entries. */
  void accepted(byte[] responseDatagram, int initiationLength, boolean validated) {
    this.response = responseDatagram;
    budget.onReceived(initiationLength);
    if (validated) {
      budget.validate();
    }
  }

  /** Sends the RESPONSE (at acceptance and on retransmitted INITIATIONs), within the budget. */
  boolean sendResponse(long now) {
    if (response == null || !budget.allows(response.length)) {
      counters.drop(SecureDrop.BLOCKED_BY_AMPLIFICATION_LIMIT);
      return false;
    }
    System.arraycopy(response, 0, ctx.sealScratch, 0, response.length);
    emit(response.length, remote, now);
    return true;
  }

  /**
   * Whether {@code initiation} is a retransmission of the INITIATION that created this session:
   * same client session id and same ephemeral key. Position unchanged.
   */
  public boolean isRetransmissionOf(ByteBuffer initiation) {
    int len = initiation.remaining();
    int p = initiation.position();
    if (len < SecureWire.INITIATION_TOKEN_OFFSET
        || SecureWire.type(initiation) != SecureWire.TYPE_INITIATION
        || SecureWire.getIntLe(initiation, p + SecureWire.INITIATION_SENDER_OFFSET) != clientId) {
      return false;
    }
    int tokenLength =
        (initiation.get(p + SecureWire.INITIATION_TOKEN_LENGTH_OFFSET) & 0xff)
            | (initiation.get(p + SecureWire.INITIATION_TOKEN_LENGTH_OFFSET + 1) & 0xff) << 8;
    int at = SecureWire.INITIATION_TOKEN_OFFSET + tokenLength;
    if (at + clientEphemeral.length > len) {
      return false;
    }
    byte[] e = new byte[clientEphemeral.length];
    initiation.get(p + at, e, 0, e.length);
    return Arrays.equals(e, clientEphemeral);
  }

  /**
   * A retransmitted INITIATION from {@code from}: while CONFIRMING, the same RESPONSE is sent again
   * (within the budget). Returns {@link SecureDrop#NONE} when answered, else why not.
   */
  public SecureDrop onInitiationRetransmit(
      ByteBuffer initiation, InetSocketAddress from, long now) {
    counters.datagramsIn++;
    counters.bytesIn += initiation.remaining();
    SecureDrop r;
    if (!isRetransmissionOf(initiation)) {
      r = SecureDrop.UNKNOWN_SESSION;
    } else if (state != SecureSessionState.CONFIRMING || !from.equals(remote)) {
      r = SecureDrop.UNEXPECTED;
    } else {
      budget.onReceived(initiation.remaining());
      if (sendResponse(now)) {
        counters.responsesRetransmitted++;
        r = SecureDrop.NONE;
      } else {
        r = SecureDrop.BLOCKED_BY_AMPLIFICATION_LIMIT;
        return r; // already counted
      }
    }
    counters.drop(r);
    return r;
  }

  @Override
  SecureDrop onHandshakeDatagram(ByteBuffer datagram, InetSocketAddress from, long now) {
    int type = SecureWire.type(datagram);
    return type == SecureWire.TYPE_INITIATION ? SecureDrop.UNEXPECTED : SecureDrop.UNKNOWN_TYPE;
  }

  @Override
  boolean allowSend(InetSocketAddress to, int bytes) {
    return !to.equals(remote) || budget.allows(bytes);
  }

  @Override
  void onSent(InetSocketAddress to, int bytes) {
    if (to.equals(remote)) {
      budget.onSent(bytes);
    }
  }

  @Override
  void onAuthenticated(
      InetSocketAddress from, int length, boolean newest, boolean nonProbing, long now) {
    if (state == SecureSessionState.CONFIRMING) {
      state = SecureSessionState.ESTABLISHED;
      response = null;
      counters.handshakesCompleted++;
      if (from.equals(remote)) {
        budget.onReceived(length);
        budget.validate(); // the client computed the keys from the RESPONSE sent here
      } else {
        startMigration(from, length, now);
      }
      listener().onEstablished(this);
      return;
    }
    if (from.equals(remote)) {
      budget.onReceived(length);
      return;
    }
    if (!nonProbing || !newest) {
      return; // a probe, or a late record from an older address: no move
    }
    if (from.equals(fallback)) {
      InetSocketAddress abandoned = remote;
      remote = fallback;
      fallback = null;
      challengePending = false;
      budget.restart();
      budget.validate();
      counters.migrations++;
      listener().onPathChanged(this, abandoned, remote);
      return;
    }
    startMigration(from, length, now);
  }

  private void startMigration(InetSocketAddress to, int receivedLength, long now) {
    if (budget.isValidated()) {
      fallback = remote;
    }
    remote = to;
    budget.restart();
    budget.onReceived(receivedLength);
    counters.migrations++;
    challengePending = true;
    challengeData = ctx.random().nextLong();
    challengeStartedAt = now;
    challengeInterval = timers.probeInterval();
    challengeNextAt = now + challengeInterval;
    sendChallenge(now);
  }

  private void sendChallenge(long now) {
    int len =
        Frames.writePath(
            ctx.sealScratch,
            SecureWire.TRANSPORT_HEADER_SIZE,
            Frames.PATH_CHALLENGE,
            challengeData);
    if (sendRecord(remote, len - SecureWire.TRANSPORT_HEADER_SIZE, now)) {
      counters.pathChallengesSent++;
    }
  }

  @Override
  void onPathResponse(long data, long now) {
    if (!challengePending || data != challengeData) {
      return;
    }
    challengePending = false;
    budget.validate();
    InetSocketAddress previous = fallback;
    fallback = null;
    counters.pathsValidated++;
    listener().onPathChanged(this, previous, remote);
  }

  @Override
  boolean isStatelessReset(ByteBuffer datagram) {
    return false;
  }

  @Override
  long roleDeadline() {
    if (state == SecureSessionState.CONFIRMING) {
      return createdAt + timers.unconfirmedTimeout();
    }
    if (challengePending) {
      return Math.min(challengeNextAt, challengeStartedAt + timers.pathValidationTimeout());
    }
    return Long.MAX_VALUE;
  }

  @Override
  void onRoleTimer(long now) {
    if (state == SecureSessionState.CONFIRMING) {
      if (now - createdAt >= timers.unconfirmedTimeout()) {
        terminate(SecureCloseReason.HANDSHAKE_TIMEOUT, 0);
      }
      return;
    }
    if (!challengePending) {
      return;
    }
    if (now - challengeStartedAt >= timers.pathValidationTimeout()) {
      challengePending = false;
      counters.pathValidationsFailed++;
      InetSocketAddress abandoned = remote;
      if (fallback != null) {
        remote = fallback;
        fallback = null;
        budget.restart();
        budget.validate();
      }
      listener().onPathValidationFailed(this, abandoned, remote);
      return;
    }
    if (now >= challengeNextAt) {
      challengeInterval = Math.min(challengeInterval * 2, timers.probeIntervalMax());
      challengeNextAt = now + challengeInterval;
      sendChallenge(now);
    }
  }

  @Override
  void onTerminated() {
    response = null;
  }
}
