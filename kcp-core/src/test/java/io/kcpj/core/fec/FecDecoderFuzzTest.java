package io.kcpj.core.fec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzz target of the FEC decoder (see docs/fuzzing.md). The fuzzer's bytes choose the decoder's
 * counts and a program of datagrams: real shards of an encoded stream (in any order, lost or
 * repeated), the same shards with bytes flipped, seqids or types rewritten or truncated, raw bytes,
 * and clock steps. After every datagram:
 *
 * <ul>
 *   <li>nothing throws;
 *   <li>every datagram is accounted for: {@code datagrams = plain + data + parity + tooShort +
 *       oversized}, and what is handed on is exactly the plain datagrams, the data shards' own
 *       bytes and the recovered data;
 *   <li>the kept shards stay within three groups of the largest counts ever in use;
 *   <li>as long as only real, unmodified shards of a stream with the decoder's own counts arrived,
 *       everything handed on is one of the stream's KCP datagrams.
 * </ul>
 */
class FecDecoderFuzzTest {
  private static final int MAX_OPS = 300;

  @FuzzTest(maxDuration = "30s")
  void anyDatagramsKeepTheDecoderConsistent(FuzzedDataProvider data) {
    int dataShards = data.consumeInt(1, 16);
    int parityShards = data.consumeInt(1, 8);
    int maxDatagram = data.consumeBoolean() ? FecEncoder.DEFAULT_MAX_DATAGRAM : 200;

    // A real stream to draw shards from (its own counts may differ: auto-tuning).
    int streamData = data.consumeBoolean() ? dataShards : data.consumeInt(1, 16);
    int streamParity = data.consumeBoolean() ? parityShards : data.consumeInt(1, 8);
    FecEncoder encoder = new FecEncoder(streamData, streamParity, maxDatagram);
    if (data.consumeBoolean()) {
      long wrap = 0xffffffffL / (streamData + streamParity) * (streamData + streamParity);
      encoder.setNextSeqid((int) (wrap - (streamData + streamParity) * data.consumeInt(1, 3)));
    }
    List<byte[]> packets = new ArrayList<>();
    List<byte[]> shards = new ArrayList<>();
    int count = data.consumeInt(0, 60);
    for (int i = 0; i < count; i++) {
      byte[] p = new byte[data.consumeInt(24, Math.min(300, encoder.maxKcpDatagram()))];
      Arrays.fill(p, (byte) i);
      p[0] = (byte) i;
      p[1] = (byte) (i >>> 8);
      p[4] = 81;
      packets.add(p);
      encoder.encode(
          p, 0, p.length, 0, (b, off, len) -> shards.add(Arrays.copyOfRange(b, off, off + len)));
    }
    // Compared by content (ByteBuffer's equals and hashCode); Arrays.toString keys cost a quarter
    // of the run time.
    Set<ByteBuffer> real = new HashSet<>();
    for (byte[] p : packets) {
      real.add(ByteBuffer.wrap(p));
    }

    FecDecoder decoder = new FecDecoder(dataShards, parityShards, maxDatagram);
    int largestGroup = dataShards + parityShards;
    // With other counts than the stream's, the decoder groups shards wrongly until it re-tunes,
    // and "recovers" bytes that are no datagram of the stream (kcp-go does the same).
    boolean attacked = streamData != dataShards || streamParity != parityShards;
    long now = data.consumeLong();
    long handed = 0;
    for (int op = 0; op < MAX_OPS && data.remainingBytes() > 0; op++) {
      byte[] datagram;
      int kind = data.consumeInt(0, 5);
      if (shards.isEmpty() && kind < 4) {
        kind = 4;
      }
      switch (kind) {
        case 0, 1 -> datagram = shards.get(data.consumeInt(0, shards.size() - 1));
        case 2 -> {
          datagram = shards.get(data.consumeInt(0, shards.size() - 1)).clone();
          datagram[data.consumeInt(0, datagram.length - 1)] ^= data.consumeByte();
          attacked = true;
        }
        case 3 -> {
          datagram = shards.get(data.consumeInt(0, shards.size() - 1));
          datagram = Arrays.copyOf(datagram, data.consumeInt(0, datagram.length + 8));
          if (datagram.length >= 6) {
            FecHeader.putHeader(
                datagram,
                0,
                data.consumeInt(),
                data.consumeBoolean() ? FecHeader.TYPE_DATA : FecHeader.TYPE_PARITY);
          }
          attacked = true;
        }
        case 4 -> {
          datagram = data.consumeBytes(data.consumeInt(0, maxDatagram + 10));
          attacked = true;
        }
        default -> {
          now += data.consumeLong(0, 120_000);
          continue;
        }
      }
      boolean trusted = !attacked;
      int offset = data.consumeInt(0, 3);
      byte[] in = new byte[offset + datagram.length + 2];
      System.arraycopy(datagram, 0, in, offset, datagram.length);
      long[] n = {0};
      decoder.decode(
          in,
          offset,
          datagram.length,
          now,
          (b, off, len) -> {
            n[0]++;
            assertTrue(off >= 0 && len >= 0 && off + len <= b.length, "range inside the buffer");
            if (trusted) {
              assertTrue(
                  real.contains(ByteBuffer.wrap(b, off, len)),
                  "only the stream's datagrams come out of its real shards");
            }
          });
      handed += n[0];
      largestGroup = Math.max(largestGroup, decoder.dataShards() + decoder.parityShards());
      FecDecoder.Counters c = decoder.counters();
      assertEquals(c.plain + c.dataShards + c.parityShards + c.tooShort + c.oversized, c.datagrams);
      assertEquals(c.plain + c.dataShards + c.recovered, handed);
      assertTrue(decoder.keptShards() <= FecDecoder.QUEUE_GROUPS * largestGroup + 1);
    }
  }
}
