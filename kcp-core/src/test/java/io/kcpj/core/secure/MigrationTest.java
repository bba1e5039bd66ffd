package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 3x anti-amplification limit, migration with path validation, and the way back. */
class MigrationTest {

  @Test
  void anUnvalidatedAddressGetsAtMostThreeTimesItsBytes() {
    SecurePair p = new SecurePair();
    p.client.start(0);
    p.deliverToServer(0); // 66 bytes in, 80 out (RESPONSE)
    assertFalse(p.server.isAddressValidated());
    int sentRecords = 0;
    while (p.serverSends(new byte[10], 1) > 0) {
      sentRecords++;
      assertTrue(sentRecords < 100, "no limit on an unvalidated address");
    }
    assertEquals(SecureSession.REFUSED_AMPLIFICATION, p.serverSends(new byte[10], 1));
    AmplificationBudget b = p.server.budget();
    assertTrue(b.sent() <= 3 * b.received(), b.sent() + " > 3 x " + b.received());
    assertEquals(66, b.received());
    assertEquals(80 + sentRecords * 36L, b.sent());
    assertEquals(3, sentRecords); // (198 - 80) / 36
    // A RESPONSE retransmission beyond the budget is refused too.
    p.client.onTimer(p.client.nextDeadline());
    CapturingSink.Sent again = p.toServer.drain().get(0);
    p.toClient.drain();
    assertEquals(SecureDrop.NONE, p.routeToServer(again.buffer(), SecurePair.CLIENT, 250));
    assertTrue(p.server.budget().sent() <= 3 * p.server.budget().received());
  }

  @Test
  void aClientThatMovesIsFollowedOnceThePathIsValidated() {
    SecurePair p = new SecurePair().established(0);
    p.clientSource = SecurePair.CLIENT_MOVED; // NAT rebinding
    p.clientSends(new byte[] {7}, 100);
    assertEquals(List.of(SecureDrop.NONE), p.deliverToServer(100));
    assertEquals(1, p.serverEvents.payloads.size(), "the authentic record is delivered at once");
    assertEquals(SecurePair.CLIENT_MOVED, p.server.remoteAddress());
    assertFalse(p.server.isAddressValidated());
    CapturingSink.Sent challenge = p.toClient.last();
    assertEquals(SecurePair.CLIENT_MOVED, challenge.to);
    assertEquals(1, p.server.counters().pathChallengesSent);
    assertTrue(p.serverEvents.pathChanges.isEmpty());

    p.deliverToClient(101); // the client answers
    p.deliverToServer(102);
    assertTrue(p.server.isAddressValidated());
    assertEquals(1, p.serverEvents.pathChanges.size());
    assertEquals(SecurePair.CLIENT, p.serverEvents.pathChanges.get(0)[0]);
    assertEquals(SecurePair.CLIENT_MOVED, p.serverEvents.pathChanges.get(0)[1]);
    for (int i = 0; i < 20; i++) {
      assertTrue(p.serverSends(new byte[500], 103) > 0, "no limit once validated");
    }
  }

  @Test
  void aLateRecordFromTheOldAddressDoesNotMoveTheSessionBack() {
    SecurePair p = new SecurePair().established(0);
    p.clientSends(new byte[] {1}, 10);
    CapturingSink.Sent old = p.toServer.drain().get(0); // delayed in the network
    p.clientSource = SecurePair.CLIENT_MOVED;
    p.clientSends(new byte[] {2}, 11);
    p.deliverToServer(11);
    assertEquals(SecureDrop.NONE, p.routeToServer(old.buffer(), SecurePair.CLIENT, 12));
    assertEquals(SecurePair.CLIENT_MOVED, p.server.remoteAddress());
    assertEquals(2, p.serverEvents.payloads.size());
  }

  @Test
  void aFailedValidationReturnsToTheLastValidatedAddress() {
    SecurePair p = new SecurePair().established(0);
    // An on-path attacker rewrites the source of one authentic record.
    p.clientSource = SecurePair.CLIENT_MOVED;
    p.clientSends(new byte[60], 100);
    p.deliverToServer(100);
    assertEquals(SecurePair.CLIENT_MOVED, p.server.remoteAddress());
    long t = 100;
    int challenges = 1;
    int steps = 0;
    while (p.server.remoteAddress().equals(SecurePair.CLIENT_MOVED)) {
      assertTrue(++steps < 1_000, "path validation never gave up after 1,000 deadlines");
      t = p.server.nextDeadline();
      p.server.onTimer(t);
      for (CapturingSink.Sent s : p.toClient.drain()) {
        assertEquals(SecurePair.CLIENT_MOVED, s.to);
        challenges++;
      }
      assertTrue(t < 100_000);
    }
    assertEquals(100 + 3_000, t);
    assertEquals(SecurePair.CLIENT, p.server.remoteAddress());
    assertTrue(p.server.isAddressValidated());
    assertEquals(1, p.server.counters().pathValidationsFailed);
    assertTrue(p.serverEvents.pathChanges.isEmpty());
    // Bytes towards the unvalidated address stayed within 3x of what came from it.
    assertTrue(challenges * 34 <= 3 * (60 + 26), challenges + " challenges");
  }

  @Test
  void probesAloneDoNotMigrate() {
    SecurePair p = new SecurePair().established(0);
    // A PATH_CHALLENGE-only record from elsewhere is answered there but moves nothing.
    byte[] buf = p.clientCtx.sealScratch;
    int len = Frames.writePath(buf, SecureWire.TRANSPORT_HEADER_SIZE, Frames.PATH_CHALLENGE, 99);
    p.client.sendRecord(SecurePair.SERVER, len - SecureWire.TRANSPORT_HEADER_SIZE, 5);
    CapturingSink.Sent probe = p.toServer.drain().get(0);
    assertEquals(SecureDrop.NONE, p.routeToServer(probe.buffer(), SecurePair.CLIENT_MOVED, 5));
    assertEquals(SecurePair.CLIENT, p.server.remoteAddress());
    CapturingSink.Sent response = p.toClient.last();
    assertEquals(SecurePair.CLIENT_MOVED, response.to);
    assertTrue(response.bytes.length <= probe.bytes.length);
    assertNull(p.serverEvents.closed);
  }

  @Test
  void aForgedRecordFromANewAddressMovesNothing() {
    SecurePair p = new SecurePair().established(0);
    p.clientSends(new byte[] {1}, 10);
    byte[] forged = p.toServer.drain().get(0).bytes;
    forged[forged.length - 1] ^= 1;
    assertEquals(
        SecureDrop.AUTHENTICATION_FAILED,
        p.routeToServer(ByteBuffer.wrap(forged), SecurePair.CLIENT_MOVED, 11));
    assertEquals(SecurePair.CLIENT, p.server.remoteAddress());
    assertTrue(p.toClient.sent.isEmpty(), "no challenge sent to a forged source");
  }
}
