package io.kcpj.netem.tun;

/**
 * The transport protocol of an IP packet, as far as the bridge's counters distinguish them.
 * Classified from the IPv4 protocol field or the IPv6 next-header field (IPv6 extension headers are
 * not followed: such a packet counts as {@link #OTHER}).
 */
public enum IpProtocol {
  /** TCP (protocol number 6). */
  TCP,
  /** UDP (protocol number 17). */
  UDP,
  /** ICMP (1) or ICMPv6 (58). */
  ICMP,
  /** Anything else, including packets too short or malformed to classify. */
  OTHER;

  /** Classifies an IP protocol / next-header number. */
  public static IpProtocol of(int number) {
    return switch (number) {
      case 6 -> TCP;
      case 17 -> UDP;
      case 1, 58 -> ICMP;
      default -> OTHER;
    };
  }
}
