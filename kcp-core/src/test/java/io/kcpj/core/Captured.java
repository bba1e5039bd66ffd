package io.kcpj.core;

import io.kcpj.core.wire.SegmentHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A KcpOutput for tests: keeps a copy of every datagram with the engine time it was emitted at. */
final class Captured implements KcpOutput {
  /** One emitted datagram. */
  record Datagram(long at, byte[] bytes) {
    int segments() {
      int n = 0;
      for (int off = 0; off + SegmentHeader.HEADER_SIZE <= bytes.length; n++) {
        off += SegmentHeader.HEADER_SIZE + (int) SegmentHeader.len(bytes, off);
      }
      return n;
    }

    /** The cmd of every segment in order. */
    List<Integer> commands() {
      List<Integer> cmds = new ArrayList<>();
      for (int off = 0; off + SegmentHeader.HEADER_SIZE <= bytes.length; ) {
        cmds.add(SegmentHeader.cmd(bytes, off));
        off += SegmentHeader.HEADER_SIZE + (int) SegmentHeader.len(bytes, off);
      }
      return cmds;
    }

    int firstSn() {
      return SegmentHeader.sn(bytes, 0);
    }
  }

  final List<Datagram> datagrams = new ArrayList<>();
  long now;

  @Override
  public void output(ByteBuffer datagram) {
    byte[] copy = new byte[datagram.remaining()];
    datagram.get(copy);
    datagrams.add(new Datagram(now, copy));
  }

  /** Datagrams whose first segment is a PUSH. */
  List<Datagram> pushes() {
    List<Datagram> out = new ArrayList<>();
    for (Datagram d : datagrams) {
      if (SegmentHeader.cmd(d.bytes(), 0) == SegmentHeader.CMD_PUSH) {
        out.add(d);
      }
    }
    return out;
  }

  void clear() {
    datagrams.clear();
  }

  /** A header-only segment datagram built by hand, for feeding crafted input. */
  static byte[] segment(int conv, int cmd, int frg, int wnd, int ts, int sn, int una, byte[] data) {
    byte[] b = new byte[SegmentHeader.HEADER_SIZE + data.length];
    SegmentHeader.write(b, 0, conv, cmd, frg, wnd, ts, sn, una, data.length);
    System.arraycopy(data, 0, b, SegmentHeader.HEADER_SIZE, data.length);
    return b;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
