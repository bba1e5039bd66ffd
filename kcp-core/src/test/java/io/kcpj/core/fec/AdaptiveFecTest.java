package io.kcpj.core.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loss-adaptive FEC: the parity choice, short groups, skipped parity, the loss meter. */
class AdaptiveFecTest {

  @Test
  void parityChoiceFollowsTheWorkedExample() {
    assertEquals(3, AdaptiveParity.choose(Double.NaN, 10, 1, 3), "unknown loss: the maximum");
    assertEquals(1, AdaptiveParity.choose(0, 10, 1, 3));
    assertEquals(0, AdaptiveParity.choose(0, 10, 0, 3));
    assertEquals(1, AdaptiveParity.choose(0.01, 10, 1, 3));
    assertEquals(3, AdaptiveParity.choose(0.05, 10, 1, 3));
    assertEquals(2, AdaptiveParity.choose(0.05, 10, 1, 2), "capped at the maximum");
    assertEquals(3, AdaptiveParity.choose(0.10, 10, 1, 3));
    assertEquals(2, AdaptiveParity.choose(0.05, 1, 0, 3));
    assertEquals(0.02, AdaptiveParity.residual(0.05, 10, 1), 0.0005);
    assertEquals(0.0051, AdaptiveParity.residual(0.05, 10, 2), 0.0001);
    assertEquals(0.00098, AdaptiveParity.residual(0.05, 10, 3), 0.00002);
    assertEquals(0.000125, AdaptiveParity.residual(0.05, 1, 2), 0.000001);
    assertEquals(3, AdaptiveParity.choose(1.0, 10, 1, 3));
  }

