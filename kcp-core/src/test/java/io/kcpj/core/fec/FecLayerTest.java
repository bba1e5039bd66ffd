package io.kcpj.core.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FEC behaviour the kcp-go vectors cannot show: time, wrap, pause, limits and bad input. */
class FecLayerTest {

  private static byte[] kcp(int len, int seed) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    b[4] = 81; // a PUSH command: bytes 4..5 are never an FEC type
    return b;
  }

  /** Everything an encoder sends for {@code packets}, in order. */
  private static List<byte[]> encodeAll(FecEncoder encoder, List<byte[]> packets, long now) {
    List<byte[]> sent = new ArrayList<>();
    for (byte[] p : packets) {
      encoder.encode(
          p, 0, p.length, now, (b, off, len) -> sent.add(Arrays.copyOfRange(b, off, off + len)));
    }
    return sent;
  }

  private static List<byte[]> decode(FecDecoder decoder, byte[] datagram, long now) {
    List<byte[]> handed = new ArrayList<>();
    decoder.decode(
        datagram,
        0,
        datagram.length,
        now,
        (b, off, len) -> handed.add(Arrays.copyOfRange(b, off, off + len)));
    return handed;
  }

  @Test
  void groupsWrapAtTheLargestMultipleOfTheGroupSizeBelowTwoToThe32() {
    FecEncoder encoder = new FecEncoder(3, 1);
    long wrap = 0xffffffffL / 4 * 4; // 4294967292
    encoder.setNextSeqid((int) (wrap - 8));
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      packets.add(kcp(30 + i, i));
    }
    List<byte[]> sent = encodeAll(encoder, packets, 0);
    assertEquals(12, sent.size());
    long[] seqids = sent.stream().mapToLong(d -> FecHeader.seqid(d, 0) & 0xffffffffL).toArray();
    assertArrayEquals(
        new long[] {
          wrap - 8, wrap - 7, wrap - 6, wrap - 5, wrap - 4, wrap - 3, wrap - 2, wrap - 1, 0, 1, 2, 3
        },
        seqids);
    // The decoder recovers across the wrap: lose one data shard of each group.
    FecDecoder decoder = new FecDecoder(3, 1);
    List<byte[]> handed = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      if (i % 4 == 1) {
        continue;
      }
      handed.addAll(decode(decoder, sent.get(i), 0));
    }
    assertEquals(9, handed.size());
    assertEquals(3, decoder.counters().recovered);
    for (byte[] p : packets) {
      assertTrue(handed.stream().anyMatch(h -> Arrays.equals(h, p)), "every packet handed up");
    }
  }

  @Test
  void setNextSeqidOnlyAcceptsGroupStarts() {
    FecEncoder encoder = new FecEncoder(3, 1);
    assertThrows(IllegalArgumentException.class, () -> encoder.setNextSeqid(5));
    assertThrows(IllegalArgumentException.class, () -> encoder.setNextSeqid(-4)); // = wrap
    encoder.encode(kcp(24, 0), 0, 24, 0, (b, o, l) -> {});
    assertThrows(IllegalArgumentException.class, () -> encoder.setNextSeqid(8));
  }

  @Test
  void parityPauseSkipsTheGroupsParityButKeepsGroupsAligned() {
    FecEncoder encoder = new FecEncoder(2, 2);
    encoder.setParityPauseMillis(200);
    List<byte[]> sent = new ArrayList<>();
    DatagramSink sink = (b, off, len) -> sent.add(Arrays.copyOfRange(b, off, off + len));
    encoder.encode(kcp(24, 1), 0, 24, 1000, sink);
    encoder.encode(kcp(24, 2), 0, 24, 1100, sink); // 100 ms after: continuous, parity sent
    assertEquals(4, sent.size());
    encoder.encode(kcp(24, 3), 0, 24, 1150, sink);
    encoder.encode(kcp(24, 4), 0, 24, 1350, sink); // 200 ms after: paused, no parity
    assertEquals(6, sent.size());
    assertEquals(1, encoder.counters().pausedGroups);
    encoder.encode(kcp(24, 5), 0, 24, 1360, sink);
    assertEquals(8, FecHeader.seqid(sent.get(6), 0), "seqids 6 and 7 were skipped");
    // Without a pause (kcp-go 5.6.1) the same timing sends every parity shard.
    FecEncoder always = new FecEncoder(2, 2);
    List<byte[]> all = new ArrayList<>();
    long[] times = {1000, 1100, 1150, 1350};
    for (int i = 0; i < 4; i++) {
      always.encode(
          kcp(24, i), 0, 24, times[i], (b, o, l) -> all.add(Arrays.copyOfRange(b, o, o + l)));
    }
    assertEquals(8, all.size());
  }

  @Test
  void aFirstGroupOfOneDataShardIsPausedLikeNewerKcpGo() {
    FecEncoder encoder = new FecEncoder(1, 1);
    encoder.setParityPauseMillis(100);
    List<byte[]> sent = new ArrayList<>();
    encoder.encode(kcp(24, 1), 0, 24, 0, (b, o, l) -> sent.add(Arrays.copyOfRange(b, o, o + l)));
    assertEquals(1, sent.size(), "no previous data shard: the group is not continuous");
    encoder.encode(kcp(24, 2), 0, 24, 50, (b, o, l) -> sent.add(Arrays.copyOfRange(b, o, o + l)));
    assertEquals(3, sent.size());
  }

  @Test
  void keptShardsExpireAfterSixtySecondsButOnlyAtTheHeadOfTheQueue() {
    FecEncoder encoder = new FecEncoder(3, 1);
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      packets.add(kcp(40, i));
    }
    List<byte[]> sent = encodeAll(encoder, packets, 0); // 4 groups of 3 data + 1 parity
    FecDecoder decoder = new FecDecoder(3, 1);
    decode(decoder, sent.get(0), 0); // seqid 0, group 0
    decode(decoder, sent.get(4), 30_000); // seqid 4, group 1
    decode(decoder, sent.get(8), 60_000); // seqid 0 is exactly 60 s old: kept
    assertEquals(3, decoder.keptShards());
    decode(decoder, sent.get(12), 60_001); // seqid 0 is now older than 60 s
    assertEquals(1, decoder.counters().expired);
    assertEquals(3, decoder.keptShards());
    // A shard inserted at the head (lower seqid) shields older ones behind it, as in kcp-go.
    decode(decoder, sent.get(1), 90_000); // seqid 1 goes to the head
    decode(decoder, sent.get(13), 100_000); // seqid 4 is 70 s old, but behind seqid 1
    assertEquals(1, decoder.counters().expired);
    assertEquals(5, decoder.keptShards());
    decode(decoder, sent.get(14), 150_001); // now seqid 1 (60,001 ms) and 4 and 8 expire
    assertEquals(4, decoder.counters().expired);
  }

  @Test
  void queueIsBoundedAndEvictedDataIsCountedAsShortShards() {
    FecEncoder encoder = new FecEncoder(4, 2);
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      packets.add(kcp(30, i));
    }
    List<byte[]> sent = encodeAll(encoder, packets, 0);
    FecDecoder decoder = new FecDecoder(4, 2);
    for (int i = 0; i < sent.size(); i++) {
      if (i % 6 < 3) { // 3 of 6 shards of every group arrive: never enough to recover
        decode(decoder, sent.get(i), 0);
        assertTrue(decoder.keptShards() <= 18, "queue bounded by 3 x (4 + 2)");
      }
    }
    assertEquals(18, decoder.keptShards());
    assertEquals(20 * 3 - 18, decoder.counters().shortShards);
    assertEquals(0, decoder.counters().recovered);
    decoder.clear();
    assertEquals(0, decoder.keptShards());
  }

  @Test
  void plainDatagramsPassThroughAndBadInputIsCountedNotThrown() {
    FecDecoder decoder = new FecDecoder(3, 1, 200);
    byte[] plain = kcp(24, 9);
    assertEquals(1, decode(decoder, plain, 0).size());
    assertEquals(1, decoder.counters().plain);
    assertEquals(0, decode(decoder, new byte[23], 0).size());
    assertEquals(1, decoder.counters().tooShort);
    byte[] big = new byte[201];
    FecHeader.putHeader(big, 0, 0, FecHeader.TYPE_DATA);
    assertEquals(0, decode(decoder, big, 0).size());
    assertEquals(1, decoder.counters().oversized);
    byte[] dup = new byte[30];
    FecHeader.putHeader(dup, 0, 1, FecHeader.TYPE_DATA);
    decode(decoder, dup, 0);
    decode(decoder, dup, 0);
    assertEquals(1, decoder.counters().duplicates);
    assertEquals(4, decoder.counters().dropped() + decoder.counters().plain);
  }

  @Test
  void recoveredShardsWithAnImpossibleSizeAreCountedAsErrors() {
    // A consistent 1/1 group whose data shard carries size 1: recovery yields size 1, dropped.
    ReedSolomon rs = new ReedSolomon(1, 1);
    byte[][] blocks = new byte[2][26];
    blocks[0][0] = 1; // size field
    rs.encodeParity(blocks, 0, 26);
    byte[] parity = new byte[32];
    FecHeader.putHeader(parity, 0, 1, FecHeader.TYPE_PARITY);
    System.arraycopy(blocks[1], 0, parity, 6, 26);
    FecDecoder decoder = new FecDecoder(1, 1);
    assertEquals(0, decode(decoder, parity, 0).size());
    assertEquals(1, decoder.counters().errors);
  }

  @Test
  void decoderRetunesToThePeersCounts() {
    FecEncoder encoder = new FecEncoder(5, 2);
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      packets.add(kcp(26, i));
    }
    List<byte[]> sent = encodeAll(encoder, packets, 0);
    FecDecoder decoder = new FecDecoder(3, 1);
    for (byte[] s : sent) {
      decode(decoder, s, 0);
    }
    assertEquals(5, decoder.dataShards());
    assertEquals(2, decoder.parityShards());
    assertEquals(1, decoder.counters().retunes);
  }

  @Test
  void encoderRefusesWhatItCannotFrame() {
    FecEncoder encoder = new FecEncoder(3, 1, 100);
    assertEquals(92, encoder.maxKcpDatagram());
    assertThrows(
        IllegalArgumentException.class,
        () -> encoder.encode(new byte[93], 0, 93, 0, (b, o, l) -> {}));
    assertThrows(IllegalArgumentException.class, () -> new FecEncoder(3, 1, 31));
    assertThrows(IllegalArgumentException.class, () -> new FecDecoder(3, 1, 70_000));
    assertThrows(IllegalArgumentException.class, () -> encoder.setParityPauseMillis(-1));
  }
}
