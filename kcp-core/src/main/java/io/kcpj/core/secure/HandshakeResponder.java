package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.CipherState;
import io.kcpj.core.secure.noise.HandshakeState;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * The stateless front of a secure server (docs/secure-sessions.md, section 10.2): takes an
 * INITIATION and either drops it, answers it with a RETRY (keeping nothing), or completes the
 * server's side of the Noise handshake, sends the RESPONSE and hands the transport a new {@link
 * SecureServerSession}. Also writes stateless resets for TRANSPORT datagrams of unknown sessions.
 *
 * <p>Whether to demand an address validation token (always, or only under load) is the transport's
 * admission policy, passed per call. Holds the token secrets and the reset key; no per-client
 * state. <b>Threading:</b> confined to the thread of its {@link CryptoContext}; a server with
 * several threads (SO_REUSEPORT) has one responder per thread over the same {@link
 * SecureServerConfig}.
 */
public final class HandshakeResponder {
  private final SecureServerConfig config;
  private final CryptoContext ctx;
  private final SecureDatagramSink sink;
  private final AddressTokens tokens;
  private final StatelessReset reset;
  private final SecureCounters counters = new SecureCounters();

  public HandshakeResponder(
      SecureServerConfig config, CryptoContext ctx, SecureDatagramSink sink, long now) {
    this.config = Objects.requireNonNull(config, "config");
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.tokens = new AddressTokens(ctx, config.tokenLifetime(), config.tokenRotation(), now);
    this.reset = new StatelessReset(config.resetKeyUnsafe(), ctx.sha());
  }

  /** Counters of INITIATIONs handled, RETRYs and resets sent, drops by reason. */
  public SecureCounters counters() {
    return counters;
  }

  /**
   * Handles an INITIATION ({@code datagram} position to limit, not consumed) from {@code from}.
   *
   * @param requireToken whether an address validation token is demanded now (admission policy)
   * @param idInUse tells whether a server session id is taken (the transport's session table)
   * @return what was done; never throws on any content
   */
  public Admission onInitiation(
      ByteBuffer datagram,
      InetSocketAddress from,
      long now,
      boolean requireToken,
      IntPredicate idInUse) {
    counters.datagramsIn++;
    counters.bytesIn += datagram.remaining();
    Admission a = admit(datagram, from, now, requireToken, idInUse);
    counters.drop(a.drop());
    return a;
  }

