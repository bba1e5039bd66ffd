package io.kcpj.core;

import static io.kcpj.core.wire.SegmentHeader.CMD_PUSH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * PUSH segments whose fragment counts disagree (a peer or an attacker may send any frg): the engine
 * does what {@code ikcp_peeksize} and {@code ikcp_recv} do. A message is taken from the head of the
 * receive queue once the queue holds at least {@code head.frg + 1} segments; it ends at the first
 * segment with frg 0 or, when there is none, at the end of the queue. It never reads past the queue
 * and never throws.
 */
class InconsistentFragmentsTest {
  private static final int CONV = 0x5eed;

  private static byte[] push(int frg, int sn, int una, byte... data) {
    return Captured.segment(CONV, CMD_PUSH, frg, 128, 0, sn, una, data);
  }

  /** The 75-byte datagram of the report: three in-order PUSH segments with frg 2, 5, 5. */
  private static byte[] frg255() {
    return Captured.concat(
        push(2, 0, 0, (byte) 'a'), push(5, 1, 0, (byte) 'b'), push(5, 2, 0, (byte) 'c'));
  }

  @Test
  void frg255InOneDatagramIsReceivedAsOneMessageEndingAtTheQueueEnd() {
    Kcp k = new Kcp(CONV, new Captured());
    byte[] dg = frg255();
    assertEquals(75, dg.length);
    assertEquals(Kcp.INPUT_OK, k.input(dg, 0, dg.length));
    assertEquals(3, k.receiveQueueSize());
    // ikcp_peeksize: the queue holds head.frg + 1 = 3 segments; no frg 0 follows, so the sum of
    // everything queued.
    assertEquals(3, k.peekSize());
    byte[] got = new byte[16];
    assertEquals(3, k.recv(got, 0, got.length));
    assertArrayEquals(new byte[] {'a', 'b', 'c'}, Arrays.copyOf(got, 3));
    assertEquals(0, k.receiveQueueSize());
    assertEquals(-1, k.peekSize());
    assertEquals(Kcp.RECV_EMPTY, k.recv(got, 0, got.length));
    assertEquals(3, k.rcvNxt());
  }

  @Test
  void theByteBufferPathStopsAtTheQueueEndToo() {
    Kcp k = new Kcp(CONV, new Captured());
    byte[] dg = frg255();
    k.input(dg, 0, dg.length);
    ByteBuffer dst = ByteBuffer.allocateDirect(8);
    assertEquals(3, k.recv(dst));
    assertEquals(3, dst.position());
    assertEquals(0, k.receiveQueueSize());
  }

  @Test
  void theSessionKeepsWorkingAfterwardsAndRepeatsCannotBreakIt() {
    Captured out = new Captured();
    Kcp k = new Kcp(CONV, out);
    byte[] got = new byte[64];
    for (int round = 0; round < 3; round++) {
      byte[] dg = frg255();
      // Round 0 delivers; later rounds are repeats below rcvNxt: acknowledged, not delivered.
      k.input(dg, 0, dg.length);
      int n = k.recv(got, 0, got.length);
      assertEquals(round == 0 ? 3 : Kcp.RECV_EMPTY, n);
    }
    byte[] next = push(0, 3, 0, (byte) 'x', (byte) 'y');
    k.input(next, 0, next.length);
    assertEquals(2, k.recv(got, 0, got.length));
    assertArrayEquals(new byte[] {'x', 'y'}, Arrays.copyOf(got, 2));
    k.update(0);
    k.update(100);
    assertEquals(4, k.rcvNxt());
  }

  @Test
  void aHeadClaimingMoreFragmentsThanQueuedIsIncomplete() {
    Kcp k = new Kcp(CONV, new Captured());
    // head frg 5 and only three segments, the last with frg 0: ikcp waits for 6 segments.
    byte[] dg = Captured.concat(push(5, 0, 0, (byte) 1), push(0, 1, 0, (byte) 2), push(0, 2, 0));
    k.input(dg, 0, dg.length);
    assertEquals(-1, k.peekSize());
    assertEquals(Kcp.RECV_INCOMPLETE, k.recv(new byte[16], 0, 16));
    // Three more segments complete the count; the message still ends at the first frg 0 (sn 1).
    byte[] more = Captured.concat(push(9, 3, 0, (byte) 4), push(9, 4, 0), push(9, 5, 0));
    k.input(more, 0, more.length);
    assertEquals(2, k.peekSize());
    byte[] got = new byte[16];
    assertEquals(2, k.recv(got, 0, 16));
    assertArrayEquals(new byte[] {1, 2}, Arrays.copyOf(got, 2));
    // Next head is sn 2 (frg 0, empty): a zero-length message.
    assertEquals(0, k.recv(got, 0, 16));
    // Then sn 3 with frg 9 and only three queued: incomplete again, nothing thrown.
    assertEquals(Kcp.RECV_INCOMPLETE, k.recv(got, 0, 16));
    assertEquals(3, k.receiveQueueSize());
  }

  @Test
  void aBufferTooSmallForTheRunTakesNothing() {
    Kcp k = new Kcp(CONV, new Captured());
    byte[] dg = frg255();
    k.input(dg, 0, dg.length);
    assertEquals(Kcp.RECV_BUFFER_TOO_SMALL, k.recv(new byte[2], 0, 2));
    assertEquals(3, k.receiveQueueSize());
  }
}