  /** A short group: k data shards, the rest of its data seqids skipped, parity marked with k. */
  @Test
  void aShortGroupIsMarkedAndSkipsTheMissingDataSeqids() {
    FecEncoder e = new FecEncoder(4, 2);
    List<byte[]> out = new ArrayList<>();
    DatagramSink sink = (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len));
    byte[] kcp = kcp(1, 40);
    e.encode(kcp, 0, kcp.length, 0, sink);
    assertTrue(e.closeGroup(sink));
    assertEquals(3, out.size());
    assertEquals(0, FecHeader.seqid(out.get(0), 0));
    assertEquals(FecHeader.TYPE_DATA, FecHeader.type(out.get(0), 0));
    for (int p = 0; p < 2; p++) {
      byte[] parity = out.get(1 + p);
      assertEquals(4 + p, FecHeader.seqid(parity, 0), "parity at its usual positions");
      assertTrue(FecHeader.isShortParity(parity, 0, parity.length));
      assertEquals(1, FecHeader.shortGroupDataShards(parity, 0));
      assertEquals(out.get(0).length, parity.length);
    }
    assertEquals(6, e.nextSeqid(), "the next group starts in its place");
    assertEquals(1, e.counters().shortGroups);
    // With one data shard and three zero blocks, parity row r is coefficient(r, 0) · block 0.
    assertEquals(false, new FecEncoder(4, 2).closeGroup(sink), "nothing pending: nothing sent");
  }

  @Test
  void skippedParityKeepsGroupsInPlaceForKcpGosDecoder() {
    FecEncoder e = new FecEncoder(3, 3);
    e.setParityToSend(1);
    List<byte[]> out = new ArrayList<>();
    DatagramSink sink = (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len));
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      byte[] k = kcp(i, 30 + i);
      sent.add(k);
      e.encode(k, 0, k.length, 0, sink);
    }
    // Two groups: 3 data + 1 parity each, seqids 0,1,2,3 and 6,7,8,9.
    int[] seqids = out.stream().mapToInt(b -> FecHeader.seqid(b, 0)).toArray();
    assertArrayEquals(new int[] {0, 1, 2, 3, 6, 7, 8, 9}, seqids);
    assertEquals(4, e.counters().skippedParity);
    // kcp-go's decoder (kcpj's FecDecoder reproduces it) set to 3/3 recovers one loss per group.
    FecDecoder d = new FecDecoder(3, 3);
    List<byte[]> got = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      if (i == 1 || i == 6) {
        continue; // lose data 1 and data 7
      }
      byte[] b = out.get(i);
      d.decode(b, 0, b.length, 0, (x, off, len) -> got.add(Arrays.copyOfRange(x, off, off + len)));
    }
    assertEquals(6, got.size());
    assertEquals(2, d.counters().recovered);
    assertEquals(0, d.counters().retunes, "no type mismatch: no re-tuning");
  }

  @Test
  void aReceiverRecoversALostShardOfAShortGroup() {
    for (int k = 1; k <= 9; k++) {
      FecSender s = new FecSender(FecSpec.parse("10/2@20ms"), 1500);
      List<byte[]> wire = new ArrayList<>();
      DatagramSink sink = (b, off, len) -> wire.add(Arrays.copyOfRange(b, off, off + len));
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        byte[] p = kcp(100 + i, 24 + i * 37);
        sent.add(p);
        s.send(p, 0, p.length, 5 + i, sink);
      }
      assertEquals(25, s.nextDeadline(), "20 ms after the group's first shard");
      s.onTimer(24, sink);
      assertEquals(k, wire.size(), "not yet due");
      s.onTimer(25, sink);
      assertEquals(k + 2, wire.size());
      for (int lose1 = 0; lose1 < k; lose1++) {
        for (int lose2 = lose1; lose2 < k + 2; lose2++) {
          FecReceiver r = new FecReceiver(10, 2, 1500);
          List<byte[]> got = new ArrayList<>();
          for (int i = 0; i < wire.size(); i++) {
            if (i == lose1 || i == lose2) {
              continue;
            }
            byte[] b = wire.get(i);
            r.receive(
                b,
                0,
                b.length,
                30,
                (x, off, len) -> got.add(Arrays.copyOfRange(x, off, off + len)));
          }
          assertEquals(k, got.size(), "k=" + k + " lost " + lose1 + "," + lose2);
          for (byte[] p : sent) {
            assertTrue(got.stream().anyMatch(g -> Arrays.equals(g, p)));
          }
          assertEquals(1, r.counters().shortGroups);
          assertEquals(0, r.decoder().counters().errors);
        }
      }
    }
  }

  @Test
  void kcpGosDecoderGetsEveryDataShardOfShortGroupsAndNoGarbage() {
    FecSender s = new FecSender(FecSpec.parse("10/3@20ms"), 1500);
    List<byte[]> wire = new ArrayList<>();
    DatagramSink sink = (b, off, len) -> wire.add(Arrays.copyOfRange(b, off, off + len));
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] p = kcp(i, 24 + i);
      sent.add(p);
      s.send(p, 0, p.length, i * 15L, sink); // a datagram every 15 ms: groups of 2
    }
    FecDecoder kcpGo = new FecDecoder(10, 3);
    List<byte[]> fec = new ArrayList<>();
    List<byte[]> plain = new ArrayList<>();
    for (byte[] b : wire) {
      kcpGo.decode(
          b,
          0,
          b.length,
          1000,
          (x, off, len) -> {
            byte[] c = Arrays.copyOfRange(x, off, off + len);
            (FecHeader.isShortParity(c, 0, c.length) ? plain : fec).add(c);
          });
    }
    assertEquals(sent.size(), fec.size());
    for (int i = 0; i < sent.size(); i++) {
      assertArrayEquals(sent.get(i), fec.get(i));
    }
    // Short-group parity reaches kcp-go's KCP input as a "plain" datagram whose command byte is
    // 0xf3: every KCP implementation refuses it.
    assertTrue(plain.size() > 0);
    for (byte[] p : plain) {
      assertEquals(0xf3, p[4] & 0xff);
    }
  }

  @Test
  void theLossMeterMeasuresDataShardLoss() {
    for (double loss : new double[] {0, 0.02, 0.1, 0.3}) {
      for (String spec : new String[] {"10/3", "3/1", "10/3@20ms"}) {
        FecSender s = new FecSender(FecSpec.parse(spec), 1500);
        FecReceiver r =
            spec.equals("3/1") ? new FecReceiver(3, 1, 1500) : new FecReceiver(10, 3, 1500);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        long[] now = {0};
        DatagramSink sink =
            (b, off, len) -> {
              if (random.nextDouble() >= loss) {
                r.receive(b, off, len, now[0], (x, o, l) -> {});
              }
            };
        for (int i = 0; i < 20_000; i++) {
          byte[] p = kcp(i, 30);
          now[0] = i * 7L;
          s.send(p, 0, p.length, now[0], sink);
          s.onTimer(now[0], sink);
        }
        if (loss == 0) {
          // Exactly nothing lost: no phantom groups from before the stream's first one.
          assertEquals(0, r.meter().lostShards(), spec);
        }
        double measured = r.lossRate();
        double judged = (double) r.meter().lostShards() / r.meter().judgedShards();
        assertEquals(loss, judged, 0.012 + loss * 0.1, spec + " at " + loss);
        assertEquals(loss, measured, 0.03 + loss * 0.2, spec + " at " + loss + " (window)");
      }
    }
  }

  @Test
  void adaptiveParityFollowsTheMeasuredLoss() {
    FecSender s = new FecSender(FecSpec.parse("10/1-3"), 1500);
    double[] loss = {Double.NaN};
    s.lossSource(() -> loss[0]);
    List<byte[]> wire = new ArrayList<>();
    DatagramSink sink = (b, off, len) -> wire.add(Arrays.copyOfRange(b, off, off + len));
    sendGroup(s, sink);
    assertEquals(13, wire.size(), "unknown loss: the maximum, 3");
    loss[0] = 0.0;
    wire.clear();
    sendGroup(s, sink);
    assertEquals(11, wire.size(), "no loss: the minimum, 1");
    loss[0] = 0.05;
    wire.clear();
    sendGroup(s, sink);
    assertEquals(13, wire.size());
    assertEquals(26 + 13, s.encoder().nextSeqid(), "every group keeps 13 seqids");
  }

  private static void sendGroup(FecSender s, DatagramSink sink) {
    for (int i = 0; i < 10; i++) {
      byte[] p = kcp(i, 40);
      s.send(p, 0, p.length, 0, sink);
    }
  }

  static byte[] kcp(int id, int len) {
    byte[] p = new byte[len];
    for (int i = 0; i < len; i++) {
      p[i] = (byte) (id * 131 + i * 7);
    }
    p[4] = 81; // a KCP command: never an FEC type
    p[0] = (byte) id;
    p[1] = (byte) (id >> 8);
    return p;
  }
}
