package io.kcpj.core.secure.noise;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz target of the Noise message decoder (docs/fuzzing.md): {@code ReadMessage} of the patterns
 * kcpj uses, as responder (message 1) and initiator (message 2), on any bytes or on a mutation of a
 * genuine message. Nothing throws; anything but the genuine message is refused.
 */
class NoiseHandshakeFuzzTest {
  private static final byte[] PSK = new byte[32];
  private static final X25519KeyPair SERVER = X25519KeyPair.fromPrivateKey(fill(0x41));
  private static final X25519KeyPair CLIENT_E = X25519KeyPair.fromPrivateKey(fill(0x11));
  private static final X25519KeyPair SERVER_E = X25519KeyPair.fromPrivateKey(fill(0x21));

  @FuzzTest(maxDuration = "30s")
  void readMessageRefusesAnythingButTheGenuineMessage(FuzzedDataProvider data) {
    HandshakePattern pattern =
        data.pickValue(
            new HandshakePattern[] {
              HandshakePattern.NN_PSK0, HandshakePattern.NK, HandshakePattern.NK_PSK0
            });
    NoiseCipher cipher = data.pickValue(NoiseCipher.values());
    HandshakeState initiator = side(pattern, cipher, true);
    HandshakeState responder = side(pattern, cipher, false);
    byte[] m1 = initiator.writeMessage(new byte[8]);
    boolean second = data.consumeBoolean();
    byte[] genuine = m1;
    if (second) {
      responder.readMessage(m1, 0, m1.length);
      genuine = responder.writeMessage(new byte[24]);
    }
    byte[] candidate;
    if (data.consumeBoolean()) {
      candidate = genuine.clone();
      int flips = data.consumeInt(0, 3);
      for (int i = 0; i < flips; i++) {
        candidate[data.consumeInt(0, candidate.length - 1)] ^= (byte) data.consumeInt(1, 255);
      }
      candidate = Arrays.copyOf(candidate, data.consumeInt(0, candidate.length + 8));
    } else {
      candidate = data.consumeRemainingAsBytes();
    }
    HandshakeState reader = second ? initiator : responder;
    byte[] payload = reader.readMessage(candidate, 0, candidate.length);
    if (!Arrays.equals(candidate, genuine)) {
      assertNull(payload, "a forged handshake message was accepted");
      assertTrue(reader.hasFailed());
    }
  }

  private static HandshakeState side(HandshakePattern p, NoiseCipher c, boolean initiator) {
    HandshakeState.Builder b =
        HandshakeState.builder(p, c, initiator)
            .prologue(new byte[] {1})
            .localEphemeral(initiator ? CLIENT_E : SERVER_E);
    if (p.isPsk()) {
      b.psks(PSK);
    }
    if (p.responderStaticPreMessage()) {
      if (initiator) {
        b.remoteStatic(SERVER.publicKey());
      } else {
        b.localStatic(SERVER);
      }
    }
    return b.build();
  }

  private static byte[] fill(int v) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) v);
    return b;
  }
}
