package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.kcpj.core.secure.noise.Sha256;
import org.junit.jupiter.api.Test;

/** Address validation tokens: lifetime, secret rotation, and each way a token is refused. */
class AddressTokensTest {
  private final AddressTokens tokens =
      new AddressTokens(new Sha256(), new ScriptedRandom(5), 10_000, 60_000, 0, null, 0);

  private byte[] mint(long now) {
    byte[] t = new byte[AddressTokens.TOKEN_SIZE];
    tokens.mint(SecurePair.CLIENT, 42, now, t, 0);
    return t;
  }

  private AddressTokens.Verdict verify(byte[] t, int client, long now) {
    return tokens.verify(t, 0, t.length, SecurePair.CLIENT, client, now);
  }

  @Test
  void validForItsLifetimeOnlyAndOnlyForItsClient() {
    byte[] t = mint(1_000);
    assertEquals(AddressTokens.Verdict.VALID, verify(t, 42, 1_000));
    assertEquals(AddressTokens.Verdict.VALID, verify(t, 42, 11_000));
    assertEquals(AddressTokens.Verdict.EXPIRED, verify(t, 42, 11_001));
    assertEquals(AddressTokens.Verdict.FORGED, verify(t, 43, 1_000));
    assertEquals(AddressTokens.Verdict.FROM_THE_FUTURE, verify(t, 42, 999));
  }

  @Test
  void survivesOneRotationNotTwo() {
    byte[] t = mint(59_000);
    assertEquals(AddressTokens.Verdict.VALID, verify(t, 42, 61_000)); // rotated once at 60 s
    assertEquals(1, tokens.generation());
    byte[] fresh = mint(119_000);
    tokens.verify(fresh, 0, fresh.length, SecurePair.CLIENT, 42, 121_000); // rotated again
    assertEquals(AddressTokens.Verdict.UNKNOWN_GENERATION, verify(t, 42, 121_000));
    assertEquals(AddressTokens.Verdict.VALID, verify(fresh, 42, 121_000));
  }

  @Test
  void aLongSilenceForgetsBothSecrets() {
    byte[] t = mint(0);
    byte[] later = mint(200_000); // three periods later: the old secret is gone at once
    assertEquals(AddressTokens.Verdict.VALID, verify(later, 42, 200_000));
    assertEquals(AddressTokens.Verdict.UNKNOWN_GENERATION, verify(t, 42, 200_000));
  }

  @Test
  void malformedTokensAreRefused() {
    byte[] t = mint(0);
    assertEquals(
        AddressTokens.Verdict.MALFORMED, tokens.verify(t, 0, 25, SecurePair.CLIENT, 42, 0));
    byte[] format = t.clone();
    format[0] = 2;
    assertEquals(AddressTokens.Verdict.MALFORMED, verify(format, 42, 0));
    for (int i = 1; i < t.length; i++) {
      byte[] flipped = t.clone();
      flipped[i] ^= 1;
      AddressTokens.Verdict v = verify(flipped, 42, 5_000);
      assertNotEquals(AddressTokens.Verdict.VALID, v, "byte " + i);
    }
  }
}
