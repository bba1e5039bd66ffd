package io.kcpj.core.kcpgo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.crypt.BlockCrypt;
import io.kcpj.core.crypt.CryptMethod;
import io.kcpj.core.fec.FecDecoder;
import io.kcpj.core.fec.FecEncoder;
import io.kcpj.core.fec.FecHeader;
import io.kcpj.core.kcpgo.KcpGoVectors.Session;
import io.kcpj.core.wire.SegmentHeader;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Datagrams captured from real kcp-go 5.6.1 sessions with FEC and encryption ({@code
 * interop/kcpgo/vectors.sh session}): kcpj's layers open every one of them, decode the FEC and hand
 * KCP segments from which the written messages reassemble; and kcpj's FEC encoder, given the same
 * KCP datagrams, produces exactly the shards kcp-go sent (data and parity, in order).
 */
class KcpGoSessionCaptureTest {

  @Test
  void kcpjOpensDecodesAndReEncodesWhatKcpGoSessionsSent() {
    List<Session> sessions = KcpGoVectors.sessions().sessions;
    assertTrue(sessions.size() >= 5);
    for (Session s : sessions) {
      String where = s.dataShards() + "/" + s.parityShards() + " " + s.method();
      BlockCrypt crypt = BlockCrypt.fromPassphrase(CryptMethod.parse(s.method()), s.passphrase());

      // 1. Open every datagram.
      List<byte[]> fecDatagrams = new ArrayList<>();
      for (byte[] wire : s.wire()) {
        byte[] plain = new byte[wire.length];
        int n = crypt.open(wire, 0, wire.length, plain, 0);
        assertTrue(n >= 0, where + ": kcp-go's datagram opens");
        fecDatagrams.add(Arrays.copyOf(plain, n));
      }
      assertEquals(0, crypt.counters().badChecksum);

      // 2. FEC-decode and collect the PUSH segments handed to KCP.
      FecDecoder decoder = new FecDecoder(s.dataShards(), s.parityShards());
      TreeMap<Integer, byte[]> pushes = new TreeMap<>();
      TreeMap<Integer, Integer> fragments = new TreeMap<>();
      for (byte[] d : fecDatagrams) {
        decoder.decode(
            d,
            0,
            d.length,
            0,
            (b, off, len) -> {
              int at = off;
              while (at + SegmentHeader.HEADER_SIZE <= off + len) {
                assertEquals(s.conv(), SegmentHeader.conv(b, at), where + ": conv");
                int segLen = (int) SegmentHeader.len(b, at);
                if (SegmentHeader.cmd(b, at) == SegmentHeader.CMD_PUSH) {
                  int sn = SegmentHeader.sn(b, at);
                  int from = at + SegmentHeader.HEADER_SIZE;
                  pushes.put(sn, Arrays.copyOfRange(b, from, from + segLen));
                  fragments.put(sn, SegmentHeader.frg(b, at));
                }
                at += SegmentHeader.HEADER_SIZE + segLen;
              }
            });
      }
      assertEquals(0, decoder.counters().dropped(), where);
      List<byte[]> messages = new ArrayList<>();
      ByteArrayOutputStream current = new ByteArrayOutputStream();
      int expectedSn = 0;
      for (var e : pushes.entrySet()) {
        assertEquals(expectedSn++, e.getKey(), where + ": every sn present");
        current.writeBytes(e.getValue());
        if (fragments.get(e.getKey()) == 0) {
          messages.add(current.toByteArray());
          current.reset();
        }
      }
      // kcp-go's Write splits a message longer than one segment into several KCP messages: the
      // byte stream is what must match.
      ByteArrayOutputStream written = new ByteArrayOutputStream();
      s.messages().forEach(written::writeBytes);
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      messages.forEach(received::writeBytes);
      assertTrue(messages.size() >= s.messages().size(), where + ": messages");
      assertArrayEquals(written.toByteArray(), received.toByteArray(), where + ": bytes");

      // 3. Re-encode the data shards' KCP datagrams: kcp-go's shards, byte for byte, in order.
      FecEncoder encoder = new FecEncoder(s.dataShards(), s.parityShards());
      List<byte[]> ours = new ArrayList<>();
      for (byte[] d : fecDatagrams) {
        if (FecHeader.type(d, 0) == FecHeader.TYPE_DATA) {
          encoder.encode(
              d,
              FecHeader.DATA_HEADER_SIZE,
              d.length - FecHeader.DATA_HEADER_SIZE,
              0,
              (b, off, len) -> ours.add(Arrays.copyOfRange(b, off, off + len)));
        }
      }
      assertEquals(fecDatagrams.size(), ours.size(), where + ": datagrams");
      for (int i = 0; i < ours.size(); i++) {
        assertArrayEquals(fecDatagrams.get(i), ours.get(i), where + ": datagram " + i);
      }
      assertTrue(encoder.counters().parityShards > 0, where + ": parity was compared");
    }
  }
}
