package io.kcpj.core.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.kcpgo.KcpGoVectors;
import io.kcpj.core.kcpgo.KcpGoVectors.DecodeStep;
import io.kcpj.core.kcpgo.KcpGoVectors.DecoderScenario;
import io.kcpj.core.kcpgo.KcpGoVectors.EncodeStep;
import io.kcpj.core.kcpgo.KcpGoVectors.EncoderCase;
import io.kcpj.core.kcpgo.KcpGoVectors.Handed;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The FEC layer against kcp-go 5.6.1's own encoder and decoder ({@code interop/kcpgo/vectors}):
 * every datagram the encoder sends is byte-identical; every scenario fed to the decoder hands KCP
 * the same datagrams in the same order, with the same FECErrs and FECShortShards counts.
 */
class FecKcpGoVectorTest {

  @Test
  void encoderSendsKcpGosBytes() {
    int datagrams = 0;
    for (EncoderCase c : KcpGoVectors.vectors().encoders) {
      for (boolean viaByteBuffer : new boolean[] {false, true}) {
        FecEncoder encoder = new FecEncoder(c.dataShards(), c.parityShards());
        int step = 0;
        for (EncodeStep s : c.steps()) {
          List<byte[]> sent = new ArrayList<>();
          DatagramSink sink = (b, off, len) -> sent.add(Arrays.copyOfRange(b, off, off + len));
          if (viaByteBuffer) {
            ByteBuffer src = ByteBuffer.allocateDirect(s.kcp().length + 3);
            src.position(3);
            src.put(s.kcp());
            src.position(3);
            encoder.encode(src, 0, sink);
            assertEquals(3, src.position(), "position untouched");
          } else {
            byte[] padded = new byte[s.kcp().length + 5];
            System.arraycopy(s.kcp(), 0, padded, 2, s.kcp().length);
            encoder.encode(padded, 2, s.kcp().length, 0, sink);
          }
          String where = c.dataShards() + "/" + c.parityShards() + " step " + step++;
          assertEquals(s.out().size(), sent.size(), where + ": datagrams sent");
          for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(s.out().get(i), sent.get(i), where + " datagram " + i);
          }
          datagrams += sent.size();
        }
      }
    }
    assertTrue(datagrams > 150, "datagrams compared: " + datagrams);
  }

  @Test
  void decoderHandsKcpWhatKcpGoHandsIt() {
    int recovered = 0;
    for (DecoderScenario sc : KcpGoVectors.vectors().decoders) {
      FecDecoder decoder = new FecDecoder(sc.dataShards(), sc.parityShards());
      int step = 0;
      for (DecodeStep s : sc.steps()) {
        List<byte[]> handed = new ArrayList<>();
        long errorsBefore = decoder.counters().errors;
        byte[] in = new byte[s.in().length + 7];
        System.arraycopy(s.in(), 0, in, 4, s.in().length);
        decoder.decode(
            in,
            4,
            s.in().length,
            0,
            (b, off, len) -> handed.add(Arrays.copyOfRange(b, off, len + off)));
        String where = sc.name() + " step " + step++ + " in " + HexFormat.of().formatHex(s.in());
        List<byte[]> expected = new ArrayList<>();
        int fecErrors = 0;
        for (Handed h : s.handed()) {
          if (h.own()) {
            expected.add(Arrays.copyOfRange(s.in(), 8, s.in().length));
          } else if (h.bytes() == null) {
            fecErrors++;
          } else {
            expected.add(h.bytes());
            if (!Arrays.equals(h.bytes(), s.in())) {
              recovered++;
            }
          }
        }
        assertEquals(expected.size(), handed.size(), where + ": datagrams handed to KCP");
        for (int i = 0; i < expected.size(); i++) {
          assertArrayEquals(expected.get(i), handed.get(i), where + ": datagram " + i);
        }
        assertEquals(fecErrors, decoder.counters().errors - errorsBefore, where + ": FECErrs");
      }
      assertEquals(
          sc.shortShards(), decoder.counters().shortShards, sc.name() + ": FECShortShards");
    }
    assertTrue(recovered > 100, "recovered datagrams compared: " + recovered);
  }
}
