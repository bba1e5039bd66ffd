package io.kcpj.core.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Flyweight over the 24-byte KCP segment header: named little-endian offsets and static accessors
 * that read and write a header in place inside a {@code byte[]}, with no parsed object.
 *
 * <pre>
 *  off size field
 *   0   4   conv  conversation id
 *   4   1   cmd   {@link #CMD_PUSH} 81, {@link #CMD_ACK} 82, {@link #CMD_WASK} 83, {@link #CMD_WINS} 84
 *                 (kcpj's delivery extension adds 85..88, docs/wire-extensions.md)
 *   5   1   frg   fragments still to come in this message (0 in stream mode and for non-PUSH)
 *   6   2   wnd   sender's free receive window, in segments
 *   8   4   ts    PUSH: sender's clock at this transmission; ACK: echo of the acked PUSH's ts
 *  12   4   sn    PUSH: sequence number; ACK: sn acknowledged
 *  16   4   una   every sn below this has been received by the sender of this segment
 *  20   4   len   payload bytes following the header
 * </pre>
 *
 * <p>WASK and WINS carry no meaningful ts or sn: as in the reference, they repeat those of the last
 * ACK of the same flush (0 if none), and receivers ignore them. The protocol in full: {@code
 * docs/kcp-protocol.md}.
 *
 * <p>All 32-bit fields are unsigned on the wire; in Java they are carried in {@code int}s and
 * compared with {@code (int) (a - b)} (see {@link io.kcpj.core.Seq}). The class holds no state and
 * owns no buffer: the caller owns the array and guarantees {@code off + HEADER_SIZE <=
 * array.length}.
 */
public final class SegmentHeader {
  /** Bytes in one segment header (ikcp's {@code IKCP_OVERHEAD}). */
  public static final int HEADER_SIZE = 24;

  public static final int CONV_OFFSET = 0;
  public static final int CMD_OFFSET = 4;
  public static final int FRG_OFFSET = 5;
  public static final int WND_OFFSET = 6;
  public static final int TS_OFFSET = 8;
  public static final int SN_OFFSET = 12;
  public static final int UNA_OFFSET = 16;
  public static final int LEN_OFFSET = 20;

  /** Data segment. */
  public static final int CMD_PUSH = 81;

  /** Acknowledgement of one PUSH segment. */
  public static final int CMD_ACK = 82;

  /** Window probe: asks the peer to tell its window. */
  public static final int CMD_WASK = 83;

  /** Window tell: carries the sender's window and nothing else. */
  public static final int CMD_WINS = 84;

  /**
   * kcpj extension (docs/wire-extensions.md): first (or only) fragment of an unordered message.
   * Accepted only when the delivery extension is on.
   */
  public static final int CMD_UPUSH = 85;

  /** kcpj extension: a later fragment of an unordered message. */
  public static final int CMD_UPUSH_MORE = 86;

  /** kcpj extension: first (or only) fragment of a sequenced (latest-wins) message. */
  public static final int CMD_SPUSH = 87;

  /** kcpj extension: a later fragment of a sequenced message. */
  public static final int CMD_SPUSH_MORE = 88;

  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private SegmentHeader() {}

  /** Whether {@code cmd} is one of the four commands the protocol defines. */
  public static boolean isKnownCommand(int cmd) {
    return cmd >= CMD_PUSH && cmd <= CMD_WINS;
  }

  /** Whether {@code cmd} is one of the delivery extension's data commands (85–88). */
  public static boolean isDeliveryExtension(int cmd) {
    return cmd >= CMD_UPUSH && cmd <= CMD_SPUSH_MORE;
  }

  /**
   * Whether {@code cmd} is a data segment: the reference's {@link #CMD_PUSH} or one of the delivery
   * extension's unordered and sequenced commands (85–88). Every data segment takes a sequence
   * number from the same space, is acknowledged by an ACK and retransmitted until it is; code that
   * reasons about data on the wire (what opens a conversation, what the peer will acknowledge, what
   * is a retransmission) must use this rather than compare with {@code CMD_PUSH}. Says nothing
   * about whether a receiver accepts the extension's commands.
   */
  public static boolean isData(int cmd) {
    return cmd == CMD_PUSH || isDeliveryExtension(cmd);
  }

  public static int conv(byte[] b, int off) {
    return (int) INT_LE.get(b, off + CONV_OFFSET);
  }

  public static int cmd(byte[] b, int off) {
    return b[off + CMD_OFFSET] & 0xff;
  }

  public static int frg(byte[] b, int off) {
    return b[off + FRG_OFFSET] & 0xff;
  }

  public static int wnd(byte[] b, int off) {
    return (short) SHORT_LE.get(b, off + WND_OFFSET) & 0xffff;
  }

  public static int ts(byte[] b, int off) {
    return (int) INT_LE.get(b, off + TS_OFFSET);
  }

  public static int sn(byte[] b, int off) {
    return (int) INT_LE.get(b, off + SN_OFFSET);
  }

  public static int una(byte[] b, int off) {
    return (int) INT_LE.get(b, off + UNA_OFFSET);
  }

  /** The payload length as the unsigned 32-bit value on the wire. */
  public static long len(byte[] b, int off) {
    return Integer.toUnsignedLong((int) INT_LE.get(b, off + LEN_OFFSET));
  }

  /**
   * Writes a whole header at {@code off}. {@code wnd} is truncated to 16 bits and {@code frg} and
   * {@code cmd} to 8 bits, as the wire format holds them.
   */
  public static void write(
      byte[] b, int off, int conv, int cmd, int frg, int wnd, int ts, int sn, int una, int len) {
    INT_LE.set(b, off + CONV_OFFSET, conv);
    b[off + CMD_OFFSET] = (byte) cmd;
    b[off + FRG_OFFSET] = (byte) frg;
    SHORT_LE.set(b, off + WND_OFFSET, (short) wnd);
    INT_LE.set(b, off + TS_OFFSET, ts);
    INT_LE.set(b, off + SN_OFFSET, sn);
    INT_LE.set(b, off + UNA_OFFSET, una);
    INT_LE.set(b, off + LEN_OFFSET, len);
  }
}
