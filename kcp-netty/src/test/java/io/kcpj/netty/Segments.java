package io.kcpj.netty;

import io.kcpj.core.wire.SegmentHeader;

/** Test helper: a datagram's KCP segments in one line (cmd, conv, sn, una, wnd, len). */
final class Segments {
  private Segments() {}

  static String describe(byte[] d) {
    StringBuilder b = new StringBuilder();
    int at = 0;
    while (d.length - at >= SegmentHeader.HEADER_SIZE) {
      int conv = SegmentHeader.conv(d, at);
      int cmd = d[at + SegmentHeader.CMD_OFFSET] & 0xff;
      long len = SegmentHeader.len(d, at);
      b.append(name(cmd))
          .append("#")
          .append(conv)
          .append(" sn=")
          .append(SegmentHeader.sn(d, at))
          .append(" una=")
          .append(SegmentHeader.una(d, at))
          .append(" len=")
          .append(len)
          .append("; ");
      at += SegmentHeader.HEADER_SIZE + (int) len;
    }
    return b.append("(").append(d.length).append(" B)").toString();
  }

  static String name(int cmd) {
    return switch (cmd) {
      case SegmentHeader.CMD_PUSH -> "PUSH";
      case SegmentHeader.CMD_ACK -> "ACK";
      case SegmentHeader.CMD_WASK -> "WASK";
      case SegmentHeader.CMD_WINS -> "WINS";
      default -> "cmd" + cmd;
    };
  }
}
