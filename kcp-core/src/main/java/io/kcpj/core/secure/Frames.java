package io.kcpj.core.secure;

/**
 * Frame types of a record's plaintext and writers for them (docs/secure-sessions.md, section 6).
 *
 * <pre>
 * 0x00 PADDING         [type]
 * 0x01 PING            [type]
 * 0x02 PAYLOAD         [type][inner datagram: every remaining byte]   (last frame)
 * 0x03 CLOSE           [type]
 * 0x04 CLOSE_ACK       [type]
 * 0x05 ABORT           [type][code, 2 bytes LE]
 * 0x06 PATH_CHALLENGE  [type][8 bytes]
 * 0x07 PATH_RESPONSE   [type][8 bytes]
 * </pre>
 *
 * Stateless; writers put bytes into a caller's array and return the new offset.
 */
public final class Frames {
  public static final int PADDING = 0x00;
  public static final int PING = 0x01;
  public static final int PAYLOAD = 0x02;
  public static final int CLOSE = 0x03;
  public static final int CLOSE_ACK = 0x04;
  public static final int ABORT = 0x05;
  public static final int PATH_CHALLENGE = 0x06;
  public static final int PATH_RESPONSE = 0x07;

  /** Highest frame type defined. */
  public static final int MAX_TYPE = PATH_RESPONSE;

  public static final int ABORT_SIZE = 3;
  public static final int PATH_FRAME_SIZE = 9;

  private Frames() {}

  /** Writes a one-byte frame (PADDING, PING, CLOSE, CLOSE_ACK, PAYLOAD's type). */
  public static int writeType(byte[] b, int off, int type) {
    b[off] = (byte) type;
    return off + 1;
  }

  public static int writeAbort(byte[] b, int off, int code) {
    b[off] = (byte) ABORT;
    SecureWire.putShortLe(b, off + 1, code);
    return off + ABORT_SIZE;
  }

  /** Writes PATH_CHALLENGE or PATH_RESPONSE with its 8 bytes of data (little-endian). */
  public static int writePath(byte[] b, int off, int type, long data) {
    b[off] = (byte) type;
    SecureWire.putLongLe(b, off + 1, data);
    return off + PATH_FRAME_SIZE;
  }
}
