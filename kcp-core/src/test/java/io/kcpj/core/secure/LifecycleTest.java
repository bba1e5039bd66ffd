package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keepalive, idle timeout, graceful close with half-close, abort and stateless reset. */
class LifecycleTest {
  private static final SecureTimers TIMERS =
      SecureTimers.builder().idleTimeout(9_000).keepaliveInterval(10_000).build();

  @Test
  void idleSessionsKeepEachOtherAliveWithPings() {
    SecurePair p = new SecurePair(Suite.NN_PSK0_AES_GCM, TIMERS, 5).established(0);
    // keepalive = min(10 s, 9 s / 3) = 3 s.
    assertEquals(3_000, p.client.nextDeadline());
    for (long t = 3_000; t <= 60_000; t += 3_000) {
      p.client.onTimer(t);
      p.server.onTimer(t);
      p.deliverToServer(t);
      p.deliverToClient(t);
    }
    assertEquals(SecureSessionState.ESTABLISHED, p.client.state());
    assertEquals(SecureSessionState.ESTABLISHED, p.server.state());
    assertEquals(20, p.client.counters().keepalivesSent);
    assertEquals(20, p.server.counters().keepalivesSent);
    assertTrue(p.serverEvents.payloads.isEmpty(), "PINGs are not payload");
  }

  @Test
  void aSilentPeerIsDetectedAtTheIdleTimeout() {
    SecurePair p = new SecurePair(Suite.NN_PSK0_AES_GCM, TIMERS, 5).established(100);
    long t = 100;
    int steps = 0;
    while (p.client.state() != SecureSessionState.CLOSED) {
      assertTrue(++steps < 1_000, "no idle timeout after 1,000 deadlines");
      t = p.client.nextDeadline();
      p.client.onTimer(t);
      p.toServer.drain(); // the server has vanished
    }
    assertEquals(SecureCloseReason.IDLE_TIMEOUT, p.clientEvents.closed);
    assertEquals(100 + 9_000, t);
  }

  @Test
  void gracefulCloseDrainsBothDirectionsWithHalfClose() {
    SecurePair p = new SecurePair().established(0);
    assertTrue(p.client.closeSend(10));
    p.deliverToServer(10);
    assertEquals(1, p.serverEvents.peerClosed);
    assertTrue(p.server.isReceiveClosed());
    // Half-closed: the server still sends, the client still receives and acknowledges.
    p.serverSends(new byte[] {9}, 11);
    p.deliverToClient(11); // CLOSE_ACK and the payload
    assertTrue(p.client.isSendClosed());
    assertArrayEquals(new byte[] {9}, p.clientEvents.payloads.get(0));
    assertEquals(SecureSessionState.ESTABLISHED, p.client.state());
    assertTrue(p.clientSends(new byte[] {1}, 12) > 0, "acks still flow after closeSend");
    p.deliverToServer(12);

    assertTrue(p.server.closeSend(20));
    p.deliverToClient(20);
    assertEquals(1, p.clientEvents.peerClosed);
    assertEquals(SecureSessionState.DRAINING, p.client.state());
    p.deliverToServer(20);
    assertEquals(SecureSessionState.DRAINING, p.server.state());
    assertEquals(SecureSession.REFUSED_CLOSED, p.clientSends(new byte[] {1}, 21));

    p.client.onTimer(p.client.nextDeadline());
    p.server.onTimer(p.server.nextDeadline());
    assertEquals(SecureCloseReason.GRACEFUL, p.clientEvents.closed);
    assertEquals(SecureCloseReason.GRACEFUL, p.serverEvents.closed);
  }

  @Test
  void aLostCloseIsRepeatedWithBackoffUntilAcknowledged() {
    SecurePair p = new SecurePair().established(0);
    p.client.closeSend(0);
    p.toServer.drain(); // lost
    p.client.onTimer(250);
    p.toServer.drain(); // lost again
    assertEquals(750, p.client.nextDeadline());
    p.client.onTimer(750);
    assertEquals(3, p.client.counters().closeFramesSent);
    p.deliverToServer(750);
    assertEquals(1, p.serverEvents.peerClosed);
    p.toClient.drain(); // the CLOSE_ACK is lost: the client sends CLOSE again
    assertEquals(750 + 1_000, p.client.nextDeadline());
    p.client.onTimer(1_750);
    assertEquals(4, p.client.counters().closeFramesSent);
    // The duplicate CLOSE is acknowledged again but reported once.
    p.deliverToServer(1_750);
    assertEquals(1, p.serverEvents.peerClosed);
    assertEquals(1, p.toClient.sent.size(), "a second CLOSE_ACK");
    p.deliverToClient(1_750);
    assertTrue(p.client.isSendClosed());
    p.client.onTimer(3_750); // when the next CLOSE would have gone
    assertEquals(4, p.client.counters().closeFramesSent, "no CLOSE once acknowledged");
  }

