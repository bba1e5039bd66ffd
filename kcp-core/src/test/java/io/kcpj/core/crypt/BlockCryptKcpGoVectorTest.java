package io.kcpj.core.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.kcpgo.KcpGoVectors;
import io.kcpj.core.kcpgo.KcpGoVectors.CryptCase;
import io.kcpj.core.kcpgo.KcpGoVectors.Pbkdf2;
import io.kcpj.core.kcpgo.KcpGoVectors.Seal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * BlockCrypt against kcp-go's own BlockCrypt and kcptun's key derivation ({@code
 * interop/kcpgo/vectors}): for the same key and nonce the datagram is byte-identical, and kcp-go's
 * datagrams open to their payload.
 */
class BlockCryptKcpGoVectorTest {

  @Test
  void passphraseKeysAreKcptuns() {
    for (Pbkdf2 k : KcpGoVectors.vectors().keys) {
      assertArrayEquals(k.key(), CryptKeys.fromPassphrase(k.passphrase()), k.passphrase());
    }
    assertEquals(4, KcpGoVectors.vectors().keys.size());
  }

  @Test
  void sealedDatagramsAreKcpGosAndKcpGosDatagramsOpen() {
    Set<CryptMethod> covered = EnumSet.noneOf(CryptMethod.class);
    int compared = 0;
    for (CryptCase c : KcpGoVectors.vectors().crypts) {
      CryptMethod method = CryptMethod.parse(c.method());
      covered.add(method);
      Seal[] pending = c.seals().toArray(new Seal[0]);
      int[] next = {0};
      // One instance for the whole case: each datagram must start the cipher afresh.
      BlockCrypt crypt =
          BlockCrypt.create(
              method,
              c.key(),
              (dst, off) -> System.arraycopy(pending[next[0]++].nonce(), 0, dst, off, 16));
      for (Seal s : c.seals()) {
        byte[] wire = new byte[s.plain().length + 20 + 6];
        int n = crypt.seal(s.plain(), 0, s.plain().length, wire, 3);
        assertEquals(s.wire().length, n);
        assertArrayEquals(
            s.wire(),
            Arrays.copyOfRange(wire, 3, 3 + n),
            c.method() + " seal of " + s.plain().length + " bytes");

        byte[] plain = new byte[s.plain().length + 2];
        int m = crypt.open(s.wire(), 0, s.wire().length, plain, 1);
        assertEquals(s.plain().length, m, c.method() + " open");
        assertArrayEquals(s.plain(), Arrays.copyOfRange(plain, 1, 1 + m));
        compared++;
      }
      assertEquals(c.seals().size(), crypt.counters().opened);
      assertEquals(0, crypt.counters().badChecksum);
    }
    assertEquals(EnumSet.allOf(CryptMethod.class), covered);
    assertTrue(compared >= 100, "datagrams compared: " + compared);
  }

  @Test
  void sealingInPlaceGivesTheSameBytes() {
    CryptCase c = KcpGoVectors.vectors().crypts.get(0);
    Seal s = c.seals().get(c.seals().size() - 1);
    BlockCrypt crypt =
        BlockCrypt.create(
            CryptMethod.parse(c.method()),
            c.key(),
            (dst, off) -> System.arraycopy(s.nonce(), 0, dst, off, 16));
    byte[] buf = new byte[s.plain().length + 20];
    System.arraycopy(s.plain(), 0, buf, 0, s.plain().length);
    crypt.seal(buf, 0, s.plain().length, buf, 0);
    assertArrayEquals(s.wire(), buf);
    assertEquals(s.plain().length, crypt.open(buf, 0, buf.length, buf, 0));
    assertArrayEquals(s.plain(), Arrays.copyOf(buf, s.plain().length));
  }
}
