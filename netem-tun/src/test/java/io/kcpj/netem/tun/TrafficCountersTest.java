package io.kcpj.netem.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.Direction;
import org.junit.jupiter.api.Test;

class TrafficCountersTest {

  @Test
  void countsPerDirectionAndProtocolAndSubtractsSnapshots() {
    TrafficCounters counters = new TrafficCounters();
    byte[] tcp = IpHeadersTest.ipv4(20, 6, IpHeadersTest.tcpSegment(20, 1000));
    byte[] udp = IpHeadersTest.ipv4(20, 17, new byte[8 + 24]);
    byte[] v6 = new byte[60];
    v6[0] = 0x60;
    v6[6] = 58;

    counters.offered(Direction.A_TO_B, tcp, 0, tcp.length);
    counters.offered(Direction.A_TO_B, tcp, 0, tcp.length);
    counters.delivered(Direction.A_TO_B, tcp, 0, tcp.length);
    TrafficSnapshot before = counters.snapshot();
    counters.offered(Direction.B_TO_A, udp, 0, udp.length);
    counters.delivered(Direction.B_TO_A, udp, 0, udp.length);
    counters.offered(Direction.B_TO_A, v6, 0, v6.length);
    counters.writeError(Direction.B_TO_A);
    TrafficSnapshot after = counters.snapshot();

    assertEquals(
        new TrafficCount(2, 2 * 1040, 2000), after.offered(Direction.A_TO_B, IpProtocol.TCP));
    assertEquals(
        new TrafficCount(1, 1040, 1000), after.delivered(Direction.A_TO_B, IpProtocol.TCP));
    assertEquals(80, after.offered(Direction.A_TO_B, IpProtocol.TCP).headerBytes());
    assertEquals(new TrafficCount(1, 52, 24), after.offered(Direction.B_TO_A, IpProtocol.UDP));
    assertEquals(new TrafficCount(1, 60, 20), after.offered(Direction.B_TO_A, IpProtocol.ICMP));
    assertEquals(new TrafficCount(2, 112, 44), after.offered(Direction.B_TO_A));
    assertEquals(TrafficCount.ZERO, after.offered(Direction.A_TO_B, IpProtocol.UDP));
    assertEquals(1, after.ipv6PacketsOffered(Direction.B_TO_A));
    assertEquals(0, after.ipv6PacketsOffered(Direction.A_TO_B));
    assertEquals(1, after.writeErrors(Direction.B_TO_A));

    TrafficSnapshot interval = after.minus(before);
    assertEquals(TrafficCount.ZERO, interval.offered(Direction.A_TO_B));
    assertEquals(new TrafficCount(1, 52, 24), interval.delivered(Direction.B_TO_A, IpProtocol.UDP));
    assertTrue(after.toString().contains("A_TO_B TCP"), after.toString());
  }
}
