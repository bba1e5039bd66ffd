package io.kcpj.netem.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IpHeadersTest {

  /**
   * An IPv4 packet with the given header length, protocol and body (transport header + payload).
   */
  static byte[] ipv4(int ihlBytes, int protocol, byte[] body) {
    byte[] p = new byte[ihlBytes + body.length];
    p[0] = (byte) (0x40 | (ihlBytes / 4));
    p[2] = (byte) (p.length >>> 8);
    p[3] = (byte) p.length;
    p[8] = 64;
    p[9] = (byte) protocol;
    System.arraycopy(body, 0, p, ihlBytes, body.length);
    return p;
  }

  static byte[] tcpSegment(int headerBytes, int payload) {
    byte[] b = new byte[headerBytes + payload];
    b[12] = (byte) ((headerBytes / 4) << 4);
    return b;
  }

  @Test
  void classifiesTcpAndSubtractsIpAndTcpHeadersWithOptions() {
    byte[] p = ipv4(20, 6, tcpSegment(32, 100)); // TCP timestamps option: 32-byte header
    assertEquals(4, IpHeaders.version(p, 0, p.length));
    assertEquals(IpProtocol.TCP, IpHeaders.protocol(p, 0, p.length));
    assertEquals(100, IpHeaders.payloadLength(p, 0, p.length));
  }

  @Test
  void classifiesUdpWithIpOptions() {
    byte[] p = ipv4(24, 17, new byte[8 + 33]);
    assertEquals(IpProtocol.UDP, IpHeaders.protocol(p, 0, p.length));
    assertEquals(33, IpHeaders.payloadLength(p, 0, p.length));
  }

  @Test
  void honoursOffsetIntoALargerArray() {
    byte[] inner = ipv4(20, 17, new byte[8 + 5]);
    byte[] outer = new byte[inner.length + 10];
    System.arraycopy(inner, 0, outer, 7, inner.length);
    assertEquals(IpProtocol.UDP, IpHeaders.protocol(outer, 7, inner.length));
    assertEquals(5, IpHeaders.payloadLength(outer, 7, inner.length));
  }

  @Test
  void laterFragmentsHaveNoTransportHeader() {
    byte[] p = ipv4(20, 17, new byte[100]);
    p[7] = 10; // fragment offset 80 bytes
    assertEquals(100, IpHeaders.payloadLength(p, 0, p.length));
  }

  @Test
  void classifiesIpv6ByNextHeader() {
    byte[] p = new byte[40 + 8 + 12];
    p[0] = 0x60;
    p[6] = 17;
    assertEquals(6, IpHeaders.version(p, 0, p.length));
    assertEquals(IpProtocol.UDP, IpHeaders.protocol(p, 0, p.length));
    assertEquals(12, IpHeaders.payloadLength(p, 0, p.length));
    p[6] = 58;
    assertEquals(IpProtocol.ICMP, IpHeaders.protocol(p, 0, p.length));
  }

  @Test
  void neverThrowsOnMalformedPackets() {
    assertEquals(IpProtocol.OTHER, IpHeaders.protocol(new byte[0], 0, 0));
    assertEquals(0, IpHeaders.payloadLength(new byte[0], 0, 0));
    byte[] shortV4 = {0x45, 0, 0, 10, 0, 0, 0, 0, 64, 6};
    assertEquals(IpProtocol.OTHER, IpHeaders.protocol(shortV4, 0, shortV4.length));
    assertEquals(0, IpHeaders.payloadLength(shortV4, 0, shortV4.length));
    byte[] badIhl = ipv4(20, 6, new byte[10]);
    badIhl[0] = 0x4f; // 60-byte header in a 30-byte packet
    assertEquals(0, IpHeaders.payloadLength(badIhl, 0, badIhl.length));
    byte[] truncatedTcp = ipv4(20, 6, new byte[10]);
    assertEquals(0, IpHeaders.payloadLength(truncatedTcp, 0, truncatedTcp.length));
    byte[] badTcpOffset = ipv4(20, 6, tcpSegment(20, 0));
    badTcpOffset[20 + 12] = (byte) 0xf0; // 60-byte TCP header in 20 bytes
    assertEquals(0, IpHeaders.payloadLength(badTcpOffset, 0, badTcpOffset.length));
    byte[] garbage = {(byte) 0xff, 1, 2};
    assertEquals(IpProtocol.OTHER, IpHeaders.protocol(garbage, 0, garbage.length));
    assertEquals(0, IpHeaders.payloadLength(garbage, 0, garbage.length));
  }
}
