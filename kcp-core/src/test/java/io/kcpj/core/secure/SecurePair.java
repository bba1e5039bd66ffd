package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.Aead;
import io.kcpj.core.secure.noise.DhFunction;
import io.kcpj.core.secure.noise.NoiseCipher;
import io.kcpj.core.secure.noise.RememberedX25519;
import io.kcpj.core.secure.noise.Sha256;
import io.kcpj.core.secure.noise.SymmetricState;
import io.kcpj.core.secure.noise.X25519KeyPair;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A client and a server in memory, with datagrams moved by hand: everything a test needs to drive
 * the core in virtual time. Events are recorded by {@link Events}.
 */
final class SecurePair {
  static final byte[] PSK = fill(0x20);
  static final X25519KeyPair SERVER_KEY = X25519KeyPair.fromPrivateKey(fill(0xC1));
  static final InetSocketAddress CLIENT = address("10.0.0.1", 5000);
  static final InetSocketAddress CLIENT_MOVED = address("10.9.9.9", 6000);
  static final InetSocketAddress SERVER = address("10.0.0.2", 4000);
  static final int CONV = 0x11223344;

  /**
   * X25519 public keys of small order, and non-canonical encodings of them (u = 0, 1, the two
   * points of order 8, p - 1, p, p + 1): a DH with any of them gives the all-zero secret.
   */
  static final byte[][] LOW_ORDER_POINTS = {
    Hex.decode("0000000000000000000000000000000000000000000000000000000000000000"),
    Hex.decode("0100000000000000000000000000000000000000000000000000000000000000"),
    Hex.decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
    Hex.decode("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    Hex.decode("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    Hex.decode("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    Hex.decode("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
  };

  /** Events of one session, recorded. */
  static final class Events implements SecureSessionListener {
    final List<byte[]> payloads = new ArrayList<>();
    int established;
    int peerClosed;
    SecureCloseReason closed;
    int abortCode = -1;
    final List<InetSocketAddress[]> pathChanges = new ArrayList<>();

    @Override
    public void onEstablished(SecureSession s) {
      established++;
    }

    @Override
    public void onPayload(SecureSession s, ByteBuffer inner) {
      byte[] b = new byte[inner.remaining()];
      inner.get(b);
      payloads.add(b);
    }

    @Override
    public void onPeerClosed(SecureSession s) {
      peerClosed++;
    }

    @Override
    public void onPathChanged(SecureSession s, InetSocketAddress previous, InetSocketAddress now) {
      pathChanges.add(new InetSocketAddress[] {previous, now});
    }

    @Override
    public void onClosed(SecureSession s, SecureCloseReason reason, int code) {
      if (closed != null) {
        throw new AssertionError("onClosed twice");
      }
      closed = reason;
      abortCode = code;
    }
  }

  final CapturingSink toServer = new CapturingSink();
  final CapturingSink toClient = new CapturingSink();
  final CryptoContext clientCtx;
  final CryptoContext serverCtx;
  final Events clientEvents = new Events();
  final Events serverEvents = new Events();
  final SecureClientSession client;
  final HandshakeResponder responder;
  final Map<Integer, SecureServerSession> table = new HashMap<>();
  SecureServerSession server;
  InetSocketAddress clientSource = CLIENT;
  boolean requireToken;

  SecurePair(Suite suite, SecureTimers timers, long seed) {
    this(clientConfig(suite, timers), serverConfig(suite, timers), seed);
  }

  /** A pair whose sessions share the given (immutable) configurations; the JDK's X25519. */
  SecurePair(SecureClientConfig clientConfig, SecureServerConfig serverConfig, long seed) {
    this(clientConfig, serverConfig, seed, DhFunction.JDK_X25519);
  }

  /** A pair whose handshakes generate keys and compute DH with {@code dh}. */
  SecurePair(
      SecureClientConfig clientConfig, SecureServerConfig serverConfig, long seed, DhFunction dh) {
    clientCtx = new CryptoContext(new ScriptedRandom(seed), dh);
    serverCtx = new CryptoContext(new ScriptedRandom(seed + 1), dh);
    client = new SecureClientSession(clientConfig, clientCtx, SERVER, CONV, toServer, clientEvents);
    responder = new HandshakeResponder(serverConfig, serverCtx, toClient, 0);
  }

  /**
   * A pair of {@code suite} with {@link SecureTimers#defaults()}, from configurations built once
   * per suite: building them checks the server's public key with an X25519 operation, about a tenth
   * of a fuzz run's time (the fuzz targets build a pair per run). Its handshakes use {@link
   * RememberedX25519#SHARED}: the real X25519 results, remembered, and ephemeral keys from a pool
   * of 64 (X25519 was about 90% of these targets' time), distinct within the pair ({@link
   * RememberedX25519#forOneScenario()}: as in production, no handshake key repeats).
   */
  static SecurePair withDefaultTimers(Suite suite, long seed) {
    return new SecurePair(
        DEFAULT_CLIENT.get(suite),
        DEFAULT_SERVER.get(suite),
        seed,
        RememberedX25519.SHARED.forOneScenario());
  }

  private static final Map<Suite, SecureClientConfig> DEFAULT_CLIENT = new EnumMap<>(Suite.class);
  private static final Map<Suite, SecureServerConfig> DEFAULT_SERVER = new EnumMap<>(Suite.class);

  static {
    for (Suite s : Suite.values()) {
      DEFAULT_CLIENT.put(s, clientConfig(s, SecureTimers.defaults()));
      DEFAULT_SERVER.put(s, serverConfig(s, SecureTimers.defaults()));
    }
  }

  static SecureClientConfig clientConfig(Suite suite, SecureTimers timers) {
    SecureClientConfig.Builder cb =
        SecureClientConfig.builder().cipher(suite.cipher()).timers(timers);
    if (suite.usesPsk()) {
      cb.psk(PSK);
    }
    if (suite.usesServerStaticKey()) {
      cb.serverPublicKey(SERVER_KEY.publicKey());
    }
    return cb.build();
  }

  static SecureServerConfig serverConfig(Suite suite, SecureTimers timers) {
    SecureServerConfig.Builder sb =
        SecureServerConfig.builder().timers(timers).resetKey(fill(0x80));
    if (suite.usesPsk()) {
      sb.psk(PSK);
    }
    if (suite.usesServerStaticKey()) {
      sb.staticKeyPair(SERVER_KEY);
    }
    return sb.build();
  }

  SecurePair() {
    this(Suite.NN_PSK0_AES_GCM, SecureTimers.defaults(), 42);
  }

  /** Runs the handshake to ESTABLISHED on both sides at time {@code now}. */
  SecurePair established(long now) {
    client.start(now);
    deliverToServer(now);
    deliverToClient(now);
    deliverToServer(now);
    if (client.state() != SecureSessionState.ESTABLISHED
        || server.state() != SecureSessionState.ESTABLISHED) {
      throw new AssertionError("handshake did not complete: " + client.state() + " / " + server);
    }
    return this;
  }

  /** Delivers everything queued for the server, routing as a transport would. */
  List<SecureDrop> deliverToServer(long now) {
    List<SecureDrop> results = new ArrayList<>();
    for (CapturingSink.Sent d : toServer.drain()) {
      results.add(routeToServer(d.buffer(), clientSource, now));
    }
    return results;
  }

  SecureDrop routeToServer(ByteBuffer d, InetSocketAddress from, long now) {
    int type = SecureWire.type(d);
    if (type == SecureWire.TYPE_INITIATION) {
      if (server != null && server.isRetransmissionOf(d)) {
        return server.onInitiationRetransmit(d, from, now);
      }
      Admission a = responder.onInitiation(d, from, now, requireToken, table::containsKey);
      if (a.kind() == Admission.Kind.ACCEPTED) {
        server = a.session();
        server.setListener(serverEvents);
        table.put(server.serverSessionId(), server);
      }
      return a.drop();
    }
    long id = SecureWire.transportReceiverId(d);
    SecureServerSession s = id < 0 ? null : table.get((int) id);
    if (s == null) {
      return SecureDrop.UNKNOWN_SESSION;
    }
    return s.onDatagram(d, from, now);
  }

  List<SecureDrop> deliverToClient(long now) {
    List<SecureDrop> results = new ArrayList<>();
    for (CapturingSink.Sent d : toClient.drain()) {
      results.add(client.onDatagram(d.buffer(), SERVER, now));
    }
    return results;
  }

  /** The client protects {@code inner} and the record is queued towards the server. */
  int clientSends(byte[] inner, long now) {
    return send(client, inner, toServer, now);
  }

  int serverSends(byte[] inner, long now) {
    return send(server, inner, toClient, now);
  }

  private static int send(SecureSession s, byte[] inner, CapturingSink queue, long now) {
    ByteBuffer out = ByteBuffer.allocate(inner.length + 64);
    int n = s.protect(ByteBuffer.wrap(inner), out, now);
    if (n > 0) {
      out.flip();
      queue.send(out, s.remoteAddress());
    }
    return n;
  }

  /**
   * An INITIATION for an {@code NNpsk0} suite built from parts, as anyone holding the PSK can:
   * client id {@code clientId}, ephemeral public key {@code e} (any 32 bytes, no private key
   * needed: message 1 of {@code NNpsk0} holds no DH), payload and token as given.
   */
  static byte[] pskHolderInitiation(
      Suite suite, int clientId, byte[] e, byte[] payload, byte[] token) {
    byte[] header = new byte[SecureWire.INITIATION_BOUND_SIZE];
    header[0] = SecureWire.TYPE_INITIATION;
    header[1] = SecureWire.VERSION;
    header[2] = (byte) suite.id();
    SecureWire.putIntLe(header, SecureWire.INITIATION_SENDER_OFFSET, clientId);
    SymmetricState ss =
        new SymmetricState(
            suite.pattern().protocolName(suite.cipher()), new Aead(suite.cipher()), new Sha256());
    ss.mixHash(SecureClientSession.prologue(header));
    ss.mixKeyAndHash(PSK);
    ss.mixHash(e);
    ss.mixKey(e);
    byte[] encrypted = ss.encryptAndHash(payload);
    ByteBuffer d = ByteBuffer.allocate(header.length + 2 + token.length + 32 + encrypted.length);
    d.put(header).put((byte) token.length).put((byte) (token.length >>> 8)).put(token);
    d.put(e, 0, 32).put(encrypted);
    return d.array();
  }

  static byte[] fill(int start) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  static InetSocketAddress address(String ip, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static NoiseCipher[] ciphers() {
    return NoiseCipher.values();
  }
}
