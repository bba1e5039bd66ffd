package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzz target of the client side (docs/fuzzing.md): a {@link SecureClientSession} during and after
 * its handshake, fed raw bytes, mutations and replays of genuine RESPONSE, RETRY and records, and
 * the server's genuine records in any order, with clock steps. After every operation: nothing
 * throws; every payload delivered is one the server sent, once; the session ends only by the
 * handshake or idle timeout (which dropping packets causes anyway) or by a stateless reset that
 * really carries the session's token.
 */
class SecureClientFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void hostileDatagramsNeverReachOrBreakTheClient(FuzzedDataProvider data) {
    SecurePair p =
        SecurePair.withDefaultTimers(
            data.consumeBoolean() ? Suite.NK_AES_GCM : Suite.NN_PSK0_CHACHA_POLY,
            data.consumeInt(0, 3));
    p.requireToken = data.consumeBoolean();
    p.client.start(0);
    List<byte[]> history = new ArrayList<>();
    List<byte[]> pending = new ArrayList<>();
    Set<Integer> sent = new HashSet<>();
    Set<Integer> delivered = new HashSet<>();
    int seq = 0;
    long now = 0;
    byte[] last = new byte[0];
    for (int op = 0; op < 64 && data.remainingBytes() > 0; op++) {
      switch (data.consumeInt(0, 6)) {
        case 0: // the network carries the client's datagrams to the server
          p.deliverToServer(now);
          for (CapturingSink.Sent s : p.toClient.drain()) {
            pending.add(s.bytes);
            history.add(s.bytes);
          }
          break;
        case 1: // a genuine datagram from the server arrives, in any order
          if (!pending.isEmpty()) {
            last = pending.remove(data.consumeInt(0, pending.size() - 1));
            p.client.onDatagram(ByteBuffer.wrap(last), SecurePair.SERVER, now);
          }
          break;
        case 2:
          last = data.consumeBytes(1500);
          p.client.onDatagram(ByteBuffer.wrap(last), SecurePair.SERVER, now);
          break;
        case 3:
          if (!history.isEmpty()) {
            byte[] m = history.get(data.consumeInt(0, history.size() - 1)).clone();
            last = SecureServerFuzzTest.mutate(m, data);
            p.client.onDatagram(ByteBuffer.wrap(last), SecurePair.SERVER, now);
          }
          break;
        case 4:
          if (!history.isEmpty()) {
            last = history.get(data.consumeInt(0, history.size() - 1));
            p.client.onDatagram(ByteBuffer.wrap(last), SecurePair.SERVER, now);
          }
          break;
        case 5: // the server sends, if it can
          if (p.server != null) {
            byte[] payload = new byte[4 + data.consumeInt(0, 100)];
            SecureWire.putIntLe(payload, 0, seq);
            if (p.serverSends(payload, now) > 0) {
              sent.add(seq);
            }
            seq++;
            for (CapturingSink.Sent s : p.toClient.drain()) {
              pending.add(s.bytes);
              history.add(s.bytes);
            }
          }
          break;
        default:
          now += data.consumeInt(0, 3_000);
          p.client.onTimer(now);
      }
      for (byte[] d : p.clientEvents.payloads) {
        int n = SecureWire.getIntLe(d, 0);
        assertTrue(d.length >= 4 && sent.contains(n), "a payload the server never sent");
        assertTrue(delivered.add(n), "payload " + n + " delivered twice");
      }
      p.clientEvents.payloads.clear();
      SecureCloseReason r = p.clientEvents.closed;
      if (r == SecureCloseReason.STATELESS_RESET) {
        // Only the session's real token resets it. (With comparison tracing the fuzzer can read
        // the token out of the recogniser's compare, which no network attacker can.)
        byte[] token = p.responder.resetToken(p.client.serverSessionId());
        assertTrue(
            last.length >= 26
                && java.util.Arrays.equals(
                    java.util.Arrays.copyOfRange(last, last.length - 16, last.length), token),
            "reset without the token");
        return;
      }
      assertTrue(
          r == null
              || r == SecureCloseReason.IDLE_TIMEOUT
              || r == SecureCloseReason.HANDSHAKE_TIMEOUT,
          "client ended: " + r);
    }
  }
}
