package io.kcpj.core.secure;

import java.nio.ByteBuffer;

/**
 * The secure-session wire format (docs/secure-sessions.md, section 4): type codes, named offsets
 * and sizes, and little-endian accessors over arrays and buffers. No state, no parsed objects.
 *
 * <pre>
 * INITIATION  0 type 0x01 | 1 version | 2 suite | 3 reserved | 4 client id (4) | 8 token length (2)
 *             | 10 token (T) | 10+T Noise message 1 (56)
 * RESPONSE    0 type 0x02 | 1 reserved (3) | 4 receiver id = client id (4) | 8 Noise message 2 (72)
 * RETRY       0 type 0x03 | 1 reserved (3) | 4 receiver id = client id (4) | 8 token length (2)
 *             | 10 token (T)
 * TRANSPORT   0 type 0x04 | 1 receiver id (4) | 5 packet number, low 32 bits (4) | 9 ciphertext
 *             | tag (16)       associated data = bytes [0, 9)
 * </pre>
 */
public final class SecureWire {
  public static final int TYPE_INITIATION = 0x01;
  public static final int TYPE_RESPONSE = 0x02;
  public static final int TYPE_RETRY = 0x03;
  public static final int TYPE_TRANSPORT = 0x04;

  /** The only protocol version defined. */
  public static final int VERSION = 0x01;

  public static final int TYPE_OFFSET = 0;

  public static final int INITIATION_VERSION_OFFSET = 1;
  public static final int INITIATION_SUITE_OFFSET = 2;
  public static final int INITIATION_SENDER_OFFSET = 4;
  public static final int INITIATION_TOKEN_LENGTH_OFFSET = 8;
  public static final int INITIATION_TOKEN_OFFSET = 10;

  /** INITIATION bytes bound into the Noise prologue: [0, 8). */
  public static final int INITIATION_BOUND_SIZE = 8;

  public static final int RESPONSE_RECEIVER_OFFSET = 4;
  public static final int RESPONSE_NOISE_OFFSET = 8;

  public static final int RETRY_RECEIVER_OFFSET = 4;
  public static final int RETRY_TOKEN_LENGTH_OFFSET = 8;
  public static final int RETRY_TOKEN_OFFSET = 10;

  public static final int TRANSPORT_RECEIVER_OFFSET = 1;
  public static final int TRANSPORT_PACKET_NUMBER_OFFSET = 5;
  public static final int TRANSPORT_HEADER_SIZE = 9;

  /** AEAD tag bytes. */
  public static final int TAG_SIZE = 16;

  /** Bytes a record adds around its frames: header and tag (25). */
  public static final int RECORD_EXPANSION = TRANSPORT_HEADER_SIZE + TAG_SIZE;

  /** Smallest TRANSPORT datagram: header, one frame-type byte, tag. */
  public static final int MIN_TRANSPORT_SIZE = TRANSPORT_HEADER_SIZE + 1 + TAG_SIZE;

  /**
   * Bytes a record adds around the inner datagram it carries in a PAYLOAD frame: header, frame
   * type, tag (26). A transport lowers its engine's MTU by this much.
   */
  public static final int TRANSPORT_OVERHEAD = TRANSPORT_HEADER_SIZE + 1 + TAG_SIZE;

  /** Largest datagram the core reads or writes (the largest UDP payload fits). */
  public static final int MAX_DATAGRAM_SIZE = 65_535;

  /**
   * Largest INITIATION a server reads (66 bytes today, 92 with a token; the rest is room for
   * reserved payload bytes). Larger ones are dropped before anything is copied or computed.
   */
  public static final int MAX_INITIATION_SIZE = 1_500;

  /** Noise message 1 size for every suite kcpj offers: e (32) + payload (8) + tag (16). */
  public static final int NOISE_MESSAGE1_SIZE = 32 + 8 + TAG_SIZE;

  /** Noise message 2 size: e (32) + payload (24) + tag (16). */
  public static final int NOISE_MESSAGE2_SIZE = 32 + 24 + TAG_SIZE;

  /** ASCII label at the start of the Noise prologue. */
  public static final String PROLOGUE_LABEL = "kcpj-secure/1";

  private SecureWire() {}

  /** The type byte of a datagram (its first byte), or -1 if it is empty. Position unchanged. */
  public static int type(ByteBuffer datagram) {
    return datagram.remaining() < 1 ? -1 : datagram.get(datagram.position()) & 0xff;
  }

  /**
   * The receiver id of a TRANSPORT datagram (what a server routes by), as an unsigned value, or -1
   * if the datagram is not a TRANSPORT datagram of at least {@link #MIN_TRANSPORT_SIZE} bytes.
   */
  public static long transportReceiverId(ByteBuffer datagram) {
    if (datagram.remaining() < MIN_TRANSPORT_SIZE || type(datagram) != TYPE_TRANSPORT) {
      return -1;
    }
    return getIntLe(datagram, datagram.position() + TRANSPORT_RECEIVER_OFFSET) & 0xFFFF_FFFFL;
  }

  /**
   * The client session id of an INITIATION (to find a half-open session it retransmits), as an
   * unsigned value, or -1 if the datagram is too short to be one.
   */
  public static long initiationSenderId(ByteBuffer datagram) {
    if (datagram.remaining() < INITIATION_TOKEN_OFFSET || type(datagram) != TYPE_INITIATION) {
      return -1;
    }
    return getIntLe(datagram, datagram.position() + INITIATION_SENDER_OFFSET) & 0xFFFF_FFFFL;
  }

  public static int getIntLe(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  public static int getIntLe(ByteBuffer b, int index) {
    return (b.get(index) & 0xff)
        | (b.get(index + 1) & 0xff) << 8
        | (b.get(index + 2) & 0xff) << 16
        | (b.get(index + 3) & 0xff) << 24;
  }

  public static int getShortLe(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  public static long getLongLe(byte[] b, int off) {
    return (getIntLe(b, off) & 0xFFFF_FFFFL) | ((long) getIntLe(b, off + 4)) << 32;
  }

  public static void putIntLe(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  public static void putShortLe(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }

  public static void putLongLe(byte[] b, int off, long v) {
    putIntLe(b, off, (int) v);
    putIntLe(b, off + 4, (int) (v >>> 32));
  }
}
