package io.kcpj.bench.compare;

import io.kcpj.core.fec.DatagramSink;
import io.kcpj.core.secure.Admission;
import io.kcpj.core.secure.CryptoContext;
import io.kcpj.core.secure.HandshakeResponder;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureClientSession;
import io.kcpj.core.secure.SecureCounters;
import io.kcpj.core.secure.SecureDatagramSink;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureServerSession;
import io.kcpj.core.secure.SecureSession;
import io.kcpj.core.secure.SecureSessionListener;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.core.secure.noise.X25519KeyPair;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.EnumSet;

/**
 * One side of kcpj's secure sessions in a virtual compare run ({@link VirtualKcpRun} with {@code
 * secure=}): the kcp-core secure session between an engine (or its FEC stack) and the virtual
 * network, driven as kcp-netty's secure layers drive it (docs/secure-sessions.md, section 12.2):
 * the client starts the handshake at its first inner datagram and holds inner datagrams until the
 * handshake completes (then sends them in order); the server answers INITIATIONs with a {@link
 * HandshakeResponder} and keeps the one session it accepts. Every datagram either side produces
 * (handshake messages, records, PINGs) goes to the wire sink, so the run's wire bytes include them.
 *
 * <p>Keys and random draws come from a {@code SHA1PRNG} seeded by the run's seed, so a run is
 * reproducible. The secure code runs on the virtual clock: its CPU cost is not part of the virtual
 * time (the figures show the handshake's round trip and the bytes, not the crypto's CPU time).
 *
 * <p>Single-threaded (the virtual scheduler's). Buffer ownership: inner datagrams handed to {@link
 * #send} are copied or sealed during the call; payloads handed to the inner sink are views valid
 * only during that call.
 */
final class VirtualSecureLink {
  /** The wire: sends {@code buffer[offset, offset + length)} to the peer. */
  interface Wire {
    void send(byte[] buffer, int offset, int length);
  }

  /** The most inner datagrams a client holds while its handshake runs (as SecureClientLayer). */
  static final int MAX_HELD = 64;

  private static final byte[] PSK = fill(0x5e);

  private final SecureSpec spec;
  private final boolean client;
  private final CryptoContext ctx;
  private final Wire wire;
  private final DatagramSink inner;
  private final InetSocketAddress peer;
  private final int conv;
  private final byte[] sealed = new byte[SecureWire.MAX_DATAGRAM_SIZE];
  private final ByteBuffer sealedView = ByteBuffer.wrap(sealed);
  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  private long unrouted;
  private HandshakeResponder responder;
  private SecureSession session;
  private long startedAt = -1;
  private long establishedAt = -1;
  private long refused;

  private final SecureSessionListener listener =
      new SecureSessionListener() {
        @Override
        public void onEstablished(SecureSession s) {
          establishedAt = lastNow;
          if (client) {
            while (!held.isEmpty()) {
              byte[] d = held.poll();
              protectAndSend(ByteBuffer.wrap(d), lastNow);
            }
          }
        }

        @Override
        public void onPayload(SecureSession s, ByteBuffer payload) {
          inner.accept(
              payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
        }
      };

  private long lastNow;

  /**
   * @param spec the pattern and cipher
   * @param client whether this is the client side (else the server)
   * @param seed seeds this side's random draws (ephemeral keys, ids)
   * @param peer the other side's address (the client's server; for the server, unused)
   * @param conv the KCP conversation the session carries
   * @param wire where this side's datagrams go
   * @param inner where opened inner datagrams go (the FEC stack or the engine)
   */
  VirtualSecureLink(
      SecureSpec spec,
      boolean client,
      long seed,
      InetSocketAddress peer,
      int conv,
      Wire wire,
      DatagramSink inner) {
    this.spec = spec;
    this.client = client;
    this.ctx = new CryptoContext(seeded(seed));
    this.wire = wire;
    this.inner = inner;
    this.peer = peer;
    this.conv = conv;
  }

  /** The server's fixed static key (a benchmark's, not a secret). */
  private static final X25519KeyPair SERVER_KEY = X25519KeyPair.fromPrivateKey(fill(0x5c));

  private static byte[] fill(int v) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }

