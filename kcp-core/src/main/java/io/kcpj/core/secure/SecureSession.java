package io.kcpj.core.secure;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One secure session after (and, in the subclasses, during) its handshake: record protection,
 * frames, keepalive and idle timeout, graceful close with half-close, abort
 * (docs/secure-sessions.md, sections 5, 6 and 10). {@link SecureClientSession} and {@link
 * SecureServerSession} add their side of the handshake and, for the server, anti-amplification and
 * migration.
 *
 * <p>Protocol logic only: datagrams and {@code now} (ms, any monotonic clock) in; records written
 * into the caller's buffer ({@link #protect}), other datagrams to the {@link SecureDatagramSink},
 * events to the {@link SecureSessionListener}. No I/O, no clock, no timers of its own: the
 * transport calls {@link #onTimer} at {@link #nextDeadline()}.
 *
 * <p><b>Threading:</b> confined to the thread of its {@link CryptoContext}. <b>Failure:</b> no
 * method throws on any datagram content; {@link #onDatagram} returns why a datagram was dropped.
 */
public abstract class SecureSession {
  /** {@link #protect} result: no keys yet (handshake not complete). */
  public static final int REFUSED_NOT_READY = -1;

  /** {@link #protect} result: the session is draining or closed. */
  public static final int REFUSED_CLOSED = -2;

  /** {@link #protect} result: the unvalidated address's 3x budget is used up (server). */
  public static final int REFUSED_AMPLIFICATION = -3;

  /** {@link #protect} result: the record would not fit {@code dst} or a datagram. */
  public static final int REFUSED_TOO_LARGE = -4;

  /** Records failing authentication after which a session closes (AEAD integrity limit). */
  static final long INTEGRITY_LIMIT = 1L << 36;

  final CryptoContext ctx;
  final SecureTimers timers;
  final SecureDatagramSink sink;
  final SecureCounters counters = new SecureCounters();
  private final FrameParser frames = new FrameParser();
  private SecureSessionListener listener;

  SecureSessionState state;
  InetSocketAddress remote;
  RecordSealer sealer;
  RecordOpener opener;
  int conv;
  long idleTimeout;
  long keepaliveInterval;
  long lastReceivedAt;
  long lastSentAt;
  private long authenticationFailures;

  private boolean closePending;
  private boolean sendClosed;
  private boolean receiveClosed;
  private long closeNextAt;
  private long closeInterval;
  private long drainUntil;
  private SecureCloseReason closeReason;
  private int abortCode;

  SecureSession(
      CryptoContext ctx,
      SecureTimers timers,
      SecureDatagramSink sink,
      SecureSessionListener listener,
      InetSocketAddress remote,
      SecureSessionState initial) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.listener = listener == null ? NO_LISTENER : listener;
    this.remote = Objects.requireNonNull(remote, "remote");
    this.state = initial;
  }

  private static final SecureSessionListener NO_LISTENER = (s, inner) -> {};

  // ---------------------------------------------------------------- public surface

  public final SecureSessionState state() {
    return state;
  }

  /** Where records for the peer go now (the server's side follows migrations). */
  public final InetSocketAddress remoteAddress() {
    return remote;
  }

  /** The KCP conversation id agreed in the handshake (0 on a client before it completes). */
  public final int conv() {
    return conv;
  }

  /** The idle timeout agreed in the handshake (0 before). */
  public final long idleTimeout() {
    return idleTimeout;
  }

  /** Why the session ended, or {@code null} while it lives. */
  public final SecureCloseReason closeReason() {
    return closeReason;
  }

  /** The peer's ABORT code when {@link #closeReason()} is {@code ABORTED_BY_PEER}, else 0. */
  public final int abortCode() {
    return abortCode;
  }

  public final SecureCounters counters() {
    return counters;
  }

  /** Replaces the listener (a transport may create its channel after the handshake). */
  public final void setListener(SecureSessionListener listener) {
    this.listener = listener == null ? NO_LISTENER : listener;
  }

  /** Whether this side has closed its sending direction and the peer acknowledged it. */
  public final boolean isSendClosed() {
    return sendClosed;
  }

  /** Whether the peer closed its sending direction. */
  public final boolean isReceiveClosed() {
    return receiveClosed;
  }

  /**
   * Handles a datagram routed to this session ({@code datagram} position to limit, not consumed;
   * {@code from} its source). Returns {@link SecureDrop#NONE} if it was accepted, else why it was
   * dropped. Events fire from inside this call. Never throws on any content.
   */
  public final SecureDrop onDatagram(ByteBuffer datagram, InetSocketAddress from, long now) {
    counters.datagramsIn++;
    counters.bytesIn += datagram.remaining();
    SecureDrop r;
    if (state == SecureSessionState.CLOSED) {
      r = SecureDrop.CLOSED;
    } else if (datagram.remaining() > SecureWire.MAX_DATAGRAM_SIZE) {
      r = SecureDrop.MALFORMED;
    } else if (SecureWire.type(datagram) == SecureWire.TYPE_TRANSPORT) {
      r = onTransport(datagram, from, now);
    } else {
      r = onHandshakeDatagram(datagram, from, now);
    }
    counters.drop(r);
    return r;
  }

  /**
   * Protects one inner datagram (a KCP or FEC datagram; {@code inner} position to limit, consumed)
   * as a record with one PAYLOAD frame, written at {@code dst}'s position (advanced). Returns the
   * record length, or a negative {@code REFUSED_*} code (then {@code inner} and {@code dst} are
   * unchanged). Send the record to {@link #remoteAddress()}. {@code inner} and {@code dst} must not
   * share memory. Allocation: none by kcpj; the JDK cipher's per-record initialisation allocates
   * (see docs/secure-sessions.md, section 14).
   */
  public final int protect(ByteBuffer inner, ByteBuffer dst, long now) {
    if (state == SecureSessionState.CLOSED || state == SecureSessionState.DRAINING) {
      return REFUSED_CLOSED;
    }
    if (sealer == null) {
      return REFUSED_NOT_READY;
    }
    int innerLength = inner.remaining();
    int length = innerLength + SecureWire.TRANSPORT_OVERHEAD;
    if (length > SecureWire.MAX_DATAGRAM_SIZE || dst.remaining() < length) {
      return REFUSED_TOO_LARGE;
    }
    if (!allowSend(remote, length)) {
      counters.drop(SecureDrop.BLOCKED_BY_AMPLIFICATION_LIMIT);
      return REFUSED_AMPLIFICATION;
    }
    byte[] buf;
    int off;
    if (dst.hasArray()) {
      buf = dst.array();
      off = dst.arrayOffset() + dst.position();
    } else {
      buf = ctx.sealScratch;
      off = 0;
    }
    int body = off + SecureWire.TRANSPORT_HEADER_SIZE;
    buf[body] = (byte) Frames.PAYLOAD;
    inner.get(inner.position(), buf, body + 1, innerLength);
    int n = sealer.seal(buf, off, 1 + innerLength);
    if (n < 0) {
      terminate(SecureCloseReason.PACKET_NUMBER_EXHAUSTED, 0);
      return REFUSED_CLOSED;
    }
    if (sealer.lastSealRotatedKey()) {
      counters.keyUpdates++;
    }
    inner.position(inner.limit());
    if (dst.hasArray()) {
      dst.position(dst.position() + n);
    } else {
      dst.put(buf, 0, n);
    }
    onSent(remote, n);
    lastSentAt = now;
    counters.datagramsOut++;
    counters.bytesOut += n;
    return n;
  }

  /**
   * Closes this side's sending direction (FIN): sends CLOSE and repeats it until acknowledged. Call
   * it once the engine above has nothing unacknowledged. PAYLOAD still flows afterwards (the engine
   * keeps acknowledging the peer). Returns {@code false} when not established.
   */
  public final boolean closeSend(long now) {
    if (state != SecureSessionState.ESTABLISHED) {
      return false;
    }
    if (closePending || sendClosed) {
      return true;
    }
    closePending = true;
    closeInterval = timers.probeInterval();
    closeNextAt = now + closeInterval;
    sendSimpleFrame(Frames.CLOSE, now);
    counters.closeFramesSent++;
    return true;
  }

  /**
   * Aborts (RST): sends one ABORT with {@code code} (0..65535) if keys exist, then ends the session
   * with {@code ABORTED_LOCALLY}. No-op once closed.
   */
  public final void abort(int code, long now) {
    if (state == SecureSessionState.CLOSED) {
      return;
    }
    if (sealer != null && state != SecureSessionState.DRAINING) {
      int len = Frames.writeAbort(ctx.sealScratch, SecureWire.TRANSPORT_HEADER_SIZE, code);
      sendRecord(remote, len - SecureWire.TRANSPORT_HEADER_SIZE, now);
    }
    terminate(SecureCloseReason.ABORTED_LOCALLY, code & 0xffff);
  }

  /** The earliest time {@link #onTimer} has work, or {@link Long#MAX_VALUE} for none. */
  public final long nextDeadline() {
    if (state == SecureSessionState.CLOSED) {
      return Long.MAX_VALUE;
    }
    long d = roleDeadline();
    if (state == SecureSessionState.ESTABLISHED) {
      d = Math.min(d, lastReceivedAt + idleTimeout);
      d = Math.min(d, lastSentAt + keepaliveInterval);
      if (closePending) {
        d = Math.min(d, closeNextAt);
      }
    } else if (state == SecureSessionState.DRAINING) {
      d = Math.min(d, drainUntil);
    }
    return d;
  }

  /** Runs whatever is due at {@code now}: retransmissions, keepalive, timeouts. */
  public final void onTimer(long now) {
    if (state == SecureSessionState.CLOSED) {
      return;
    }
    onRoleTimer(now);
    if (state == SecureSessionState.DRAINING && now >= drainUntil) {
      terminate(SecureCloseReason.GRACEFUL, 0);
      return;
    }
    if (state != SecureSessionState.ESTABLISHED) {
      return;
    }
    if (now - lastReceivedAt >= idleTimeout) {
      terminate(SecureCloseReason.IDLE_TIMEOUT, 0);
      return;
    }
    if (closePending && now >= closeNextAt) {
      sendSimpleFrame(Frames.CLOSE, now);
      counters.closeFramesSent++;
      closeInterval = Math.min(closeInterval * 2, timers.probeIntervalMax());
      closeNextAt = now + closeInterval;
    }
    if (state == SecureSessionState.ESTABLISHED && now - lastSentAt >= keepaliveInterval) {
      if (sendSimpleFrame(Frames.PING, now)) {
        counters.keepalivesSent++;
      } else {
        lastSentAt = now; // blocked by the budget: try again one interval later
      }
    }
  }

  // ---------------------------------------------------------------- role hooks

  /** Client: RESPONSE and RETRY. Server: nothing but TRANSPORT reaches a session. */
  abstract SecureDrop onHandshakeDatagram(ByteBuffer datagram, InetSocketAddress from, long now);

  /** Whether {@code bytes} may be sent to {@code to} now (the server's 3x budget). */
  abstract boolean allowSend(InetSocketAddress to, int bytes);

  /** Accounts {@code bytes} sent to {@code to}. */
  abstract void onSent(InetSocketAddress to, int bytes);

  /**
   * An authenticated, well-formed record of {@code length} bytes arrived from {@code from}; {@code
   * newest} when it carries the highest packet number so far. Server: confirmation, budget,
   * migration. Called before any frame acts.
   */
  abstract void onAuthenticated(
      InetSocketAddress from, int length, boolean newest, boolean nonProbing, long now);

  /** A PATH_RESPONSE arrived. */
  abstract void onPathResponse(long data, long now);

  /** Client: whether {@code datagram}, which failed to open, is the server's stateless reset. */
  abstract boolean isStatelessReset(ByteBuffer datagram);

  abstract long roleDeadline();

  abstract void onRoleTimer(long now);

  // ---------------------------------------------------------------- shared machinery

  final SecureSessionListener listener() {
    return listener;
  }

  /** Installs the transport keys and moves to {@code ESTABLISHED}-ready state. */
  final void installKeys(
      RecordSealer sealer, RecordOpener opener, long negotiatedIdle, long configuredKeepalive) {
    this.sealer = sealer;
    this.opener = opener;
    this.idleTimeout = negotiatedIdle;
    this.keepaliveInterval = Math.max(1, Math.min(configuredKeepalive, negotiatedIdle / 3));
  }

  private SecureDrop onTransport(ByteBuffer datagram, InetSocketAddress from, long now) {
    if (opener == null) {
      return isStatelessReset(datagram) ? resetRecognised() : SecureDrop.UNEXPECTED;
    }
    int length = datagram.remaining();
    byte[] buf = ctx.openScratch;
    datagram.get(datagram.position(), buf, 0, length);
    long largestBefore = opener.largestAccepted();
    SecureDrop r = opener.open(buf, 0, length);
    if (r != SecureDrop.NONE) {
      if (isStatelessReset(datagram)) {
        return resetRecognised();
      }
      if (r == SecureDrop.AUTHENTICATION_FAILED && ++authenticationFailures >= INTEGRITY_LIMIT) {
        terminate(SecureCloseReason.INTEGRITY_LIMIT, 0);
      }
      return r;
    }
    if (opener.lastRotatedKey()) {
      counters.keyUpdates++;
    }
    FrameParser f = frames;
    if (!f.parse(buf, SecureWire.TRANSPORT_HEADER_SIZE, opener.lastPlaintextLength())) {
      return SecureDrop.MALFORMED_FRAMES;
    }
    counters.recordsAccepted++;
    lastReceivedAt = now;
    if (state == SecureSessionState.DRAINING) {
      if (f.close) {
        sendSimpleFrame(Frames.CLOSE_ACK, now);
      }
      return SecureDrop.NONE;
    }
    if (f.abort) {
      terminate(SecureCloseReason.ABORTED_BY_PEER, f.abortCode);
      return SecureDrop.NONE;
    }
    onAuthenticated(from, length, opener.lastPacketNumber() > largestBefore, f.nonProbing, now);
    if (state == SecureSessionState.CLOSED) {
      return SecureDrop.NONE;
    }
    if (f.challenge) {
      sendPathResponse(from, length, f.challengeData, now);
    }
    if (f.response) {
      onPathResponse(f.responseData, now);
    }
    if (f.payloadOffset >= 0 && state == SecureSessionState.ESTABLISHED) {
      ByteBuffer view = ctx.openView;
      view.limit(f.payloadOffset + f.payloadLength).position(f.payloadOffset);
      counters.payloadsDelivered++;
      listener.onPayload(this, view);
    }
    if (state != SecureSessionState.ESTABLISHED) {
      return SecureDrop.NONE;
    }
    if (f.closeAck && closePending) {
      closePending = false;
      sendClosed = true;
    }
    if (f.close) {
      sendSimpleFrame(Frames.CLOSE_ACK, now);
      if (!receiveClosed) {
        receiveClosed = true;
        listener.onPeerClosed(this);
      }
    }
    if (state == SecureSessionState.ESTABLISHED && sendClosed && receiveClosed) {
      state = SecureSessionState.DRAINING;
      drainUntil = now + timers.drain();
    }
    return SecureDrop.NONE;
  }

  private SecureDrop resetRecognised() {
    counters.statelessResetsRecognised++;
    terminate(SecureCloseReason.STATELESS_RESET, 0);
    return SecureDrop.NONE;
  }

  private void sendPathResponse(InetSocketAddress to, int receivedLength, long data, long now) {
    int len =
        Frames.writePath(
            ctx.sealScratch, SecureWire.TRANSPORT_HEADER_SIZE, Frames.PATH_RESPONSE, data);
    int frames = len - SecureWire.TRANSPORT_HEADER_SIZE;
    if (!to.equals(remote) && frames + SecureWire.RECORD_EXPANSION > receivedLength) {
      return; // to an address without a budget: never more than the challenge's own size
    }
    sendRecord(to, frames, now);
  }

  /** Sends a record holding one one-byte frame to the current remote address. */
  final boolean sendSimpleFrame(int type, long now) {
    Frames.writeType(ctx.sealScratch, SecureWire.TRANSPORT_HEADER_SIZE, type);
    return sendRecord(remote, 1, now);
  }

  /**
   * Seals the frames already written at {@code sealScratch[9, 9 + framesLength)} and sends the
   * record to {@code to}, within the budget. Returns whether it was sent.
   */
  final boolean sendRecord(InetSocketAddress to, int framesLength, long now) {
    if (sealer == null) {
      return false;
    }
    int length = framesLength + SecureWire.RECORD_EXPANSION;
    if (to.equals(remote) && !allowSend(to, length)) {
      counters.drop(SecureDrop.BLOCKED_BY_AMPLIFICATION_LIMIT);
      return false;
    }
    int n = sealer.seal(ctx.sealScratch, 0, framesLength);
    if (n < 0) {
      terminate(SecureCloseReason.PACKET_NUMBER_EXHAUSTED, 0);
      return false;
    }
    if (sealer.lastSealRotatedKey()) {
      counters.keyUpdates++;
    }
    emit(n, to, now);
    return true;
  }

  /** Hands {@code sealScratch[0, length)} to the sink and accounts it. */
  final void emit(int length, InetSocketAddress to, long now) {
    ByteBuffer view = ctx.sealView;
    view.limit(length).position(0);
    onSent(to, length);
    lastSentAt = now;
    counters.datagramsOut++;
    counters.bytesOut += length;
    sink.send(view, to);
  }

  /** Ends the session once: forgets keys, reports {@code onClosed}. */
  final void terminate(SecureCloseReason reason, int code) {
    if (state == SecureSessionState.CLOSED) {
      return;
    }
    state = SecureSessionState.CLOSED;
    closeReason = reason;
    abortCode =
        reason == SecureCloseReason.ABORTED_BY_PEER || reason == SecureCloseReason.ABORTED_LOCALLY
            ? code
            : 0;
    if (sealer != null) {
      sealer.clear();
    }
    if (opener != null) {
      opener.clear();
    }
    onTerminated();
    listener.onClosed(this, reason, abortCode);
  }

  /** Role cleanup when the session ends (wipe handshake state). */
  void onTerminated() {}
}