  private Admission admit(
      ByteBuffer datagram,
      InetSocketAddress from,
      long now,
      boolean requireToken,
      IntPredicate idInUse) {
    int len = datagram.remaining();
    if (len < SecureWire.INITIATION_TOKEN_OFFSET) {
      return Admission.dropped(SecureDrop.TOO_SHORT);
    }
    if (len > SecureWire.MAX_INITIATION_SIZE) {
      return Admission.dropped(SecureDrop.MALFORMED);
    }
    byte[] in = new byte[len];
    datagram.get(datagram.position(), in, 0, len);
    if ((in[0] & 0xff) != SecureWire.TYPE_INITIATION) {
      return Admission.dropped(SecureDrop.UNKNOWN_TYPE);
    }
    if ((in[SecureWire.INITIATION_VERSION_OFFSET] & 0xff) != SecureWire.VERSION) {
      return Admission.dropped(SecureDrop.UNKNOWN_VERSION);
    }
    Suite suite = Suite.byId(in[SecureWire.INITIATION_SUITE_OFFSET] & 0xff);
    if (suite == null || !config.accepts(suite)) {
      return Admission.dropped(SecureDrop.UNSUPPORTED_SUITE);
    }
    int clientId = SecureWire.getIntLe(in, SecureWire.INITIATION_SENDER_OFFSET);
    int tokenLength = SecureWire.getShortLe(in, SecureWire.INITIATION_TOKEN_LENGTH_OFFSET);
    int noiseAt = SecureWire.INITIATION_TOKEN_OFFSET + tokenLength;
    if (noiseAt + SecureWire.NOISE_MESSAGE1_SIZE > len) {
      return Admission.dropped(tokenLength > 255 ? SecureDrop.MALFORMED : SecureDrop.TOO_SHORT);
    }
    if (from.getAddress() == null) {
      return Admission.dropped(SecureDrop.MALFORMED);
    }
    boolean validated = false;
    if (tokenLength > 0) {
      AddressTokens.Verdict v =
          tokens.verify(in, SecureWire.INITIATION_TOKEN_OFFSET, tokenLength, from, clientId, now);
      if (v != AddressTokens.Verdict.VALID) {
        return Admission.dropped(SecureDrop.TOKEN_INVALID);
      }
      validated = true;
    } else if (requireToken) {
      sendRetry(from, clientId, now);
      return Admission.retrySent();
    }

    HandshakeState.Builder b =
        HandshakeState.builder(suite.pattern(), suite.cipher(), false)
            .prologue(SecureClientSession.prologue(in))
            .random(ctx.random())
            .dh(ctx.dh())
            .aead(ctx.aead(suite.cipher()))
            .sha(ctx.sha());
    if (suite.usesPsk()) {
      b.psks(config.pskUnsafe());
    }
    if (suite.usesServerStaticKey()) {
      b.localStatic(config.staticKeyPair());
    }
    HandshakeState hs = b.build();
    byte[] payload = hs.readMessage(in, noiseAt, len - noiseAt);
    if (payload == null) {
      hs.wipe();
      return Admission.dropped(SecureDrop.AUTHENTICATION_FAILED);
    }
    long clientIdle = payload.length >= 8 ? SecureWire.getIntLe(payload, 4) & 0xFFFF_FFFFL : 0;
    if (clientIdle == 0) {
      hs.wipe();
      return Admission.dropped(SecureDrop.MALFORMED);
    }
    int conv = SecureWire.getIntLe(payload, 0);
    int serverId = chooseId(idInUse);
    if (serverId == 0) {
      hs.wipe();
      return Admission.dropped(SecureDrop.UNEXPECTED);
    }
    SecureTimers timers = config.timers();
    byte[] reply = new byte[24];
    SecureWire.putIntLe(reply, 0, serverId);
    System.arraycopy(reset.token(serverId), 0, reply, 4, StatelessReset.TOKEN_SIZE);
    SecureWire.putIntLe(reply, 20, (int) timers.idleTimeout());
    byte[] message2;
    try {
      message2 = hs.writeMessage(reply);
    } catch (IllegalStateException refused) {
      // The JDK declined to encrypt: AES-GCM refuses a key and nonce it has just used, which only a
      // repeating random source (the same ephemeral key drawn twice) can cause here. Send nothing.
      hs.wipe();
      return Admission.dropped(SecureDrop.LOCAL_CRYPTO_FAILURE);
    }
    if (message2 == null) {
      hs.wipe(); // the client's ephemeral key is a low-order point (NNpsk0 checks it only now)
      return Admission.dropped(SecureDrop.AUTHENTICATION_FAILED);
    }
    byte[] response = new byte[SecureWire.RESPONSE_NOISE_OFFSET + message2.length];
    response[0] = (byte) SecureWire.TYPE_RESPONSE;
    SecureWire.putIntLe(response, SecureWire.RESPONSE_RECEIVER_OFFSET, clientId);
    System.arraycopy(message2, 0, response, SecureWire.RESPONSE_NOISE_OFFSET, message2.length);

    CipherState[] keys = hs.split();
    byte[] receive = keys[0].keyBytes();
    byte[] send = keys[1].keyBytes();
    byte[] clientEphemeral = hs.remoteEphemeralKey();
    SecureServerSession session =
        new SecureServerSession(
            ctx, timers, sink, from, suite, clientId, serverId, conv, clientEphemeral, now);
    session.installKeys(
        new RecordSealer(ctx.recordAead(suite.cipher()), send, clientId),
        new RecordOpener(ctx.recordAead(suite.cipher()), receive, serverId),
        Math.min(timers.idleTimeout(), clientIdle),
        timers.keepaliveInterval());
    Arrays.fill(send, (byte) 0);
    Arrays.fill(receive, (byte) 0);
    keys[0].wipe();
    keys[1].wipe();
    hs.wipe();
    session.accepted(response, len, validated);
    session.sendResponse(now); // counted by the session, which sends it
    return Admission.accepted(session);
  }

  private int chooseId(IntPredicate idInUse) {
    for (int attempt = 0; attempt < 16; attempt++) {
      int id = ctx.nonZeroRandomInt();
      if (!idInUse.test(id)) {
        return id;
      }
    }
    return 0;
  }

  private void sendRetry(InetSocketAddress from, int clientId, long now) {
    byte[] buf = ctx.sealScratch;
    Arrays.fill(buf, 0, SecureWire.RETRY_TOKEN_OFFSET, (byte) 0);
    buf[0] = (byte) SecureWire.TYPE_RETRY;
    SecureWire.putIntLe(buf, SecureWire.RETRY_RECEIVER_OFFSET, clientId);
    int n = tokens.mint(from, clientId, now, buf, SecureWire.RETRY_TOKEN_OFFSET);
    SecureWire.putShortLe(buf, SecureWire.RETRY_TOKEN_LENGTH_OFFSET, n);
    int length = SecureWire.RETRY_TOKEN_OFFSET + n;
    ByteBuffer view = ctx.sealView;
    view.limit(length).position(0);
    counters.retriesSent++;
    counters.datagramsOut++;
    counters.bytesOut += length;
    sink.send(view, from);
  }

  /**
   * Writes a stateless reset answering {@code received} (a TRANSPORT datagram whose receiver id the
   * transport found in no session) at {@code dst}'s position. Returns its length, or 0 when none is
   * due. The transport must never call this for an id it holds, and should rate-limit it.
   */
  public int writeStatelessReset(ByteBuffer received, ByteBuffer dst) {
    int n = reset.write(received, dst, ctx.random());
    if (n > 0) {
      counters.statelessResetsSent++;
      counters.datagramsOut++;
      counters.bytesOut += n;
    }
    return n;
  }

  /** The reset token this server gives session id {@code serverId} (tests, diagnostics). */
  public byte[] resetToken(int serverId) {
    return reset.token(serverId);
  }
}
