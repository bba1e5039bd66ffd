package io.kcpj.netty;

import io.kcpj.core.wire.SegmentHeader;
import java.nio.ByteBuffer;

/**
 * The window probe an unvalidated session sends when the anti-amplification limit withholds its
 * data ({@link SessionAdmission#permitProbe}): one WASK segment, alone in its datagram, whose conv,
 * window, timestamp and una are those of the withheld datagram's first segment (all segments of one
 * flush carry the same values); frg, sn and length are 0. Every KCP receiver (ikcp, kcp-go, kcpj)
 * answers a WASK with a WINS segment on its next flush, and that segment's una tells the server
 * what the peer has received.
 */
final class ProbeSegment {
  private ProbeSegment() {}

  /**
   * A new 24-byte buffer holding the probe for {@code datagram} (read from its position, which
   * holds at least one whole segment header; neither its position nor its limit move). The caller
   * owns the result.
   */
  static ByteBuffer wask(ByteBuffer datagram) {
    byte[] b = new byte[SegmentHeader.HEADER_SIZE];
    datagram.duplicate().get(b); // conv, wnd, ts, una in the wire's little-endian order
    b[SegmentHeader.CMD_OFFSET] = (byte) SegmentHeader.CMD_WASK;
    b[SegmentHeader.CMD_OFFSET + 1] = 0; // frg
    for (int i = 0; i < 4; i++) {
      b[SegmentHeader.SN_OFFSET + i] = 0;
      b[SegmentHeader.LEN_OFFSET + i] = 0;
    }
    return ByteBuffer.wrap(b);
  }
}
