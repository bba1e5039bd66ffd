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
 * Fuzz target of the FEC receiver with kcpj's extensions (short groups, adaptive parity; see
 * docs/fuzzing.md). The fuzzer's bytes choose a loss-adaptive spec, a stream sent with it at chosen
 * times (so that deadlines close short groups), and a program of datagrams: the stream's shards in
 * any order, lost or repeated, modified ones (bytes flipped, a short group's k or a seqid
 * rewritten), raw bytes. After every datagram:
 *
 * <ul>
 *   <li>nothing throws, and what is handed on lies inside the buffer;
 *   <li>the decoder keeps at most three groups of the largest counts in use;
 *   <li>as long as only real, unmodified shards arrived: everything handed on is one of the
 *       stream's KCP datagrams, and no recovered shard has an impossible size (zero blocks of short
 *       groups are never "rebuilt");
 *   <li>the loss estimate is NaN or within 0..1.
 * </ul>
 */
class FecReceiverFuzzTest {
  private static final int MAX_OPS = 300;

  @FuzzTest(maxDuration = "30s")
  void anyDatagramsKeepTheReceiverConsistent(FuzzedDataProvider data) {
    int dataShards = data.consumeInt(1, 12);
    int maxParity = data.consumeInt(1, 6);
    int minParity = data.consumeInt(0, maxParity);
    long deadline = data.consumeBoolean() ? data.consumeLong(1, 50) : 0;
    FecSpec spec = FecSpec.of(dataShards, minParity, maxParity, deadline);
    FecSender sender = new FecSender(spec, 400);
    double[] loss = {Double.NaN};
    sender.lossSource(() -> loss[0]);
    List<byte[]> packets = new ArrayList<>();
    List<byte[]> shards = new ArrayList<>();
    DatagramSink collect = (b, off, len) -> shards.add(Arrays.copyOfRange(b, off, off + len));
    int count = data.consumeInt(0, 60);
    long t = 0;
    for (int i = 0; i < count; i++) {
      byte[] p = new byte[data.consumeInt(24, 300)];
      Arrays.fill(p, (byte) i);
      p[0] = (byte) i;
      p[1] = (byte) (i >>> 8);
      p[4] = 81;
      packets.add(p);
      t += data.consumeInt(0, 30);
      loss[0] = data.consumeBoolean() ? Double.NaN : data.consumeInt(0, 50) / 100.0;
      sender.onTimer(t, collect);
      sender.send(p, 0, p.length, t, collect);
    }
    sender.closeGroup(collect);
    // Compared by content (ByteBuffer's equals and hashCode); Arrays.toString keys cost a quarter
    // of the run time.
    Set<ByteBuffer> real = new HashSet<>();
    for (byte[] p : packets) {
      real.add(ByteBuffer.wrap(p));
    }

    FecReceiver receiver = new FecReceiver(dataShards, maxParity, 400);
    boolean attacked = false;
    int largestGroup = dataShards + maxParity;
    long now = data.consumeLong(0, 1L << 40);
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
          datagram = shards.get(data.consumeInt(0, shards.size() - 1)).clone();
          if (datagram.length >= 6) {
            if (data.consumeBoolean()) {
              datagram[4] = (byte) FecHeader.SHORT_PARITY_MARK;
              datagram[5] = data.consumeByte();
            } else {
              FecHeader.putSeqid(datagram, 0, data.consumeInt());
            }
          }
          attacked = true;
        }
        case 4 -> {
          datagram = data.consumeBytes(data.consumeInt(0, 420));
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
      receiver.receive(
          in,
          offset,
          datagram.length,
          now,
          (b, off, len) -> {
            assertTrue(off >= 0 && len >= 0 && off + len <= b.length, "range inside the buffer");
            if (trusted) {
              assertTrue(
                  real.contains(ByteBuffer.wrap(b, off, len)),
                  "only the stream's datagrams come out of its real shards");
            }
          });
      FecDecoder d = receiver.decoder();
      largestGroup = Math.max(largestGroup, d.dataShards() + d.parityShards());
      assertTrue(d.keptShards() <= FecDecoder.QUEUE_GROUPS * largestGroup + 1);
      if (trusted) {
        assertEquals(0, d.counters().errors, "no zero block was rebuilt as data");
      }
      double rate = receiver.lossRate();
      assertTrue(Double.isNaN(rate) || (rate >= 0 && rate <= 1), "loss rate " + rate);
    }
  }
}
