package io.kcpj.core.secure;

import io.kcpj.core.secure.noise.NoiseCipher;
import io.kcpj.core.secure.noise.X25519KeyPair;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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
    clientCtx = new CryptoContext(new ScriptedRandom(seed));
    serverCtx = new CryptoContext(new ScriptedRandom(seed + 1));
    SecureClientConfig.Builder cb =
        SecureClientConfig.builder().cipher(suite.cipher()).timers(timers);
    SecureServerConfig.Builder sb =
        SecureServerConfig.builder().timers(timers).resetKey(fill(0x80));
    if (suite.usesPsk()) {
      cb.psk(PSK);
      sb.psk(PSK);
    }
    if (suite.usesServerStaticKey()) {
      cb.serverPublicKey(SERVER_KEY.publicKey());
      sb.staticKeyPair(SERVER_KEY);
    }
    client = new SecureClientSession(cb.build(), clientCtx, SERVER, CONV, toServer, clientEvents);
    responder = new HandshakeResponder(sb.build(), serverCtx, toClient, 0);
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
