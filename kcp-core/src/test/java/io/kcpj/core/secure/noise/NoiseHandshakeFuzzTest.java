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
   * The genuine messages of each (pattern, cipher), computed once: the keys are fixed, so they are
   * the same every run. X25519 was 95% of a run's time, and message 2 cost the responder one or two
   * DH operations per run that depended on no fuzzer byte. The reader is still built fresh each run
   * (as initiator it writes message 1 itself): a {@link HandshakeState#copy()} of a cached state
   * would share one JDK cipher with every other run, which is how this target found that a
   * ChaCha20-Poly1305 cipher refused a key and nonce equal to its previous ones (fixed in {@code
   * Aead}).
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

  /** The two genuine messages of one handshake. */
  private static final class Genuine {
    final byte[] m1;
    final byte[] m2;

    Genuine(HandshakePattern pattern, NoiseCipher cipher) {
      HandshakeState initiator = side(pattern, cipher, true);
      HandshakeState responder = side(pattern, cipher, false);
      m1 = initiator.writeMessage(new byte[8]);
      if (responder.readMessage(m1, 0, m1.length) == null) {
        throw new AssertionError("the genuine message 1 was refused");
      }
      m2 = responder.writeMessage(new byte[24]);
      if (initiator.readMessage(m2, 0, m2.length) == null) {
        throw new AssertionError("the genuine message 2 was refused");
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void readMessageRefusesAnythingButTheGenuineMessage(FuzzedDataProvider data) {
    int patternIndex = data.consumeInt(0, PATTERNS.length - 1);
    NoiseCipher cipher = data.pickValue(NoiseCipher.values());
    Genuine g = GENUINE[patternIndex][cipher.ordinal()];
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
    HandshakeState reader = side(PATTERNS[patternIndex], cipher, second);
    if (second) {
      reader.writeMessage(new byte[8]); // message 1 again (the same bytes as g.m1)
    }
    byte[] payload = reader.readMessage(candidate, 0, candidate.length);
    if (!Arrays.equals(candidate, genuine)) {
      assertNull(payload, "a forged handshake message was accepted");
      assertTrue(reader.hasFailed());
    } else {
      assertNotNull(
          payload,
          "the genuine message "
              + (second ? 2 : 1)
              + " of "
              + PATTERNS[patternIndex]
              + " was refused: "
              + Arrays.toString(candidate));
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