  private static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed); // before any draw: the sequence is fixed by the seed
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG is missing from this JDK", e);
    }
  }

  /** The core's own datagrams (handshake, PING, ...): a view of its scratch, sent at once. */
  private final SecureDatagramSink sink = this::sendOwn;

  private void sendOwn(ByteBuffer datagram, InetSocketAddress recipient) {
    int n = datagram.remaining();
    datagram.get(datagram.position(), sealed, 0, n);
    wire.send(sealed, 0, n);
  }

  /** The pattern and cipher this side runs. */
  SecureSpec spec() {
    return spec;
  }

  /** The per-record overhead the engine's MTU gives up ({@link SecureWire#TRANSPORT_OVERHEAD}). */
  static int overhead() {
    return SecureWire.TRANSPORT_OVERHEAD;
  }

  /** Sends one inner datagram (an engine's or FEC shard): protected, or held during a handshake. */
  void send(byte[] buffer, int offset, int length, long now) {
    lastNow = now;
    if (client && session == null) {
      SecureClientConfig.Builder b = SecureClientConfig.builder().cipher(spec.cipher());
      if (spec.psk()) {
        b.psk(PSK);
      }
      if (spec.serverKey()) {
        b.serverPublicKey(SERVER_KEY.publicKey());
      }
      session = new SecureClientSession(b.build(), ctx, peer, conv, sink, listener);
      startedAt = now;
      ((SecureClientSession) session).start(now);
    }
    if (session == null || establishedAt < 0 && client) {
      if (session == null || held.size() >= MAX_HELD) {
        refused++; // the engine retransmits
      } else {
        held.add(java.util.Arrays.copyOfRange(buffer, offset, offset + length));
      }
      return;
    }
    protectAndSend(ByteBuffer.wrap(buffer, offset, length), now);
  }

  private void protectAndSend(ByteBuffer datagram, long now) {
    sealedView.clear();
    int n = session.protect(datagram, sealedView, now);
    if (n > 0) {
      wire.send(sealed, 0, n);
    } else {
      refused++; // not ready, closed or over the 3x budget: the engine retransmits
    }
  }

  /** A datagram from the wire, from {@code from}. */
  void receive(byte[] data, InetSocketAddress from, long now) {
    lastNow = now;
    ByteBuffer d = ByteBuffer.wrap(data);
    if (client) {
      if (session != null) {
        session.onDatagram(d, from, now);
      }
      return;
    }
    if (responder == null) {
      SecureServerConfig.Builder b =
          SecureServerConfig.builder().ciphers(EnumSet.of(spec.cipher()));
      if (spec.psk()) {
        b.psk(PSK);
      }
      if (spec.serverKey()) {
        b.staticKeyPair(SERVER_KEY);
      }
      responder = new HandshakeResponder(b.build(), ctx, sink, now);
    }
    if (SecureWire.type(d) == SecureWire.TYPE_INITIATION) {
      SecureServerSession s = (SecureServerSession) session;
      if (s != null && s.isRetransmissionOf(d)) {
        s.onInitiationRetransmit(d, from, now);
        return;
      }
      Admission a =
          responder.onInitiation(d, from, now, false, id -> session != null && id == serverId());
      if (a.kind() == Admission.Kind.ACCEPTED) {
        session = a.session();
        session.setListener(listener);
        startedAt = now;
      }
      return;
    }
    if (session != null && SecureWire.transportReceiverId(d) == (serverId() & 0xffffffffL)) {
      session.onDatagram(d, from, now);
    } else {
      unrouted++; // no session for it: dropped (no stateless reset here)
    }
  }

  private int serverId() {
    return ((SecureServerSession) session).serverSessionId();
  }

  /** The earliest time {@link #onTimer} has work (ms), or {@link Long#MAX_VALUE}. */
  long nextDeadline() {
    return session == null ? Long.MAX_VALUE : session.nextDeadline();
  }

  /** Runs the session's due timers (handshake retransmission, keepalive, idle timeout). */
  void onTimer(long now) {
    lastNow = now;
    if (session != null && now >= session.nextDeadline()) {
      session.onTimer(now);
    }
  }

  /** When the handshake completed relative to its start (ms), or -1 if it did not. */
  long handshakeMillis() {
    return establishedAt < 0 ? -1 : establishedAt - startedAt;
  }

  /** This side's counters: the session's and the responder's, summed. */
  SecureCounters counters() {
    SecureCounters c = new SecureCounters();
    if (session != null) {
      session.counters().addTo(c);
    }
    if (responder != null) {
      responder.counters().addTo(c);
    }
    return c;
  }

  /** Datagrams that named no session of this side (dropped). */
  long unrouted() {
    return unrouted;
  }

  /** Inner datagrams the session could not send (none held, not ready, closed). */
  long refused() {
    return refused;
  }
}
