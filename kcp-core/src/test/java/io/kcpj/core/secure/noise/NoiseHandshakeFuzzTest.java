package io.kcpj.core.secure.noise;

import static org.junit.jupiter.api.Assertions.assertNotNull;
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

  private static final HandshakePattern[] PATTERNS = {
    HandshakePattern.NN_PSK0, HandshakePattern.NK, HandshakePattern.NK_PSK0
  };

  /**
   * The genuine handshake of each (pattern, cipher), computed once: the keys are fixed, so it is
   * the same every run. X25519 was 95% of a run's time; each run now starts from a {@link
   * HandshakeState#copy()} of the reader's state instead of redoing the handshake up to it (which
   * cost one to three extra DH operations per run and depended on no fuzzer byte).
   */
  private static final Genuine[][] GENUINE = new Genuine[PATTERNS.length][];

  static {
    for (int i = 0; i < PATTERNS.length; i++) {
      NoiseCipher[] ciphers = NoiseCipher.values();
      GENUINE[i] = new Genuine[ciphers.length];
      for (int j = 0; j < ciphers.length; j++) {
        GENUINE[i][j] = new Genuine(PATTERNS[i], ciphers[j]);
      }
    }
  }

  /**
   * One handshake: the responder before message 1, the initiator after writing it, both messages.
   */
  private static final class Genuine {
    final HandshakeState responder;
    final HandshakeState initiatorAfterM1;
    final byte[] m1;
    final byte[] m2;

    Genuine(HandshakePattern pattern, NoiseCipher cipher) {
      HandshakeState initiator = side(pattern, cipher, true);
      responder = side(pattern, cipher, false);
      m1 = initiator.writeMessage(new byte[8]);
      initiatorAfterM1 = initiator.copy();
      HandshakeState r = responder.copy();
      if (r.readMessage(m1, 0, m1.length) == null) {
        throw new AssertionError("the genuine message 1 was refused");
      }
      m2 = r.writeMessage(new byte[24]);
      if (initiator.readMessage(m2, 0, m2.length) == null) {
        throw new AssertionError("the genuine message 2 was refused");
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void readMessageRefusesAnythingButTheGenuineMessage(FuzzedDataProvider data) {
    int patternIndex = data.consumeInt(0, PATTERNS.length - 1);
    Genuine g = GENUINE[patternIndex][data.consumeInt(0, NoiseCipher.values().length - 1)];
    boolean second = data.consumeBoolean();
    byte[] genuine = second ? g.m2 : g.m1;
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
    HandshakeState reader = second ? g.initiatorAfterM1.copy() : g.responder.copy();
    byte[] payload = reader.readMessage(candidate, 0, candidate.length);
    if (!Arrays.equals(candidate, genuine)) {
      assertNull(payload, "a forged handshake message was accepted");
      assertTrue(reader.hasFailed());
    } else {
      assertNotNull(payload, "the genuine handshake message was refused");
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
