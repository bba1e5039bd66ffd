package io.kcpj.core.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.crypt.BlockCrypt;
import io.kcpj.core.crypt.CryptMethod;
import io.kcpj.core.fec.FecSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Two stacks facing each other over a lossy, reordering link: whatever reaches KCP is exactly a
 * datagram that was sent (never garbage, never altered), every datagram whose own data shard
 * arrived is delivered, and what FEC recovered is counted as such.
 */
class DatagramStackProperties {
  private static final String[] SPECS = {
    "off", "10/3", "3/1", "1/1", "4/2", "10/1-3", "10/0-3@20ms", "3/1@5ms", "2/2@1ms"
  };

  @Property(tries = 250, seed = "41")
  void whatReachesKcpIsExactlyWhatWasSent(
      @ForAll @IntRange(min = 0, max = SPECS_MAX) int specIndex,
      @ForAll @IntRange(min = 0, max = 2) int protectionKind,
      @ForAll @IntRange(min = 0, max = 30) int lossPercent,
      @ForAll @IntRange(min = 1, max = 400) int datagrams,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    FecSpec spec = FecSpec.parse(SPECS[specIndex]);
    byte[] key = new byte[32];
    r.nextBytes(key);
    PacketProtection protA = protection(protectionKind, key);
    PacketProtection protB = protection(protectionKind, key);
    List<byte[]> wire = new ArrayList<>();
    Map<String, Integer> sentIndex = new HashMap<>();
    List<byte[]> delivered = new ArrayList<>();
    DatagramStack a =
        DatagramStack.builder()
            .fec(spec)
            .protection(protA)
            .toWire((b, off, len) -> wire.add(Arrays.copyOfRange(b, off, off + len)))
            .toKcp((b, off, len) -> {})
            .build();
    DatagramStack b =
        DatagramStack.builder()
            .fec(spec)
            .protection(protB)
            .toWire((x, off, len) -> {})
            .toKcp((x, off, len) -> delivered.add(Arrays.copyOfRange(x, off, off + len)))
            .build();
    assertEquals((spec.enabled() ? 8 : 0) + (protA == null ? 0 : 20), a.overhead(), "overhead");
    List<byte[]> sent = new ArrayList<>();
    long now = 0;
    for (int i = 0; i < datagrams; i++) {
      now += r.nextInt(12);
      a.onTimer(now);
      byte[] p = kcp(r, i);
      sent.add(p);
      sentIndex.put(Arrays.toString(p), i);
      if (r.nextBoolean()) {
        a.send(ByteBuffer.wrap(p), now);
      } else {
        a.send(p, 0, p.length, now);
      }
    }
    a.onTimer(Long.MAX_VALUE - 1);
    // The link: loss, and a little reordering.
    List<byte[]> arrived = new ArrayList<>();
    for (byte[] w : wire) {
      if (r.nextInt(100) >= lossPercent) {
        arrived.add(w);
      }
    }
    for (int i = 0; i + 1 < arrived.size(); i++) {
      if (r.nextInt(10) == 0) {
        byte[] t = arrived.get(i);
        arrived.set(i, arrived.get(i + 1));
        arrived.set(i + 1, t);
      }
    }
    int garbage = 0;
    for (byte[] w : arrived) {
      assertEquals(DatagramStack.RECEIVED, b.receive(w, 0, w.length, now));
      if (r.nextInt(20) == 0) {
        byte[] g = new byte[r.nextInt(80)];
        r.nextBytes(g);
        b.receive(g, 0, g.length, now); // must not throw; may reach KCP only without protection
        garbage++;
      }
    }
    DatagramStackCounters c = b.counters();
    boolean[] got = new boolean[sent.size()];
    int delivered0 = 0;
    for (byte[] d : delivered) {
      Integer i = sentIndex.get(Arrays.toString(d));
      if (i == null) {
        assertTrue(protB == null && d.length < 80, "only unprotected garbage may pass");
        continue;
      }
      got[i] = true;
      delivered0++;
    }
    // Every datagram whose data shard (or plain datagram) arrived was delivered.
    int arrivedData = 0;
    for (byte[] w : arrived) {
      byte[] plain = open(protB == null ? null : protection(protectionKind, key), w);
      int at = spec.enabled() ? 8 : 0;
      if (spec.enabled() && (plain[4] & 0xff) != 0xf1) {
        continue;
      }
      byte[] p = Arrays.copyOfRange(plain, at, plain.length);
      assertTrue(got[sentIndex.get(Arrays.toString(p))], "an arrived datagram was delivered");
      arrivedData++;
    }
    if (spec.enabled()) {
      // Each delivery is an arrived data shard or a recovery (a recovered datagram whose own shard
      // arrives later is delivered twice, as kcp-go does; KCP drops the repeat).
      assertEquals(delivered0 - arrivedData, c.fecRecovered);
      assertEquals(0, c.fecErrors);
    }
    if (protB != null) {
      assertEquals(arrived.size(), c.opened);
      assertTrue(c.openFailures <= garbage);
    }
  }

  private static final int SPECS_MAX = 8;

  private static byte[] open(PacketProtection p, byte[] w) {
    if (p == null) {
      return w;
    }
    byte[] out = new byte[w.length];
    int n = p.open(w, 0, w.length, out, 0);
    return Arrays.copyOf(out, n);
  }

  private static PacketProtection protection(int kind, byte[] key) {
    switch (kind) {
      case 1:
        return BlockCrypt.create(CryptMethod.AES_128, key);
      case 2:
        return BlockCrypt.create(CryptMethod.XOR, key);
      default:
        return null;
    }
  }

  private static byte[] kcp(SplittableRandom r, int id) {
    int len = 24 + (r.nextInt(6) == 0 ? r.nextInt(1300) : r.nextInt(120));
    byte[] p = new byte[len];
    r.nextBytes(p);
    p[0] = (byte) id;
    p[1] = (byte) (id >> 8);
    p[4] = (byte) (81 + r.nextInt(4));
    return p;
  }
}
