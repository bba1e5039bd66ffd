package io.kcpj.netem.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The identity path, the bridge's default: every packet at once, unchanged, from offer. */
class PassThroughPathTest {

  @Test
  void deliversEachPacketUnchangedFromOfferAndHoldsNothing() {
    List<byte[]> got = new ArrayList<>();
    PacketSink sink =
        (packet, offset, length) -> {
          byte[] copy = new byte[length];
          System.arraycopy(packet, offset, copy, 0, length);
          got.add(copy);
          return true;
        };
    PassThroughPath path = new PassThroughPath();
    path.offer(new byte[] {1, 2, 3, 4, 5}, 4, 0, sink); // the packet is [0, length)
    path.offer(new byte[] {9}, 1, 0, sink);
    assertEquals(2, got.size());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, got.get(0));
    assertArrayEquals(new byte[] {9}, got.get(1));
    assertEquals(Long.MAX_VALUE, path.nextDueNanos());
  }
}
