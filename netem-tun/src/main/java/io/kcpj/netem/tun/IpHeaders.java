package io.kcpj.netem.tun;

/**
 * Reads the few IP header fields the bridge counts by: IP version, transport protocol and payload
 * length. Pure functions over a byte range; never throws on malformed input (a packet too short to
 * classify is {@link IpProtocol#OTHER} with zero payload).
 */
final class IpHeaders {

  private static final int IPV4_MIN_HEADER = 20;
  private static final int IPV6_HEADER = 40;
  private static final int UDP_HEADER = 8;
  private static final int TCP_MIN_HEADER = 20;

  private IpHeaders() {}

  /** The IP version nibble (4 or 6 for valid packets), or 0 if the range is empty. */
  static int version(byte[] p, int off, int len) {
    return len < 1 ? 0 : (p[off] >> 4) & 0x0f;
  }

  /** The transport protocol of the packet. */
  static IpProtocol protocol(byte[] p, int off, int len) {
    int version = version(p, off, len);
    if (version == 4 && len >= IPV4_MIN_HEADER) {
      return IpProtocol.of(p[off + 9] & 0xff);
    }
    if (version == 6 && len >= IPV6_HEADER) {
      return IpProtocol.of(p[off + 6] & 0xff);
    }
    return IpProtocol.OTHER;
  }

  /**
   * Transport payload bytes: the packet length minus the IP header and, for an unfragmented (or
   * first-fragment) TCP or UDP packet, minus the transport header. 0 when malformed.
   */
  static int payloadLength(byte[] p, int off, int len) {
    int version = version(p, off, len);
    int ipHeader;
    int protocolNumber;
    boolean firstFragment = true;
    if (version == 4 && len >= IPV4_MIN_HEADER) {
      ipHeader = (p[off] & 0x0f) * 4;
      protocolNumber = p[off + 9] & 0xff;
      int fragmentOffset = ((p[off + 6] & 0x1f) << 8) | (p[off + 7] & 0xff);
      firstFragment = fragmentOffset == 0;
      if (ipHeader < IPV4_MIN_HEADER || ipHeader > len) {
        return 0;
      }
    } else if (version == 6 && len >= IPV6_HEADER) {
      ipHeader = IPV6_HEADER;
      protocolNumber = p[off + 6] & 0xff;
    } else {
      return 0;
    }
    int rest = len - ipHeader;
    if (!firstFragment) {
      return rest;
    }
    IpProtocol protocol = IpProtocol.of(protocolNumber);
    if (protocol == IpProtocol.UDP) {
      return rest >= UDP_HEADER ? rest - UDP_HEADER : 0;
    }
    if (protocol == IpProtocol.TCP) {
      if (rest < TCP_MIN_HEADER) {
        return 0;
      }
      int tcpHeader = ((p[off + ipHeader + 12] >> 4) & 0x0f) * 4;
      return tcpHeader >= TCP_MIN_HEADER && tcpHeader <= rest ? rest - tcpHeader : 0;
    }
    return rest;
  }

  /**
   * The TCP or UDP source ({@code destination == false}) or destination port of an unfragmented
   * IPv4 packet, or -1 when there is none (another protocol, a later fragment, too short).
   */
  static int port(byte[] p, int off, int len, boolean destination) {
    if (version(p, off, len) != 4 || len < IPV4_MIN_HEADER) {
      return -1;
    }
    int protocolNumber = p[off + 9] & 0xff;
    if (protocolNumber != 6 && protocolNumber != 17) {
      return -1;
    }
    int fragmentOffset = ((p[off + 6] & 0x1f) << 8) | (p[off + 7] & 0xff);
    int ipHeader = (p[off] & 0x0f) * 4;
    int at = off + ipHeader + (destination ? 2 : 0);
    if (fragmentOffset != 0 || ipHeader < IPV4_MIN_HEADER || ipHeader + 4 > len) {
      return -1;
    }
    return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
  }
}
