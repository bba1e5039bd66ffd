package io.kcpj.core.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Reed-Solomon and the FEC layer over many seeded random codes, sizes, losses and garbage.
 *
 * <p>Random packets have distinct contents (with overwhelming probability), so a packet's bytes
 * identify it.
 */
class FecProperties {

  @Property(tries = 500, seed = "15")
  void anyErasurePatternOfAtMostParityShardsReconstructsExactly(
      @ForAll @IntRange(min = 1, max = 24) int data,
      @ForAll @IntRange(min = 1, max = 10) int parity,
      @ForAll @IntRange(min = 0, max = 300) int size,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int total = data + parity;
    ReedSolomon rs = new ReedSolomon(data, parity);
    int offset = r.nextInt(4);
    byte[][] original = new byte[total][offset + size];
    for (int s = 0; s < data; s++) {
      r.nextBytes(original[s]);
    }
    rs.encodeParity(original, offset, size);
    boolean[] present = new boolean[total];
    Arrays.fill(present, true);
    int lose = r.nextInt(parity + 1);
    for (int lost = 0; lost < lose; ) {
      int s = r.nextInt(total);
      if (present[s]) {
        present[s] = false;
        lost++;
      }
    }
    byte[][] shards = new byte[total][];
    for (int s = 0; s < total; s++) {
      shards[s] = present[s] ? original[s].clone() : new byte[offset + size];
    }
    assertTrue(rs.reconstructData(shards, present, offset, size));
    for (int s = 0; s < data; s++) {
      assertArrayEquals(
          Arrays.copyOfRange(original[s], offset, offset + size),
          Arrays.copyOfRange(shards[s], offset, offset + size),
          "data shard " + s);
    }
  }

  @Property(tries = 300, seed = "19")
  void parityEqualsThePlainProductLoopAndAReusedCoderRebuildsEveryGroup(
      @ForAll @IntRange(min = 1, max = 20) int data,
      @ForAll @IntRange(min = 1, max = 10) int parity,
      @ForAll @IntRange(min = 0, max = 200) int size,
      @ForAll long seed) {
    // The packed, transposing kernel against the byte-by-byte product-table loop over the same
    // matrix rows; then one coder (its decode caches warm) rebuilds several groups in a row.
    SplittableRandom r = new SplittableRandom(seed);
    int total = data + parity;
    ReedSolomon rs = new ReedSolomon(data, parity);
    byte[][] rows = new byte[parity][];
    for (int p = 0; p < parity; p++) {
      rows[p] = rs.matrixRow(data + p);
    }
    for (int group = 0; group < 4; group++) {
      byte[][] original = new byte[total][size];
      for (int s = 0; s < data; s++) {
        r.nextBytes(original[s]);
      }
      rs.encodeParity(original, 0, size);
      byte[][] plain = new byte[total][size];
      for (int s = 0; s < data; s++) {
        plain[s] = original[s];
      }
      GfKernel.codeSimple(rows, 0, original, data, 0, plain, data, parity, 0, size);
      for (int p = data; p < total; p++) {
        assertArrayEquals(plain[p], original[p], "parity shard " + p);
      }
      boolean[] present = new boolean[total];
      Arrays.fill(present, true);
      int lose = r.nextInt(parity + 1);
      for (int lost = 0; lost < lose; ) {
        int s = r.nextInt(total);
        if (present[s]) {
          present[s] = false;
          lost++;
        }
      }
      byte[][] shards = new byte[total][];
      for (int s = 0; s < total; s++) {
        shards[s] = present[s] ? original[s].clone() : new byte[size];
      }
      assertTrue(rs.reconstructData(shards, present, 0, size));
      for (int s = 0; s < data; s++) {
        assertArrayEquals(original[s], shards[s], "group " + group + " data shard " + s);
      }
    }
  }

