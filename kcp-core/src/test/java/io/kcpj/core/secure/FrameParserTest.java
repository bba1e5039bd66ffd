package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Frame decoding: every frame type, combinations, and every malformed shape. */
class FrameParserTest {
  private final FrameParser f = new FrameParser();

  @Test
  void readsEveryFrame() {
    byte[] b = new byte[64];
    int p = Frames.writeType(b, 0, Frames.PADDING);
    p = Frames.writeType(b, p, Frames.PING);
    p = Frames.writeType(b, p, Frames.CLOSE);
    p = Frames.writeType(b, p, Frames.CLOSE_ACK);
    p = Frames.writeAbort(b, p, 0xBEEF);
    p = Frames.writePath(b, p, Frames.PATH_CHALLENGE, 0x0102030405060708L);
    p = Frames.writePath(b, p, Frames.PATH_RESPONSE, -2L);
    p = Frames.writeType(b, p, Frames.PAYLOAD);
    b[p++] = 42;
    b[p++] = 43;
    assertTrue(f.parse(b, 0, p));
    assertTrue(f.ping && f.close && f.closeAck && f.abort && f.challenge && f.response);
    assertEquals(0xBEEF, f.abortCode);
    assertEquals(0x0102030405060708L, f.challengeData);
    assertEquals(-2L, f.responseData);
    assertEquals(p - 2, f.payloadOffset);
    assertEquals(2, f.payloadLength);
    assertTrue(f.nonProbing);
  }

  @Test
  void anEmptyPayloadIsAllowedAndProbingFramesAreProbing() {
    byte[] b = {Frames.PAYLOAD};
    assertTrue(f.parse(b, 0, 1));
    assertEquals(1, f.payloadOffset);
    assertEquals(0, f.payloadLength);
    byte[] probe = new byte[10];
    Frames.writePath(probe, 0, Frames.PATH_CHALLENGE, 7);
    assertTrue(f.parse(probe, 0, 10)); // challenge + one PADDING
    assertFalse(f.nonProbing);
  }

  @Test
  void malformedRecordsAreRejectedWhole() {
    assertFalse(f.parse(new byte[0], 0, 0), "empty");
    assertFalse(f.parse(new byte[] {0x08}, 0, 1), "unknown type");
    assertFalse(f.parse(new byte[] {(byte) 0xFF}, 0, 1), "unknown type");
    assertFalse(f.parse(new byte[] {Frames.PING, Frames.ABORT, 1}, 0, 3), "truncated ABORT");
    byte[] path = new byte[9];
    Frames.writePath(path, 0, Frames.PATH_RESPONSE, 1);
    for (int len = 1; len < 9; len++) {
      assertFalse(f.parse(path, 0, len), "truncated PATH_RESPONSE of " + len);
    }
    assertFalse(f.parse(new byte[4], 2, 3), "out of bounds");
  }
}
