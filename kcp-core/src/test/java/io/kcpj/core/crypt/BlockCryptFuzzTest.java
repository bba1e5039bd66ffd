package io.kcpj.core.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuzz target of BlockCrypt's input side (see docs/fuzzing.md). For a method and key chosen by the
 * fuzzer: a sealed payload opens to itself (also in place); any datagram, raw or a sealed one with
 * bytes flipped or cut, opens without throwing to either −1 (counted as too short or bad CRC) or a
 * payload of its length minus 20; counters add up.
 */
class BlockCryptFuzzTest {
  private static final CryptMethod[] METHODS = CryptMethod.values();

  /** The nonce every cached BlockCrypt seals with: this run's, copied in at its start. */
  private static final byte[] NONCE = new byte[16];

  /**
   * BlockCrypts by (method, key), most recently used kept. Creating one derives its key (XOR:
   * PBKDF2-HMAC-SHA1 over a long pad) and builds a key schedule, which was about 70% of a run's
   * time; the fuzzer's mutations mostly leave the key bytes alone, so most runs find theirs here.
   * The key is still any 32 bytes the fuzzer chooses. A BlockCrypt keeps no state between datagrams
   * but its counters (checked below as this run's differences) and a scratch array.
   */
  private static final Map<ByteBuffer, BlockCrypt> CACHE =
      new LinkedHashMap<>(2048, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, BlockCrypt> eldest) {
          return size() > 1024;
        }
      };

  @FuzzTest(maxDuration = "30s")
  void anyDatagramOpensOrIsCountedAsDropped(FuzzedDataProvider data) {
    CryptMethod method = METHODS[data.consumeInt(0, METHODS.length - 1)];
    byte[] key = Arrays.copyOf(data.consumeBytes(32), 32);
    byte[] nonce = Arrays.copyOf(data.consumeBytes(16), 16);
    System.arraycopy(nonce, 0, NONCE, 0, 16);
    byte[] cacheKey = Arrays.copyOf(key, 33);
    cacheKey[32] = (byte) method.ordinal();
    BlockCrypt crypt =
        CACHE.computeIfAbsent(
            ByteBuffer.wrap(cacheKey),
            k ->
                BlockCrypt.create(
                    method, key, (dst, off) -> System.arraycopy(NONCE, 0, dst, off, 16)));
    BlockCrypt.Counters c0 = crypt.counters();
    long before = c0.opened + c0.tooShort + c0.badChecksum;

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
    assertEquals(before + 2 + attempts, c.opened + c.tooShort + c.badChecksum);
  }
}
