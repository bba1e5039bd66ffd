package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzz target of the server side of secure sessions (docs/fuzzing.md): a {@link HandshakeResponder}
 * and an established session fed a fuzzer-chosen program of hostile datagrams — raw bytes,
 * mutations (bit flips, truncations, extensions, splices) of genuine INITIATIONs and records,
 * replays, TRANSPORT datagrams naming the live session — from several source addresses, interleaved
 * with a healthy client's records (delivered late, out of order, from a new address) and clock
 * steps. After every operation:
 *
 * <ul>
 *   <li>nothing throws;
 *   <li>every payload the server delivered is one the client sent, delivered once (nothing forged
 *       or replayed is ever accepted);
 *   <li>an address not validated never received more than 3x the bytes the session counted from it;
 *   <li>the healthy session ends only by its idle timeout (no datagram an attacker can make ends
 *       it); a replayed or mutated INITIATION may open another half-open session (it times out with
 *       {@code HANDSHAKE_TIMEOUT}, which is correct), but that session never establishes and never
 *       delivers a payload;
 *   <li>an INITIATION built by a PSK holder (any ephemeral key, low-order points included, any
 *       payload and token) is answered or dropped, never thrown on.
 * </ul>
 */
class SecureServerFuzzTest {
  private static final InetSocketAddress[] SOURCES = {
    SecurePair.CLIENT, SecurePair.CLIENT_MOVED, SecurePair.address("192.0.2.66", 7777)
  };

