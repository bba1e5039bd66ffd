package io.kcpj.bench.compare;

/**
 * The comparison's message format: {@code seq u32 (little-endian) | padding}. The server echoes the
 * sequence number and pads the echo to the response size. A message's scheduled send time is not
 * carried: it follows from its sequence number and the workload's schedule, so messages can be as
 * small as the C reference test's 8 bytes.
 */
public final class EchoMessage {
  /** Bytes of sequence number at the start of every message. */
  public static final int HEADER = 4;

  private EchoMessage() {}

  /** Writes a message of {@code size} bytes into {@code dst[0..size)}. */
  public static void write(byte[] dst, int size, int seq) {
    dst[0] = (byte) seq;
    dst[1] = (byte) (seq >>> 8);
    dst[2] = (byte) (seq >>> 16);
    dst[3] = (byte) (seq >>> 24);
    for (int i = HEADER; i < size; i++) {
      dst[i] = (byte) (seq + i);
    }
  }

  public static int seq(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }
}
