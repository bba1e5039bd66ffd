package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.secure.noise.Aead;
import io.kcpj.core.secure.noise.NoiseCipher;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Record protection between established sessions: forged, replayed, truncated, wrong-key and
 * misrouted records are dropped, counted and never delivered; key epochs rotate on both sides.
 */
class RecordProtectionTest {

  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void everyFlippedBitAndEveryTruncationIsDroppedAndNothingIsDelivered(NoiseCipher cipher) {
    SecurePair p = pair(cipher);
    p.clientSends(new byte[] {10, 20, 30, 40}, 1);
    byte[] record = p.toServer.drain().get(0).bytes;
    int before = p.serverEvents.payloads.size();
    for (int i = 0; i < record.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] forged = record.clone();
        forged[i] ^= (byte) (1 << bit);
        SecureDrop r = p.routeToServer(ByteBuffer.wrap(forged), SecurePair.CLIENT, 2);
        assertTrue(r != SecureDrop.NONE, "byte " + i + " bit " + bit + " accepted");
      }
    }
    for (int len = 0; len < record.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(record, len);
      assertTrue(p.routeToServer(ByteBuffer.wrap(cut), SecurePair.CLIENT, 2) != SecureDrop.NONE);
    }
    assertEquals(before, p.serverEvents.payloads.size(), "a forged record was delivered");
    assertTrue(p.server.counters().drops(SecureDrop.AUTHENTICATION_FAILED) > 0);
    // The genuine record still goes through: no forgery moved the window.
    assertEquals(SecureDrop.NONE, p.routeToServer(ByteBuffer.wrap(record), SecurePair.CLIENT, 3));
    assertArrayEquals(new byte[] {10, 20, 30, 40}, p.serverEvents.payloads.get(before));
    long replays = p.server.counters().drops(SecureDrop.REPLAYED);
    assertEquals(
        SecureDrop.REPLAYED, p.routeToServer(ByteBuffer.wrap(record), SecurePair.CLIENT, 3));
    assertEquals(replays + 1, p.server.counters().drops(SecureDrop.REPLAYED));
    assertEquals(before + 1, p.serverEvents.payloads.size());
  }

  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void aForgeryRacingAheadOfTheGenuineRecordDoesNotBlockIt(NoiseCipher cipher) {
    SecurePair p = pair(cipher);
    p.clientSends(new byte[] {5, 6}, 1);
    byte[] record = p.toServer.drain().get(0).bytes;
    for (int attempt = 0; attempt < 3; attempt++) {
      byte[] forged = record.clone();
      forged[record.length - 1 - attempt] ^= 0x40; // same packet number, bad tag
      assertEquals(
          SecureDrop.AUTHENTICATION_FAILED,
          p.routeToServer(ByteBuffer.wrap(forged), SecurePair.CLIENT, 2));
    }
    assertEquals(SecureDrop.NONE, p.routeToServer(ByteBuffer.wrap(record), SecurePair.CLIENT, 2));
    assertArrayEquals(new byte[] {5, 6}, p.serverEvents.payloads.get(0));
  }

  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void aRecordUnderAnotherSessionsKeysIsRejected(NoiseCipher cipher) {
    SecurePair a = pair(cipher, 11);
    SecurePair b = pair(cipher, 12);
    // Make b's server answer to a's session id so only the key differs.
    a.clientSends(new byte[] {1}, 1);
    byte[] record = a.toServer.drain().get(0).bytes;
    SecureWire.putIntLe(record, SecureWire.TRANSPORT_RECEIVER_OFFSET, b.server.serverSessionId());
    assertEquals(
        SecureDrop.AUTHENTICATION_FAILED,
        b.server.onDatagram(ByteBuffer.wrap(record), SecurePair.CLIENT, 2));
    SecureWire.putIntLe(
        record, SecureWire.TRANSPORT_RECEIVER_OFFSET, b.server.serverSessionId() + 1);
    assertEquals(
        SecureDrop.UNKNOWN_SESSION,
        b.server.onDatagram(ByteBuffer.wrap(record), SecurePair.CLIENT, 2));
  }

  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void reorderedRecordsInsideTheWindowAreEachAcceptedOnceAndOlderOnesAreTooOld(NoiseCipher cipher) {
    SecurePair p = pair(cipher);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 2100; i++) {
      p.clientSends(new byte[] {(byte) i}, 1);
      records.add(p.toServer.drain().get(0).bytes);
    }
    // Newest first: the first 1,985 (pn 2,100 back to 116, counting the PING at pn 0) pass.
    int accepted = 0;
    int tooOld = 0;
    for (int i = records.size() - 1; i >= 0; i--) {
      SecureDrop r = p.routeToServer(ByteBuffer.wrap(records.get(i)), SecurePair.CLIENT, 2);
      if (r == SecureDrop.NONE) {
        accepted++;
      } else {
        assertEquals(SecureDrop.TOO_OLD, r);
        tooOld++;
      }
    }
    assertEquals(1985, accepted);
    assertEquals(2100 - 1985, tooOld);
  }

  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void keysRotateEvery2To20PacketsAndReorderingAcrossTheBoundaryStillWorks(NoiseCipher cipher) {
    byte[] key = SecurePair.fill(3);
    RecordSealer sealer = new RecordSealer(new Aead(cipher), key, 77);
    RecordOpener opener = new RecordOpener(new Aead(cipher), key, 77);
    long start = (1L << 20) - 4;
    sealer.skipTo(start);
    opener.skipTo(start - 1);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] buf = new byte[64];
      buf[SecureWire.TRANSPORT_HEADER_SIZE] = Frames.PING;
      int n = sealer.seal(buf, 0, 1);
      records.add(java.util.Arrays.copyOf(buf, n));
    }
    // Deliver the epoch-1 records before the last epoch-0 ones.
    int[] order = {0, 5, 4, 1, 6, 2, 7, 3};
    for (int i : order) {
      byte[] r = records.get(i);
      assertEquals(SecureDrop.NONE, opener.open(r, 0, r.length), "record " + i);
      assertEquals(start + i, opener.lastPacketNumber());
    }
    assertEquals(1, RecordKeys.epochOf(opener.largestAccepted()));
    // A record two epochs ahead has no key.
    RecordSealer far = new RecordSealer(new Aead(cipher), key, 77);
    far.skipTo(3L << 20);
    byte[] buf = new byte[64];
    buf[SecureWire.TRANSPORT_HEADER_SIZE] = Frames.PING;
    int n = far.seal(buf, 0, 1);
    assertEquals(SecureDrop.KEY_UNAVAILABLE, opener.open(buf, 0, n));
  }

  private static SecurePair pair(NoiseCipher cipher) {
    return pair(cipher, 11);
  }

  private static SecurePair pair(NoiseCipher cipher, long seed) {
    Suite suite = Suite.of(true, false, cipher);
    return new SecurePair(suite, SecureTimers.defaults(), seed).established(0);
  }
}