  @FuzzTest(maxDuration = "30s")
  void hostileDatagramsNeverReachOrBreakTheSession(FuzzedDataProvider data) {
    SecurePair p =
        SecurePair.withDefaultTimers(
            data.consumeBoolean() ? Suite.NN_PSK0_AES_GCM : Suite.NN_PSK0_CHACHA_POLY,
            data.consumeInt(0, 3));
    p.requireToken = data.consumeBoolean();
    p.client.start(0);
    List<byte[]> history = new ArrayList<>();
    history.add(p.toServer.last().bytes);
    p.deliverToServer(0);
    for (CapturingSink.Sent s : p.toClient.sent) {
      history.add(s.bytes);
    }
    p.deliverToClient(0);
    if (p.requireToken) {
      history.add(p.toServer.last().bytes);
      p.deliverToServer(0);
      p.deliverToClient(0);
    }
    p.deliverToServer(0);
    assertEquals(SecureSessionState.ESTABLISHED, p.server.state());
    SecureServerSession session = p.server;
    // A replayed or mutated INITIATION the responder accepts opens another, half-open session
    // (routeToServer makes it p.server, with the healthy session's listener). It is not the
    // session under test: each gets its own listener, and p.server goes back to the healthy one.
    List<SecurePair.Events> others = new ArrayList<>();

    Set<Integer> sent = new HashSet<>();
    Set<Integer> delivered = new HashSet<>();
    List<byte[]> pending = new ArrayList<>();
    int seq = 0;
    long now = 0;
    for (int op = 0; op < 64 && data.remainingBytes() > 0; op++) {
      InetSocketAddress from = SOURCES[data.consumeInt(0, SOURCES.length - 1)];
      switch (data.consumeInt(0, 8)) {
        case 0: // the client sends
          byte[] payload = new byte[4 + data.consumeInt(0, 200)];
          SecureWire.putIntLe(payload, 0, seq);
          sent.add(seq++);
          p.clientSends(payload, now);
          for (CapturingSink.Sent s : p.toServer.drain()) {
            pending.add(s.bytes);
            history.add(s.bytes);
          }
          break;
        case 1: // a genuine record arrives, in any order, from any source
          if (!pending.isEmpty()) {
            byte[] r = pending.remove(data.consumeInt(0, pending.size() - 1));
            p.routeToServer(ByteBuffer.wrap(r), from, now);
          }
          break;
        case 2: // raw bytes
          p.routeToServer(ByteBuffer.wrap(data.consumeBytes(1500)), from, now);
          break;
        case 3: // a mutation of anything seen on the wire
          byte[] m = history.get(data.consumeInt(0, history.size() - 1)).clone();
          p.routeToServer(ByteBuffer.wrap(mutate(m, data)), from, now);
          break;
        case 4: // a replay
          byte[] replay = history.get(data.consumeInt(0, history.size() - 1));
          p.routeToServer(ByteBuffer.wrap(replay), from, now);
          break;
        case 5: // a TRANSPORT datagram naming the live session, rest chosen by the fuzzer
          byte[] t = new byte[data.consumeInt(0, 300)];
          byte[] rest = data.consumeBytes(t.length);
          System.arraycopy(rest, 0, t, 0, rest.length);
          if (t.length >= 5) {
            t[0] = (byte) SecureWire.TYPE_TRANSPORT;
            SecureWire.putIntLe(t, 1, session.serverSessionId());
          }
          p.routeToServer(ByteBuffer.wrap(t), from, now);
          break;
        case 6: // time passes
          now += data.consumeInt(0, 5_000);
          p.client.onTimer(now);
          for (SecureServerSession s : p.table.values()) {
            s.onTimer(now);
          }
          for (CapturingSink.Sent s : p.toServer.drain()) {
            pending.add(s.bytes);
            history.add(s.bytes);
          }
          break;
        case 8: // an INITIATION a PSK holder builds: any ephemeral key, payload and token
          byte[] e =
              data.consumeBoolean()
                  ? SecurePair.LOW_ORDER_POINTS[
                      data.consumeInt(0, SecurePair.LOW_ORDER_POINTS.length - 1)]
                  : java.util.Arrays.copyOf(data.consumeBytes(32), 32);
          byte[] init =
              SecurePair.pskHolderInitiation(
                  p.client.suite(),
                  data.consumeInt(),
                  e,
                  data.consumeBytes(data.consumeInt(0, 40)),
                  data.consumeBytes(data.consumeInt(0, 30)));
          history.add(init);
          // Straight to the responder, not registered: the session under test stays the same.
          Admission a =
              p.responder.onInitiation(
                  ByteBuffer.wrap(init), from, now, data.consumeBoolean(), p.table::containsKey);
          if (a.kind() == Admission.Kind.ACCEPTED) {
            AmplificationBudget nb = a.session().budget();
            assertTrue(nb.isValidated() || nb.sent() <= 3 * nb.received(), "3x limit exceeded");
          }
          break;
        default: // the server answers; the client hears it
          p.serverSends(new byte[data.consumeInt(0, 100)], now);
          for (CapturingSink.Sent s : p.toClient.sent) {
            history.add(s.bytes);
          }
          p.deliverToClient(now);
          for (CapturingSink.Sent s : p.toServer.drain()) {
            pending.add(s.bytes);
            history.add(s.bytes);
          }
      }
      if (p.server != session) {
        SecurePair.Events o = new SecurePair.Events();
        p.server.setListener(o);
        others.add(o);
        p.server = session;
      }
      p.toClient.drain();
      for (SecurePair.Events o : others) {
        assertTrue(o.payloads.isEmpty(), "a session opened by a hostile datagram delivered");
        assertEquals(0, o.established, "a session opened by a hostile datagram established");
      }
      for (byte[] d : p.serverEvents.payloads) {
        assertTrue(d.length >= 4, "a payload the client never sent");
        int n = SecureWire.getIntLe(d, 0);
        assertTrue(sent.contains(n), "a payload the client never sent: " + n);
        assertTrue(delivered.add(n), "payload " + n + " delivered twice");
      }
      p.serverEvents.payloads.clear();
      AmplificationBudget b = session.budget();
      assertTrue(b.isValidated() || b.sent() <= 3 * b.received(), "3x limit exceeded");
      SecureCloseReason r = p.serverEvents.closed;
      assertTrue(r == null || r == SecureCloseReason.IDLE_TIMEOUT, "session ended: " + r);
    }
  }

  static byte[] mutate(byte[] m, FuzzedDataProvider data) {
    switch (data.consumeInt(0, 3)) {
      case 0:
        int flips = data.consumeInt(1, 4);
        for (int i = 0; i < flips && m.length > 0; i++) {
          m[data.consumeInt(0, m.length - 1)] ^= (byte) data.consumeInt(1, 255);
        }
        return m;
      case 1:
        return java.util.Arrays.copyOf(m, data.consumeInt(0, m.length));
      case 2:
        byte[] tail = data.consumeBytes(64);
        byte[] longer = java.util.Arrays.copyOf(m, m.length + tail.length);
        System.arraycopy(tail, 0, longer, m.length, tail.length);
        return longer;
      default:
        if (m.length > 0) {
          int at = data.consumeInt(0, m.length - 1);
          byte[] splice = data.consumeBytes(m.length - at);
          System.arraycopy(splice, 0, m, at, splice.length);
        }
        return m;
    }
  }
}
