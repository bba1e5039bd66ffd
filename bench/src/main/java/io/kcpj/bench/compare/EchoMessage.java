package io.kcpj.bench.compare;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The comparison's message format: {@code seq u32 | scheduledNanos i64 | padding}, little-endian.
 * The server echoes the first {@value #HEADER} bytes and pads the echo to the response size; the
 * client reads back the sequence and the scheduled send time to compute the RTT.
 */
public final class EchoMessage {
  /** Bytes of sequence number and timestamp at the start of every message. */
  public static final int HEADER = 12;

  private EchoMessage() {}

  /** Writes a message of {@code size} bytes into {@code dst[0..size)}. */
  public static void write(byte[] dst, int size, int seq, long scheduledNanos) {
    ByteBuffer b = ByteBuffer.wrap(dst, 0, size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, seq);
    b.putLong(4, scheduledNanos);
    for (int i = HEADER; i < size; i++) {
      dst[i] = (byte) (seq + i);
    }
  }

  public static int seq(byte[] b, int off) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(off);
  }

  public static long scheduledNanos(byte[] b, int off) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(off + 4);
  }
}