  private static List<byte[]> randomKcp(SplittableRandom r, int count) {
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int len = 24 + (r.nextInt(8) == 0 ? r.nextInt(1400 - 24) : r.nextInt(100));
      byte[] p = new byte[len];
      r.nextBytes(p);
      p[4] = (byte) (81 + r.nextInt(4)); // a KCP command: never an FEC type
      packets.add(p);
    }
    return packets;
  }

  private static List<byte[]> encode(FecEncoder encoder, List<byte[]> packets) {
    List<byte[]> sent = new ArrayList<>();
    for (byte[] p : packets) {
      encoder.encode(
          p, 0, p.length, 0, (b, off, len) -> sent.add(Arrays.copyOfRange(b, off, off + len)));
    }
    return sent;
  }

  @Property(tries = 300, seed = "16")
  void withoutLossTheDecoderHandsUpExactlyWhatWasEncodedInOrder(
      @ForAll @IntRange(min = 1, max = 20) int data,
      @ForAll @IntRange(min = 1, max = 8) int parity,
      @ForAll @IntRange(min = 0, max = 120) int count,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<byte[]> packets = randomKcp(r, count);
    List<byte[]> sent = encode(new FecEncoder(data, parity), packets);
    FecDecoder decoder = new FecDecoder(data, parity);
    List<byte[]> handed = new ArrayList<>();
    for (byte[] s : sent) {
      decoder.decode(
          s, 0, s.length, 0, (b, off, len) -> handed.add(Arrays.copyOfRange(b, off, off + len)));
    }
    // kcp-go 5.6.1 releases a group when its data shards are in; its parity shards, arriving
    // after, start the group again, and whenever `data` of them are in they rebuild the data
    // once more: KCP is handed those packets again (and discards them as repeats).
    List<byte[]> firsts = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (byte[] h : handed) {
      if (seen.add(Arrays.toString(h))) {
        firsts.add(h);
      }
    }
    assertEquals(packets.size(), firsts.size());
    for (int i = 0; i < packets.size(); i++) {
      assertArrayEquals(packets.get(i), firsts.get(i), "packet " + i);
    }
    // Each run of `data` late parity shards rebuilds the group once more.
    long again = (long) (count / data) * (parity / data) * data;
    assertEquals(again, handed.size() - firsts.size(), "packets handed up a second time");
    assertEquals(again, decoder.counters().recovered);
    assertEquals(0, decoder.counters().dropped());
  }

  /**
   * Up to {@code parity} shards lost in every complete group, any order within a group: every
   * packet reaches KCP, nothing else does.
   */
  @Property(tries = 300, seed = "17")
  void anyLossOfAtMostParityShardsPerGroupIsRecovered(
      @ForAll @IntRange(min = 1, max = 16) int data,
      @ForAll @IntRange(min = 1, max = 6) int parity,
      @ForAll @IntRange(min = 1, max = 12) int groups,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int group = data + parity;
    List<byte[]> packets = randomKcp(r, groups * data);
    List<byte[]> sent = encode(new FecEncoder(data, parity), packets);
    assertEquals(groups * group, sent.size());
    List<byte[]> delivered = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      List<byte[]> shards = new ArrayList<>(sent.subList(g * group, (g + 1) * group));
      int lose = r.nextInt(parity + 1);
      for (int i = 0; i < lose; i++) {
        shards.remove(r.nextInt(shards.size()));
      }
      for (int i = shards.size() - 1; i > 0; i--) { // shuffle within the group
        int j = r.nextInt(i + 1);
        byte[] t = shards.get(i);
        shards.set(i, shards.get(j));
        shards.set(j, t);
      }
      delivered.addAll(shards);
    }
    FecDecoder decoder = new FecDecoder(data, parity);
    List<byte[]> handed = new ArrayList<>();
    for (byte[] s : delivered) {
      decoder.decode(
          s, 0, s.length, 0, (b, off, len) -> handed.add(Arrays.copyOfRange(b, off, off + len)));
    }
    Set<String> expected = new HashSet<>();
    for (byte[] p : packets) {
      expected.add(Arrays.toString(p));
    }
    Set<String> got = new HashSet<>();
    for (byte[] h : handed) {
      assertTrue(expected.contains(Arrays.toString(h)), "only real packets are handed up");
      got.add(Arrays.toString(h));
    }
    assertEquals(expected, got, "every packet handed up");
    assertEquals(0, decoder.counters().errors);
  }

  /** Random bytes, real shards mutated, spliced and truncated: never an exception. */
  @Property(tries = 400, seed = "18")
  void garbageNeverThrowsAndEveryDatagramIsAccountedFor(
      @ForAll @IntRange(min = 1, max = 12) int data,
      @ForAll @IntRange(min = 1, max = 5) int parity,
      @ForAll @IntRange(min = 1, max = 400) int inputs,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<byte[]> sent = encode(new FecEncoder(data, parity), randomKcp(r, 40));
    FecDecoder decoder = new FecDecoder(data, parity);
    long now = 0;
    long handed = 0;
    for (int i = 0; i < inputs; i++) {
      byte[] g;
      switch (r.nextInt(5)) {
        case 0 -> {
          g = new byte[r.nextInt(1600)];
          r.nextBytes(g);
        }
        case 1 -> {
          g = sent.get(r.nextInt(sent.size())).clone();
          g[r.nextInt(g.length)] ^= (byte) (1 + r.nextInt(255));
        }
        case 2 -> {
          byte[] s = sent.get(r.nextInt(sent.size()));
          g = Arrays.copyOf(s, r.nextInt(s.length + 1));
        }
        case 3 -> {
          g = sent.get(r.nextInt(sent.size())).clone();
          FecHeader.putHeader(
              g, 0, r.nextInt(), r.nextBoolean() ? FecHeader.TYPE_DATA : FecHeader.TYPE_PARITY);
        }
        default -> g = sent.get(r.nextInt(sent.size()));
      }
      now += r.nextInt(40_000);
      final int[] count = {0};
      decoder.decode(g, 0, g.length, now, (b, off, len) -> count[0]++);
      handed += count[0];
    }
    FecDecoder.Counters c = decoder.counters();
    assertEquals(inputs, c.datagrams);
    assertEquals(
        inputs, c.plain + c.dataShards + c.parityShards + c.tooShort + c.oversized, c.toString());
    assertEquals(handed, c.plain + c.dataShards + c.recovered, "own data, plain and recovered");
    assertTrue(decoder.keptShards() <= 3 * (decoder.dataShards() + decoder.parityShards()) + 1);
  }
}
