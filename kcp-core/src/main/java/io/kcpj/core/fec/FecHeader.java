package io.kcpj.core.fec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Flyweight over kcp-go's FEC header: named little-endian offsets and static accessors over a
 * {@code byte[]}, no parsed object.
 *
 * <pre>
 *  off size field
 *   0   4   seqid  FEC sequence number, unsigned; one group of data + parity shards has
 *               consecutive seqids, the first a multiple of data + parity
 *   4   2   type   {@link #TYPE_DATA} 0xf1 or {@link #TYPE_PARITY} 0xf2
 *   6   2   size   data shards only: 2 + length of the KCP datagram that follows
 *   8   …   the KCP datagram (data shard), or Reed-Solomon parity (parity shard, from offset 6)
 * </pre>
 *
 * <p>Bytes 4..5 of a plain KCP datagram hold the command (81..84) and the fragment count, so a
 * plain datagram never reads as type 0xf1 or 0xf2: the two kinds can share one port. The caller
 * owns the array and guarantees the offsets it reads are inside it.
 */
public final class FecHeader {
  public static final int SEQID_OFFSET = 0;
  public static final int TYPE_OFFSET = 4;

  /** Bytes of the header every FEC datagram starts with (seqid and type). */
  public static final int HEADER_SIZE = 6;

  public static final int SIZE_OFFSET = 6;

  /** Bytes in front of the KCP datagram in a data shard: header plus size. */
  public static final int DATA_HEADER_SIZE = 8;

  public static final int TYPE_DATA = 0xf1;
  public static final int TYPE_PARITY = 0xf2;

  /**
   * kcpj extension (not kcp-go's): byte 4 of a parity shard of a <em>short group</em>, a group
   * closed by a deadline after k &lt; data shards; byte 5 then holds k (1..255). As a 16-bit type
   * it reads {@code 0xf3 | k << 8}, neither {@link #TYPE_DATA} nor {@link #TYPE_PARITY}: kcp-go
   * takes such a datagram for a plain KCP one and its KCP input refuses it (command 0xf3). See
   * {@code docs/wire-extensions.md}.
   */
  public static final int SHORT_PARITY_MARK = 0xf3;

  /**
   * Datagrams shorter than this (a KCP segment header) are dropped on input before any FEC
   * processing, as kcp-go's session input does.
   */
  public static final int MIN_DATAGRAM = 24;

  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private FecHeader() {}

  /** Whether the datagram is an FEC data or parity shard (by its type field). */
  public static boolean isFec(byte[] b, int off, int len) {
    if (len < HEADER_SIZE) {
      return false;
    }
    int type = type(b, off);
    return type == TYPE_DATA || type == TYPE_PARITY;
  }

  /** Whether the datagram is a kcpj short-group parity shard (byte 4 = 0xf3, byte 5 = k ≥ 1). */
  public static boolean isShortParity(byte[] b, int off, int len) {
    return len >= HEADER_SIZE
        && (b[off + TYPE_OFFSET] & 0xff) == SHORT_PARITY_MARK
        && b[off + TYPE_OFFSET + 1] != 0;
  }

  /** The data shards k of a short group, from one of its parity shards (byte 5). */
  public static int shortGroupDataShards(byte[] b, int off) {
    return b[off + TYPE_OFFSET + 1] & 0xff;
  }

  public static int seqid(byte[] b, int off) {
    return (int) INT_LE.get(b, off + SEQID_OFFSET);
  }

  public static int type(byte[] b, int off) {
    return (short) SHORT_LE.get(b, off + TYPE_OFFSET) & 0xffff;
  }

  public static int size(byte[] b, int off) {
    return (short) SHORT_LE.get(b, off + SIZE_OFFSET) & 0xffff;
  }

  /** Overwrites the seqid (for tools that re-stamp shards; the encoder numbers its own). */
  public static void putSeqid(byte[] b, int off, int seqid) {
    INT_LE.set(b, off + SEQID_OFFSET, seqid);
  }

  /** Writes seqid and type (a 16-bit value: for short parity {@code 0xf3 | k << 8}). */
  public static void putHeader(byte[] b, int off, int seqid, int type) {
    INT_LE.set(b, off + SEQID_OFFSET, seqid);
    SHORT_LE.set(b, off + TYPE_OFFSET, (short) type);
  }

  static void putSize(byte[] b, int off, int size) {
    SHORT_LE.set(b, off + SIZE_OFFSET, (short) size);
  }

  static int u16(byte[] b, int at) {
    return (short) SHORT_LE.get(b, at) & 0xffff;
  }
}
