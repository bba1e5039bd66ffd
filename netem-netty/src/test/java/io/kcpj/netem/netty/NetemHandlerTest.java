package io.kcpj.netem.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.loss.BernoulliLoss;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.TimeUnits;
import io.kcpj.netem.timeline.Scope;
import io.kcpj.netem.timeline.Timeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ResourceLeakDetector;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link NetemHandler} on an {@code EmbeddedChannel} with a frozen, manually advanced clock. Every
 * buffer the test allocates is tracked: after each test all of them must be fully released
 * (reference count 0), and the paranoid leak detector must have reported nothing.
 */
class NetemHandlerTest {
  private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 1000);
  private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 2000);

  private final List<ByteBuf> allocated = new ArrayList<>();

  @BeforeAll
  static void paranoid() {
    LeakRecorder.install();
    assertEquals(
        ResourceLeakDetector.Level.PARANOID,
        LeakRecorder.level(),
        "surefire must run with -Dio.netty.leakDetection.level=paranoid");
  }

  @AfterEach
  void everyBufferReleasedAndNoLeakReported() {
    for (ByteBuf b : allocated) {
      assertEquals(0, b.refCnt(), "a buffer was not released");
    }
    LeakRecorder.collectAndPoll(3);
    assertEquals(List.of(), LeakRecorder.drain());
  }

  private ByteBuf buffer(int size, int seed) {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(size);
    for (int i = 0; i < size; i++) {
      b.writeByte(seed + i);
    }
    allocated.add(b);
    return b;
  }

  private DatagramPacket inbound(int size, int seed) {
    return new DatagramPacket(buffer(size, seed), LOCAL, REMOTE);
  }

  private DatagramPacket outbound(int size, int seed) {
    return new DatagramPacket(buffer(size, seed), REMOTE, LOCAL);
  }

  private static EmbeddedChannel channel(NetemHandler handler) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addFirst(handler);
    return ch;
  }

  private static void advance(EmbeddedChannel ch, long millis) {
    ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  private static DirectionProfile delay(long ms) {
    return DirectionProfile.builder().delay(DelayModel.constant(TimeUnits.millis(ms))).build();
  }

  @Test
  void inboundPacketsArriveAfterTheirDelay() {
    EmbeddedChannel ch = channel(NetemHandler.builder().inbound(delay(100)).build());
    DatagramPacket p = inbound(32, 1);
    ch.writeInbound(p);
    assertNull(ch.readInbound());
    advance(ch, 99);
    assertNull(ch.readInbound());
    advance(ch, 1);
    DatagramPacket got = ch.readInbound();
    assertSame(p, got, "an unimpaired packet is passed on as is");
    assertEquals(REMOTE, got.sender());
    got.release();
    assertFalse(ch.finish());
  }

  @Test
  void outboundPacketsLeaveAfterTheirDelayAndThePromiseSucceedsAtOnce() {
    EmbeddedChannel ch = channel(NetemHandler.builder().outbound(delay(40)).build());
    ChannelFuture f = ch.writeAndFlush(outbound(10, 2));
    assertTrue(f.isSuccess());
    assertNull(ch.readOutbound());
    advance(ch, 40);
    DatagramPacket got = ch.readOutbound();
    assertNotNull(got);
    assertEquals(REMOTE, got.recipient());
    got.release();
    assertFalse(ch.finish());
  }

  @Test
  void anIdealDirectionAndOtherMessagesPassStraightThrough() {
    EmbeddedChannel ch = channel(NetemHandler.builder().inbound(delay(10)).build());
    DatagramPacket out = outbound(10, 3);
    ch.writeOutbound(out);
    DatagramPacket sent = ch.readOutbound();
    assertSame(out, sent, "no delay for the ideal outbound direction");
    sent.release();
    ByteBuf raw = buffer(4, 4);
    ch.writeInbound(raw);
    ByteBuf rawGot = ch.readInbound();
    assertSame(raw, rawGot);
    rawGot.release();
    assertFalse(ch.finish());
  }

  @Test
  void droppedPacketsAreReleased() {
    EmbeddedChannel ch =
        channel(
            NetemHandler.builder()
                .inbound(DirectionProfile.builder().loss(BernoulliLoss.of(1.0)).build())
                .outbound(DirectionProfile.builder().maxPacketSize(10).build())
                .build());
    NetemHandler h = ch.pipeline().get(NetemHandler.class);
    for (int i = 0; i < 10; i++) {
      ch.writeInbound(inbound(20, i));
      ch.writeOutbound(outbound(20, i));
    }
    advance(ch, 1000);
    assertNull(ch.readInbound());
    assertNull(ch.readOutbound());
    assertEquals(10, h.inboundStats().droppedLoss());
    assertEquals(10, h.outboundStats().droppedSize());
    assertFalse(ch.finish());
  }

  @Test
  void duplicatesShareMemoryAndAreReleasedIndependently() {
    EmbeddedChannel ch =
        channel(
            NetemHandler.builder()
                .inbound(
                    DirectionProfile.builder()
                        .duplicate(1.0)
                        .delay(DelayModel.uniform(TimeUnits.millis(20), TimeUnits.millis(5)))
                        .build())
                .build());
    ch.writeInbound(inbound(64, 5));
    advance(ch, 100);
    DatagramPacket a = ch.readInbound();
    DatagramPacket b = ch.readInbound();
    assertNotNull(a);
    assertNotNull(b);
    assertNull(ch.readInbound());
    assertEquals(a.content(), b.content());
    a.release();
    assertTrue(b.content().refCnt() > 0, "releasing one copy must not free the other");
    b.release();
    assertFalse(ch.finish());
  }

  @Test
  void corruptionFlipsOneBitOfACopyAndReleasesTheOriginal() {
    EmbeddedChannel ch =
        channel(
            NetemHandler.builder()
                .inbound(DirectionProfile.builder().corrupt(1.0).build())
                .seed(3)
                .build());
    ByteBuf expected = Unpooled.buffer(128);
    for (int i = 0; i < 128; i++) {
      expected.writeByte(7 + i);
    }
    DatagramPacket p = inbound(128, 7);
    ByteBuf original = p.content();
    ch.writeInbound(p);
    advance(ch, 1);
    DatagramPacket got = ch.readInbound();
    assertEquals(0, original.refCnt(), "the original is released after copying");
    int bits = 0;
    for (int i = 0; i < 128; i++) {
      bits += Integer.bitCount((got.content().getByte(i) ^ expected.getByte(i)) & 0xff);
    }
    assertEquals(1, bits);
    assertEquals(REMOTE, got.sender());
    got.release();
    expected.release();
    assertFalse(ch.finish());
  }

  @Test
  void closingTheChannelReleasesHeldPackets() {
    EmbeddedChannel ch =
        channel(NetemHandler.builder().inbound(delay(500)).outbound(delay(500)).build());
    for (int i = 0; i < 20; i++) {
      ch.writeInbound(inbound(100, i));
      ch.writeOutbound(outbound(100, i));
    }
    advance(ch, 100);
    assertNull(ch.readInbound());
    ch.close();
    assertFalse(ch.finish());
    // @AfterEach checks every buffer reached reference count 0.
  }

  @Test
  void removingTheHandlerReleasesHeldPackets() {
    EmbeddedChannel ch = channel(NetemHandler.builder().inbound(delay(500)).build());
    for (int i = 0; i < 5; i++) {
      ch.writeInbound(inbound(100, i));
    }
    ch.pipeline().remove(NetemHandler.class);
    advance(ch, 1000);
    assertNull(ch.readInbound());
    assertFalse(ch.finish());
  }

  @Test
  void inboundRebindingMovesTheSendersApparentAddressAndRepliesReachTheRealOne() {
    Timeline t = Timeline.builder().rebind(Scope.DOWN, TimeUnits.millis(100)).build();
    EmbeddedChannel ch = channel(NetemHandler.builder().inbound(delay(1)).timeline(t).build());
    ch.writeInbound(inbound(8, 1));
    advance(ch, 50);
    DatagramPacket before = ch.readInbound();
    assertEquals(REMOTE, before.sender());
    before.release();
    advance(ch, 50);
    ch.writeInbound(inbound(8, 2));
    advance(ch, 1);
    DatagramPacket after = ch.readInbound();
    InetSocketAddress moved = new InetSocketAddress("127.0.0.1", 2001);
    assertEquals(moved, after.sender());
    after.release();
    ch.writeOutbound(new DatagramPacket(buffer(8, 3), moved));
    DatagramPacket reply = ch.readOutbound();
    assertEquals(REMOTE, reply.recipient(), "a reply to the new address goes to the real sender");
    reply.release();
    assertFalse(ch.finish());
  }

  @Test
  void outboundRebindingIsRejected() {
    Timeline t = Timeline.builder().rebind(Scope.UP, 0).build();
    assertThrows(IllegalArgumentException.class, () -> NetemHandler.builder().timeline(t).build());
  }

  @Test
  void aMixedRunUnderLoadLeaksNothing() {
    EmbeddedChannel ch =
        channel(
            NetemHandler.builder()
                .profile(
                    Profile.parse(
                        "delay=30ms,jitter=20ms,loss=ge:0.05:0.3,duplicate=10%,"
                            + "corrupt=5%,reorder=10%,rate=500kbit,queue=20p"))
                .seed(9)
                .build());
    NetemHandler h = ch.pipeline().get(NetemHandler.class);
    int received = 0;
    int sent = 0;
    for (int round = 0; round < 200; round++) {
      ch.writeInbound(inbound(200 + round, round));
      ch.writeOutbound(outbound(300, round));
      advance(ch, 3);
      for (Object m; (m = ch.readInbound()) != null; ) {
        ((DatagramPacket) m).release();
        received++;
      }
      for (Object m; (m = ch.readOutbound()) != null; ) {
        ((DatagramPacket) m).release();
        sent++;
      }
    }
    assertTrue(received > 0 && sent > 0);
    assertTrue(
        h.inboundStats().duplicated() > 0
            && h.inboundStats().corrupted() > 0
            && h.inboundStats().droppedLoss() > 0
            && h.outboundStats().droppedQueue() > 0,
        h.inboundStats() + " / " + h.outboundStats());
    ch.close();
    assertFalse(ch.finish());
  }
}
