package io.kcpj.netty;

import io.kcpj.core.wire.SegmentHeader;
import io.netty.buffer.ByteBuf;

/**
 * The padding of {@link KcpChannelOption#PAD_UNTIL_ANSWERED}: one WINS segment appended to a
 * datagram, whose payload is zeros. Every KCP receiver (ikcp, kcp-go, kcpj) reads a WINS segment's
 * window and una and skips its payload, so the segment copies both from the datagram's first
 * segment (all segments of one flush carry the same values) and changes nothing at the receiver but
 * the datagram's size. Its conv and timestamp are the first segment's too; frg and sn are 0.
 */
final class PaddingSegment {
  private PaddingSegment() {}

  /**
   * Appends a padding segment of {@code bytes} in all (header included, at least a header) to
   * {@code datagram}, which holds at least one whole segment from its reader index.
   */
  static void append(ByteBuf datagram, int bytes) {
    int first = datagram.readerIndex();
    datagram
        .writeIntLE(datagram.getIntLE(first + SegmentHeader.CONV_OFFSET))
        .writeByte(SegmentHeader.CMD_WINS)
        .writeByte(0) // frg
        .writeShortLE(datagram.getUnsignedShortLE(first + SegmentHeader.WND_OFFSET))
        .writeIntLE(datagram.getIntLE(first + SegmentHeader.TS_OFFSET))
        .writeIntLE(0) // sn
        .writeIntLE(datagram.getIntLE(first + SegmentHeader.UNA_OFFSET))
        .writeIntLE(bytes - SegmentHeader.HEADER_SIZE)
        .writeZero(bytes - SegmentHeader.HEADER_SIZE);
  }
}
