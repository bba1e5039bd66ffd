package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target of the frame decoder (docs/fuzzing.md): any plaintext. Nothing throws; a parse that
 * succeeds puts the PAYLOAD inside the input and re-encoding the frames it found parses to the same
 * result.
 */
class FrameParserFuzzTest {
  private final FrameParser parser = new FrameParser();
  private final FrameParser again = new FrameParser();

  @FuzzTest(maxDuration = "30s")
  void anyPlaintextParsesOrIsRefused(byte[] input) {
    int off = input.length > 0 ? (input[0] & 3) : 0;
    int len = Math.max(0, input.length - off);
    if (!parser.parse(input, off, len)) {
      return;
    }
    FrameParser f = parser;
    if (f.payloadOffset >= 0) {
      assertTrue(f.payloadOffset >= off && f.payloadOffset + f.payloadLength == off + len);
    }
    byte[] b = new byte[64 + Math.max(0, f.payloadLength)];
    int p = 0;
    if (f.ping) {
      p = Frames.writeType(b, p, Frames.PING);
    }
    if (f.close) {
      p = Frames.writeType(b, p, Frames.CLOSE);
    }
    if (f.closeAck) {
      p = Frames.writeType(b, p, Frames.CLOSE_ACK);
    }
    if (f.abort) {
      p = Frames.writeAbort(b, p, f.abortCode);
    }
    if (f.challenge) {
      p = Frames.writePath(b, p, Frames.PATH_CHALLENGE, f.challengeData);
    }
    if (f.response) {
      p = Frames.writePath(b, p, Frames.PATH_RESPONSE, f.responseData);
    }
    if (f.payloadOffset >= 0) {
      p = Frames.writeType(b, p, Frames.PAYLOAD);
      System.arraycopy(input, f.payloadOffset, b, p, f.payloadLength);
      p += f.payloadLength;
    }
    if (p == 0) {
      p = Frames.writeType(b, p, Frames.PADDING);
    }
    assertTrue(again.parse(b, 0, p));
    assertEquals(f.ping, again.ping);
    assertEquals(f.close, again.close);
    assertEquals(f.closeAck, again.closeAck);
    assertEquals(f.abort, again.abort);
    assertEquals(f.abortCode, again.abortCode);
    assertEquals(f.challenge, again.challenge);
    assertEquals(f.challengeData, again.challengeData);
    assertEquals(f.response, again.response);
    assertEquals(f.responseData, again.responseData);
    assertEquals(f.payloadLength, again.payloadLength);
    assertEquals(f.nonProbing, again.nonProbing);
  }
}