  @Test
  void abortEndsBothSidesWithTheCode() {
    SecurePair p = new SecurePair().established(0);
    p.server.abort(0x1234, 5);
    assertEquals(SecureCloseReason.ABORTED_LOCALLY, p.serverEvents.closed);
    assertEquals(0x1234, p.serverEvents.abortCode);
    p.deliverToClient(6);
    assertEquals(SecureCloseReason.ABORTED_BY_PEER, p.clientEvents.closed);
    assertEquals(0x1234, p.clientEvents.abortCode);
    assertEquals(Long.MAX_VALUE, p.client.nextDeadline());
    assertEquals(SecureSession.REFUSED_CLOSED, p.clientSends(new byte[] {1}, 7));
  }

  @Test
  void aRestartedServerResetsItsClientsWithinOneRoundTrip() {
    SecurePair p = new SecurePair().established(0);
    p.table.clear(); // the server process lost its sessions (same reset key after restart)
    p.clientSends(new byte[100], 1);
    CapturingSink.Sent record = p.toServer.drain().get(0);
    assertEquals(
        SecureDrop.UNKNOWN_SESSION, p.routeToServer(record.buffer(), SecurePair.CLIENT, 1));
    ByteBuffer reset = ByteBuffer.allocate(100);
    int n = p.responder.writeStatelessReset(record.buffer(), reset);
    assertEquals(64, n, "min(received - 1, 64)");
    reset.flip();
    // Bytes 1-4 are random: a transport cannot route a reset by id, it offers it to the sessions
    // with that server (docs/secure-sessions.md, section 12.1); the session finds its token.
    assertTrue(SecureWire.transportReceiverId(reset) != p.client.clientSessionId());
    assertEquals(SecureDrop.NONE, p.client.onDatagram(reset, SecurePair.SERVER, 2));
    assertEquals(SecureCloseReason.STATELESS_RESET, p.clientEvents.closed);
    assertEquals(1, p.client.counters().statelessResetsRecognised);
  }

  @Test
  void aResetIsAlwaysShorterThanWhatTriggeredItAndNeverForTinyDatagrams() {
    SecurePair p = new SecurePair().established(0);
    p.clientSends(new byte[0], 1); // a 26-byte record
    byte[] record = p.toServer.drain().get(0).bytes;
    assertEquals(26, record.length);
    assertEquals(
        0, p.responder.writeStatelessReset(ByteBuffer.wrap(record), ByteBuffer.allocate(99)));
    p.clientSends(new byte[3], 2); // 29 bytes: a 28-byte reset
    byte[] bigger = p.toServer.drain().get(0).bytes;
    ByteBuffer reset = ByteBuffer.allocate(99);
    assertEquals(28, p.responder.writeStatelessReset(ByteBuffer.wrap(bigger), reset));
    assertEquals(0, p.responder.writeStatelessReset(ByteBuffer.wrap(new byte[] {1, 2, 3}), reset));
  }

  @Test
  void aResetWithAnotherTokenIsNotRecognisedAndTheSessionLives() {
    SecurePair p = new SecurePair().established(0);
    byte[] fake = new byte[40];
    fake[0] = (byte) SecureWire.TYPE_TRANSPORT;
    for (int i = 1; i < fake.length; i++) {
      fake[i] = (byte) (i * 31);
    }
    SecureDrop r = p.client.onDatagram(ByteBuffer.wrap(fake), SecurePair.SERVER, 1);
    assertFalse(r == SecureDrop.NONE);
    assertNull(p.clientEvents.closed);
    // The real token of another server id does not reset this session either.
    byte[] other = p.responder.resetToken(p.client.serverSessionId() + 1);
    System.arraycopy(other, 0, fake, fake.length - 16, 16);
    assertFalse(
        p.client.onDatagram(ByteBuffer.wrap(fake), SecurePair.SERVER, 1) == SecureDrop.NONE);
    assertEquals(SecureSessionState.ESTABLISHED, p.client.state());
  }

  @Test
  void closedSessionsDropEverything() {
    SecurePair p = new SecurePair().established(0);
    p.clientSends(new byte[] {1}, 1);
    List<CapturingSink.Sent> pending = p.toServer.drain();
    p.server.abort(0, 2);
    assertEquals(
        SecureDrop.CLOSED, p.server.onDatagram(pending.get(0).buffer(), SecurePair.CLIENT, 3));
    assertTrue(p.serverEvents.payloads.isEmpty());
  }
}
