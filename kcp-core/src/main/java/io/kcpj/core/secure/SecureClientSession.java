package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.CipherState;
import io.kcpj.core.secure.noise.HandshakeState;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The client side of one secure session (docs/secure-sessions.md, section 10.1): sends INITIATION,
 * retransmits it, answers one RETRY, completes the Noise handshake on RESPONSE, then runs the
 * record layer with the server; recognises the server's stateless reset.
 *
 * <p>Lifecycle for the transport: construct, {@link #start(long)}, then feed every datagram from
 * the server to {@link #onDatagram}, call {@link #onTimer} at {@link #nextDeadline()}, and {@link
 * #protect} the engine's datagrams once {@code onEstablished} fired. A forged RESPONSE is dropped
 * without disturbing the handshake (it is tried on a copy of the handshake state).
 *
 * <p><b>Threading:</b> confined to the thread of its {@link CryptoContext}.
 */
public final class SecureClientSession extends SecureSession {
  private final SecureClientConfig config;
  private final Suite suite;
  private final int clientId;
  private HandshakeState handshake;
  private byte[] initiationHeader;
  private byte[] noiseMessage1;
  private byte[] token;
  private boolean started;
  private long handshakeStartedAt;
  private long retransmitAt;
  private long retransmitInterval;
  private int serverId;
  private byte[] resetToken;

  /**
   * A client session that will carry KCP conversation {@code conv} to {@code server}.
   *
   * @param listener events; may be replaced later with {@link #setListener}
   */
  public SecureClientSession(
      SecureClientConfig config,
      CryptoContext ctx,
      InetSocketAddress server,
      int conv,
      SecureDatagramSink sink,
      SecureSessionListener listener) {
    super(ctx, config.timers(), sink, listener, server, SecureSessionState.HANDSHAKE);
    this.config = config;
    this.suite = config.suite();
    this.conv = conv;
    this.clientId = ctx.nonZeroRandomInt();
  }

  public Suite suite() {
    return suite;
  }

  /** The id this client chose; the server writes it into every record it sends here. */
  public int clientSessionId() {
    return clientId;
  }

  /** The id the server chose (0 before the handshake completes). */
  public int serverSessionId() {
    return serverId;
  }

  /**
   * Draws the ephemeral key, writes the INITIATION and sends it. Call once. The handshake timeout
   * counts from {@code now}.
   *
   * @throws IllegalStateException if already started
   */
  public void start(long now) {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    initiationHeader = new byte[SecureWire.INITIATION_BOUND_SIZE];
    initiationHeader[0] = (byte) SecureWire.TYPE_INITIATION;
    initiationHeader[1] = (byte) SecureWire.VERSION;
    initiationHeader[2] = (byte) suite.id();
    initiationHeader[3] = 0;
    SecureWire.putIntLe(initiationHeader, SecureWire.INITIATION_SENDER_OFFSET, clientId);
    HandshakeState.Builder b =
        HandshakeState.builder(suite.pattern(), suite.cipher(), true)
            .prologue(prologue(initiationHeader))
            .random(ctx.random())
            .dh(ctx.dh())
            .aead(ctx.aead(suite.cipher()))
            .sha(ctx.sha());
    if (suite.usesPsk()) {
      b.psks(config.psk());
    }
    if (suite.usesServerStaticKey()) {
      b.remoteStatic(config.serverPublicKey());
    }
    handshake = b.build();
    byte[] payload = new byte[8];
    SecureWire.putIntLe(payload, 0, conv);
    SecureWire.putIntLe(payload, 4, (int) timers.idleTimeout());
    noiseMessage1 = handshake.writeMessage(payload);
    if (noiseMessage1 == null) { // cannot happen: the config refuses a low-order server key
      throw new IllegalStateException("the pinned server public key is not a usable X25519 key");
    }
    handshakeStartedAt = now;
    retransmitInterval = timers.handshakeRetransmit();
    retransmitAt = now + retransmitInterval;
    sendInitiation(now);
  }

  static byte[] prologue(byte[] header) {
    byte[] label = SecureWire.PROLOGUE_LABEL.getBytes(StandardCharsets.US_ASCII);
    byte[] p = Arrays.copyOf(label, label.length + SecureWire.INITIATION_BOUND_SIZE);
    System.arraycopy(header, 0, p, label.length, SecureWire.INITIATION_BOUND_SIZE);
    return p;
  }

  private void sendInitiation(long now) {
    byte[] buf = ctx.sealScratch;
    System.arraycopy(initiationHeader, 0, buf, 0, SecureWire.INITIATION_BOUND_SIZE);
    int tokenLength = token == null ? 0 : token.length;
    SecureWire.putShortLe(buf, SecureWire.INITIATION_TOKEN_LENGTH_OFFSET, tokenLength);
    if (token != null) {
      System.arraycopy(token, 0, buf, SecureWire.INITIATION_TOKEN_OFFSET, tokenLength);
    }
    int noiseAt = SecureWire.INITIATION_TOKEN_OFFSET + tokenLength;
    System.arraycopy(noiseMessage1, 0, buf, noiseAt, noiseMessage1.length);
    emit(noiseAt + noiseMessage1.length, remote, now);
  }

  @Override
  SecureDrop onHandshakeDatagram(ByteBuffer datagram, InetSocketAddress from, long now) {
    int type = SecureWire.type(datagram);
    if (type == SecureWire.TYPE_RESPONSE) {
      return onResponse(datagram, now);
    }
    if (type == SecureWire.TYPE_RETRY) {
      return onRetry(datagram, now);
    }
    return SecureDrop.UNKNOWN_TYPE;
  }

  private SecureDrop onRetry(ByteBuffer datagram, long now) {
    int len = datagram.remaining();
    if (len < SecureWire.RETRY_TOKEN_OFFSET) {
      return SecureDrop.TOO_SHORT;
    }
    int p = datagram.position();
    if (SecureWire.getIntLe(datagram, p + SecureWire.RETRY_RECEIVER_OFFSET) != clientId) {
      return SecureDrop.UNKNOWN_SESSION;
    }
    if (!started || state != SecureSessionState.HANDSHAKE || token != null) {
      return SecureDrop.UNEXPECTED;
    }
    int tokenLength =
        (datagram.get(p + SecureWire.RETRY_TOKEN_LENGTH_OFFSET) & 0xff)
            | (datagram.get(p + SecureWire.RETRY_TOKEN_LENGTH_OFFSET + 1) & 0xff) << 8;
    if (tokenLength < 1
        || tokenLength > 255
        || SecureWire.RETRY_TOKEN_OFFSET + tokenLength != len) {
      return SecureDrop.MALFORMED;
    }
    token = new byte[tokenLength];
    datagram.get(p + SecureWire.RETRY_TOKEN_OFFSET, token, 0, tokenLength);
    retransmitInterval = timers.handshakeRetransmit();
    retransmitAt = now + retransmitInterval;
    sendInitiation(now);
    return SecureDrop.NONE;
  }

  private SecureDrop onResponse(ByteBuffer datagram, long now) {
    int len = datagram.remaining();
    if (len < SecureWire.RESPONSE_NOISE_OFFSET) {
      return SecureDrop.TOO_SHORT;
    }
    int p = datagram.position();
    if (SecureWire.getIntLe(datagram, p + SecureWire.RESPONSE_RECEIVER_OFFSET) != clientId) {
      return SecureDrop.UNKNOWN_SESSION;
    }
    if (!started || state != SecureSessionState.HANDSHAKE) {
      return SecureDrop.UNEXPECTED;
    }
    byte[] message = new byte[len - SecureWire.RESPONSE_NOISE_OFFSET];
    datagram.get(p + SecureWire.RESPONSE_NOISE_OFFSET, message, 0, message.length);
    HandshakeState trial = handshake.copy();
    byte[] payload = trial.readMessage(message, 0, message.length);
    if (payload == null) {
      return SecureDrop.AUTHENTICATION_FAILED;
    }
    int server = payload.length >= 24 ? SecureWire.getIntLe(payload, 0) : 0;
    long serverIdle = payload.length >= 24 ? SecureWire.getIntLe(payload, 20) & 0xFFFF_FFFFL : 0;
    if (server == 0 || serverIdle == 0) {
      return SecureDrop.MALFORMED;
    }
    serverId = server;
    resetToken = Arrays.copyOfRange(payload, 4, 4 + StatelessReset.TOKEN_SIZE);
    CipherState[] keys = trial.split();
    byte[] send = keys[0].keyBytes();
    byte[] receive = keys[1].keyBytes();
    installKeys(
        new RecordSealer(ctx.recordAead(suite.cipher()), send, serverId),
        new RecordOpener(ctx.recordAead(suite.cipher()), receive, clientId),
        Math.min(timers.idleTimeout(), serverIdle),
        timers.keepaliveInterval());
    Arrays.fill(send, (byte) 0);
    Arrays.fill(receive, (byte) 0);
    keys[0].wipe();
    keys[1].wipe();
    trial.wipe();
    handshake.wipe();
    handshake = null;
    state = SecureSessionState.ESTABLISHED;
    lastReceivedAt = now;
    counters.handshakesCompleted++;
    listener().onEstablished(this);
    if (state == SecureSessionState.ESTABLISHED && sealer.nextPacketNumber() == 0) {
      sendSimpleFrame(Frames.PING, now); // confirms the session to the server at once
    }
    return SecureDrop.NONE;
  }

  @Override
  boolean allowSend(InetSocketAddress to, int bytes) {
    return true;
  }

  @Override
  void onSent(InetSocketAddress to, int bytes) {}

  @Override
  void onAuthenticated(
      InetSocketAddress from, int length, boolean newest, boolean nonProbing, long now) {}

  @Override
  void onPathResponse(long data, long now) {}

  @Override
  boolean isStatelessReset(ByteBuffer datagram) {
    return resetToken != null && StatelessReset.matches(datagram, resetToken);
  }

  @Override
  long roleDeadline() {
    if (state != SecureSessionState.HANDSHAKE || !started) {
      return Long.MAX_VALUE;
    }
    return Math.min(retransmitAt, handshakeStartedAt + timers.handshakeTimeout());
  }

  @Override
  void onRoleTimer(long now) {
    if (state != SecureSessionState.HANDSHAKE || !started) {
      return;
    }
    if (now - handshakeStartedAt >= timers.handshakeTimeout()) {
      terminate(SecureCloseReason.HANDSHAKE_TIMEOUT, 0);
      return;
    }
    if (now >= retransmitAt) {
      retransmitInterval = Math.min(retransmitInterval * 2, timers.handshakeRetransmitMax());
      retransmitAt = now + retransmitInterval;
      counters.initiationsRetransmitted++;
      sendInitiation(now);
    }
  }

  @Override
  void onTerminated() {
    if (handshake != null) {
      handshake.wipe();
      handshake = null;
    }
  }
}
