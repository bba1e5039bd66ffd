package io.kcpj.core.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz target of BlockCrypt's input side (see docs/fuzzing.md). For a method and key chosen by the
 * fuzzer: a sealed payload opens to itself (also in place); any datagram, raw or a sealed one with
 * bytes flipped or cut, opens without throwing to either −1 (counted as too short or bad CRC) or a
 * payload of its length minus 20; counters add up.
 */
class BlockCryptFuzzTest {
  private static final CryptMethod[] METHODS = CryptMethod.values();

  @FuzzTest(maxDuration = "30s")
  void anyDatagramOpensOrIsCountedAsDropped(FuzzedDataProvider data) {
    CryptMethod method = METHODS[data.consumeInt(0, METHODS.length - 1)];
    byte[] key = data.consumeBytes(32);
    key = Arrays.copyOf(key, 32);
    byte[] nonce = Arrays.copyOf(data.consumeBytes(16), 16);
    BlockCrypt crypt =
        BlockCrypt.create(method, key, (dst, off) -> System.arraycopy(nonce, 0, dst, off, 16));

    byte[] payload = data.consumeBytes(data.consumeInt(0, 1600));
    byte[] wire = new byte[payload.length + 20];
    assertEquals(wire.length, crypt.seal(payload, 0, payload.length, wire, 0));
    byte[] out = new byte[wire.length];
    assertEquals(payload.length, crypt.open(wire, 0, wire.length, out, 0));
    assertArrayEquals(payload, Arrays.copyOf(out, payload.length));
    byte[] inPlace = wire.clone();
    assertEquals(payload.length, crypt.open(inPlace, 0, inPlace.length, inPlace, 0));
    assertArrayEquals(payload, Arrays.copyOf(inPlace, payload.length));

    long attempts = 0;
    while (data.remainingBytes() > 0 && attempts < 50) {
      byte[] datagram;
      if (data.consumeBoolean()) {
        datagram = data.consumeBytes(data.consumeInt(0, 1600));
      } else {
        datagram = Arrays.copyOf(wire, data.consumeInt(0, wire.length));
        if (datagram.length > 0) {
          datagram[data.consumeInt(0, datagram.length - 1)] ^= data.consumeByte();
        }
      }
      byte[] plain = new byte[datagram.length];
      int n = crypt.open(datagram, 0, datagram.length, plain, 0);
      assertTrue(n == -1 || n == datagram.length - 20, "open returned " + n);
      attempts++;
    }
    BlockCrypt.Counters c = crypt.counters();
    assertEquals(2 + attempts, c.opened + c.tooShort + c.badChecksum);
  }
}
