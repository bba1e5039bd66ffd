package io.kcpj.core;

import static io.kcpj.core.wire.SegmentHeader.HEADER_SIZE;

import io.kcpj.core.wire.SegmentHeader;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The datagram an engine is filling during a flush: segments are appended back to back, and the
 * datagram is handed to the {@link KcpOutput} when the next segment would not fit under the mtu (or
 * at the end of the flush). The buffer is the engine's own and reused; the output sees it only
 * during its call. Confined to its engine.
 */
final class DatagramPacker {
  private final int conv;
  private final KcpOutput output;
  private final KcpCounters counters;
  private int mtu;
  private byte[] out;
  private ByteBuffer outView;
  private int pos;

  DatagramPacker(int conv, KcpOutput output, KcpCounters counters, int mtu) {
    this.conv = conv;
    this.output = output;
    this.counters = counters;
    setMtu(mtu);
  }

  /** A new mtu (the buffer is replaced; call between flushes). */
  void setMtu(int mtu) {
    this.mtu = mtu;
    this.out = new byte[(mtu + HEADER_SIZE) * 3];
    this.outView = ByteBuffer.wrap(out);
  }

  /** Bytes in the datagram under construction. */
  int size() {
    return pos;
  }

  /** Bytes that still fit under the mtu. */
  int room() {
    return mtu - pos;
  }

  /** Emits the datagram under construction first if {@code need} more bytes would exceed mtu. */
  void reserve(int need) {
    if (pos + need > mtu) {
      emit();
    }
    if (pos + need > out.length) {
      // Only after an mtu decrease left larger segments queued.
      out = Arrays.copyOf(out, pos + need);
      outView = ByteBuffer.wrap(out);
    }
  }

  /** Appends one header (the caller reserved room for it and its payload). */
  void header(int cmd, int frg, int wnd, int ts, int sn, int una, int len) {
    SegmentHeader.write(out, pos, conv, cmd, frg, wnd, ts, sn, una, len);
    pos += HEADER_SIZE;
    counters.segmentsOut++;
  }

  /** Appends {@code len} payload bytes of {@code data}. */
  void payload(byte[] data, int len) {
    System.arraycopy(data, 0, out, pos, len);
    pos += len;
  }

  /** Hands the datagram under construction (if any) to the output. */
  void emit() {
    if (pos == 0) {
      return;
    }
    int size = pos;
    pos = 0;
    counters.datagramsOut++;
    counters.bytesOut += size;
    outView.clear();
    outView.limit(size);
    output.output(outView);
  }

  /** Drops what was written but not emitted (start of a flush). */
  void reset() {
    pos = 0;
  }
}
