package io.kcpj.core.secure;

/**
 * Decodes the frames of one record's plaintext into flags and values, without acting on any of
 * them: the session acts only after the whole record parsed (a malformed record acts on nothing).
 *
 * <p>Reusable: {@link #parse} resets every field. Never throws on any input. Not thread-safe; one
 * per session or per thread.
 */
public final class FrameParser {
  /** A PING was present. */
  public boolean ping;

  /** A CLOSE was present. */
  public boolean close;

  /** A CLOSE_ACK was present. */
  public boolean closeAck;

  /** An ABORT was present; its code (the first one's) is {@link #abortCode}. */
  public boolean abort;

  public int abortCode;

  /** A PATH_CHALLENGE was present; the last one's data is {@link #challengeData}. */
  public boolean challenge;

  public long challengeData;

  /** A PATH_RESPONSE was present; the last one's data is {@link #responseData}. */
  public boolean response;

  public long responseData;

  /** Offset of the PAYLOAD's inner datagram in the parsed array, or -1 if none. */
  public int payloadOffset;

  /** Length of the PAYLOAD's inner datagram (0 if none). */
  public int payloadLength;

  /** Whether any frame other than PADDING, PATH_CHALLENGE and PATH_RESPONSE was present. */
  public boolean nonProbing;

  /**
   * Parses {@code b[off, off + len)}. Returns {@code false} (malformed) on an empty plaintext, an
   * unknown frame type or a truncated frame; the fields are then meaningless.
   */
  public boolean parse(byte[] b, int off, int len) {
    ping = close = closeAck = abort = challenge = response = nonProbing = false;
    abortCode = 0;
    challengeData = responseData = 0;
    payloadOffset = -1;
    payloadLength = 0;
    if (len < 1 || off < 0 || off + len > b.length) {
      return false;
    }
    int pos = off;
    int end = off + len;
    while (pos < end) {
      int type = b[pos] & 0xff;
      switch (type) {
        case Frames.PADDING:
          pos++;
          break;
        case Frames.PING:
          ping = true;
          nonProbing = true;
          pos++;
          break;
        case Frames.PAYLOAD:
          payloadOffset = pos + 1;
          payloadLength = end - payloadOffset;
          nonProbing = true;
          return true;
        case Frames.CLOSE:
          close = true;
          nonProbing = true;
          pos++;
          break;
        case Frames.CLOSE_ACK:
          closeAck = true;
          nonProbing = true;
          pos++;
          break;
        case Frames.ABORT:
          if (end - pos < Frames.ABORT_SIZE) {
            return false;
          }
          if (!abort) {
            abortCode = SecureWire.getShortLe(b, pos + 1);
          }
          abort = true;
          nonProbing = true;
          pos += Frames.ABORT_SIZE;
          break;
        case Frames.PATH_CHALLENGE:
        case Frames.PATH_RESPONSE:
          if (end - pos < Frames.PATH_FRAME_SIZE) {
            return false;
          }
          long data = SecureWire.getLongLe(b, pos + 1);
          if (type == Frames.PATH_CHALLENGE) {
            challenge = true;
            challengeData = data;
          } else {
            response = true;
            responseData = data;
          }
          pos += Frames.PATH_FRAME_SIZE;
          break;
        default:
          return false;
      }
    }
    return true;
  }
}
