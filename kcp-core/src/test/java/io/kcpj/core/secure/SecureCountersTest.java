package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The counters a transport sums into its metrics: every datagram a server side (responder and
 * sessions together) receives or sends is counted exactly once, whichever part handled it.
 */
class SecureCountersTest {

  /** Datagrams and bytes the server side emitted, as the wire saw them. */
  private long wireDatagramsOut;

  private long wireBytesOut;
  private long wireDatagramsIn;
  private long wireBytesIn;

  @Test
  void responderAndSessionCountEachDatagramOnce() {
    SecurePair p = new SecurePair();
    p.requireToken = true;
    p.client.start(0);
    toServer(p, 0); // INITIATION → RETRY
    toClient(p, 1); // RETRY → INITIATION with token
    toServer(p, 2); // → RESPONSE
    // The RESPONSE is lost; the client retransmits, the half-open session answers again.
    CapturingSink.Sent lost = p.toClient.drain().get(0);
    wireDatagramsOut++;
    wireBytesOut += lost.bytes.length;
    p.client.onTimer(p.client.nextDeadline());
    toServer(p, 300);
    toClient(p, 301); // RESPONSE → PING
    toServer(p, 302);
    assertEquals(SecureSessionState.ESTABLISHED, p.server.state());
    for (int i = 0; i < 5; i++) {
      p.clientSends(new byte[100], 400 + i);
      p.serverSends(new byte[200], 400 + i);
    }
    toServer(p, 500);
    toClient(p, 500);
    // A datagram for a session the server does not hold: a stateless reset.
    byte[] stray = new byte[60];
    stray[0] = SecureWire.TYPE_TRANSPORT;
    wireDatagramsIn++;
    wireBytesIn += stray.length;
    ByteBuffer reset = ByteBuffer.allocate(64);
    int n = p.responder.writeStatelessReset(ByteBuffer.wrap(stray), reset);
    assertEquals(59, n);
    wireDatagramsOut++;
    wireBytesOut += n;

    SecureCounters total = new SecureCounters();
    p.responder.counters().addTo(total);
    p.server.counters().addTo(total);
    assertEquals(wireDatagramsOut, total.datagramsOut, "datagrams out");
    assertEquals(wireBytesOut, total.bytesOut, "bytes out");
    // The stray datagram went to writeStatelessReset, which does not count input (the transport
    // routed it): in = everything routed to the responder or the session.
    assertEquals(wireDatagramsIn - 1, total.datagramsIn, "datagrams in");
    assertEquals(wireBytesIn - stray.length, total.bytesIn, "bytes in");
    assertEquals(1, total.retriesSent);
    assertEquals(1, total.responsesRetransmitted);
    assertEquals(1, total.statelessResetsSent);
    assertEquals(1, total.handshakesCompleted);
    assertEquals(6, total.recordsAccepted); // the client's PING and five payloads
  }

  private void toServer(SecurePair p, long now) {
    for (CapturingSink.Sent d : p.toServer.drain()) {
      wireDatagramsIn++;
      wireBytesIn += d.bytes.length;
      p.routeToServer(d.buffer(), p.clientSource, now);
    }
  }

  private void toClient(SecurePair p, long now) {
    List<CapturingSink.Sent> out = p.toClient.drain();
    for (CapturingSink.Sent d : out) {
      wireDatagramsOut++;
      wireBytesOut += d.bytes.length;
      p.client.onDatagram(d.buffer(), SecurePair.SERVER, now);
    }
  }
}
