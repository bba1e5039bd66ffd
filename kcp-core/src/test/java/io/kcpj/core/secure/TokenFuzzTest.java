package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kcpj.core.secure.noise.Sha256;
import java.nio.ByteBuffer;

/**
 * Fuzz target of the token decoders (docs/fuzzing.md): address validation tokens, and the stateless
 * reset writer and recogniser, on any bytes. Nothing throws; no forged or mutated token verifies; a
 * reset is never longer than what triggered it nor shorter than a record, and arbitrary bytes are
 * not taken for a reset.
 */
class TokenFuzzTest {
  private static final Sha256 SHA = new Sha256();
  private static final byte[] SECRET = SecurePair.fill(1);

  @FuzzTest(maxDuration = "30s")
  void tokensAndResetsRefuseEverythingForged(FuzzedDataProvider data) throws Exception {
    long now = data.consumeLong(0, 1L << 40);
    AddressTokens tokens =
        new AddressTokens(SHA, new ScriptedRandom(1), 10_000, 60_000, now, SECRET, 0);
    int client = data.consumeInt();
    byte[] genuine = new byte[AddressTokens.TOKEN_SIZE];
    tokens.mint(SecurePair.CLIENT, client, now, genuine, 0);
    byte[] candidate = data.consumeBytes(40);
    long at = now + data.consumeInt(0, 20_000);
    AddressTokens.Verdict v =
        tokens.verify(candidate, 0, candidate.length, SecurePair.CLIENT, client, at);
    // Differential: the verdict must agree with an oracle written here from the specification.
    // (A fuzzer with comparison tracing can read the expected MAC out of the verifier's compare,
    // which no network attacker can; so "no forgery" is checked as "valid only with the right
    // MAC".)
    assertEquals(oracle(candidate, client, at), v == AddressTokens.Verdict.VALID);
    assertNotEquals(
        AddressTokens.Verdict.VALID,
        tokens.verify(genuine, 0, genuine.length, SecurePair.CLIENT_MOVED, client, now));

    StatelessReset reset = new StatelessReset(SecurePair.fill(9), SHA);
    byte[] received = data.consumeRemainingAsBytes();
    ByteBuffer out = ByteBuffer.allocate(100);
    int n = reset.write(ByteBuffer.wrap(received), out, new ScriptedRandom(2));
    assertTrue(n == 0 || (n < received.length && n >= SecureWire.MIN_TRANSPORT_SIZE));
    byte[] token = reset.token(7);
    boolean endsWithToken =
        received.length >= 16
            && java.util.Arrays.equals(
                java.util.Arrays.copyOfRange(received, received.length - 16, received.length),
                token);
    if (!endsWithToken) {
      assertFalse(StatelessReset.matches(ByteBuffer.wrap(received), token));
    }
  }

  /** Whether {@code t} is a valid token for (client, 10.0.0.1:5000) at {@code at}, per the spec. */
  private static boolean oracle(byte[] t, int client, long at) throws Exception {
    if (t.length != 26 || t[0] != 1 || t[1] != 0) {
      return false;
    }
    long issued =
        java.nio.ByteBuffer.wrap(t, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    if (issued > at || at - issued > 10_000) {
      return false;
    }
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
    mac.update("kcpj-token/1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    mac.update(t, 0, 10);
    mac.update(
        java.nio.ByteBuffer.allocate(4)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .putInt(client)
            .array());
    mac.update(new byte[] {4, 10, 0, 0, 1, (byte) 0x88, 0x13});
    byte[] m = mac.doFinal();
    return java.util.Arrays.equals(
        java.util.Arrays.copyOf(m, 16), java.util.Arrays.copyOfRange(t, 10, 26));
  }
}
