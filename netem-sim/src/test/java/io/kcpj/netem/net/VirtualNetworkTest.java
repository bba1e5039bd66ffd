package io.kcpj.netem.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.TimeUnits;
import io.kcpj.netem.time.VirtualScheduler;
import io.kcpj.netem.timeline.Scope;
import io.kcpj.netem.timeline.Timeline;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualNetworkTest {
  private static final long MS = TimeUnits.NANOS_PER_MILLI;
  private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 4000);
  private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 5000);

  private record Arrival(long at, InetSocketAddress source, byte[] data) {}

  @Test
  void datagramsTakeTheLinksDelayInEachDirection() {
    VirtualScheduler clock = new VirtualScheduler();
    VirtualNetwork net = new VirtualNetwork(clock);
    List<Arrival> atA = new ArrayList<>();
    List<Arrival> atB = new ArrayList<>();
    Endpoint a = net.endpoint(A, (src, d) -> atA.add(new Arrival(clock.nowNanos(), src, d)));
    Endpoint b = net.endpoint(B);
    b.onReceive(
        (src, d) -> {
          atB.add(new Arrival(clock.nowNanos(), src, d));
          b.send(src, d); // echo
        });
    net.link(
        A,
        B,
        Profile.builder()
            .up(DirectionProfile.builder().delay(DelayModel.constant(30 * MS)).build())
            .down(DirectionProfile.builder().delay(DelayModel.constant(70 * MS)).build())
            .build(),
        1);
    byte[] payload = {1, 2, 3, 4};
    a.send(B, payload, 1, 2);
    payload[1] = 99; // the network copied the bytes at send time
    clock.runUntilIdle();
    assertEquals(1, atB.size());
    assertEquals(30 * MS, atB.get(0).at());
    assertEquals(A, atB.get(0).source());
    assertArrayEquals(new byte[] {2, 3}, atB.get(0).data());
    assertEquals(1, atA.size());
    assertEquals(100 * MS, atA.get(0).at());
    assertEquals(B, atA.get(0).source());
    assertEquals(1, a.sentCount());
    assertEquals(1, b.receivedCount());
  }

  @Test
  void aByteBufferIsCopiedWithoutMovingItsPosition() {
    VirtualScheduler clock = new VirtualScheduler();
    VirtualNetwork net = new VirtualNetwork(clock);
    List<byte[]> got = new ArrayList<>();
    Endpoint a = net.endpoint(A);
    net.endpoint(B, (src, d) -> got.add(d));
    net.link(A, B, Profile.ideal(), 1);
    ByteBuffer buf = ByteBuffer.wrap(new byte[] {9, 8, 7});
    buf.position(1);
    a.send(B, buf);
    assertEquals(1, buf.position());
    clock.runUntilIdle();
    assertArrayEquals(new byte[] {8, 7}, got.get(0));
  }

  @Test
  void rebindingChangesTheSourceTheReceiverSeesAndRepliesStillArrive() {
    VirtualScheduler clock = new VirtualScheduler();
    VirtualNetwork net = new VirtualNetwork(clock);
    List<Arrival> atA = new ArrayList<>();
    List<Arrival> atB = new ArrayList<>();
    net.endpoint(A, (src, d) -> atA.add(new Arrival(clock.nowNanos(), src, d)));
    Endpoint b = net.endpoint(B);
    b.onReceive(
        (src, d) -> {
          atB.add(new Arrival(clock.nowNanos(), src, d));
          b.send(src, d);
        });
    Timeline t =
        Timeline.builder()
            .rebind(Scope.UP, 1000 * MS)
            .rebind(Scope.UP, 2000 * MS, new InetSocketAddress("10.0.0.77", 6000))
            .build();
    net.link(
        A,
        B,
        Profile.builder()
            .both(DirectionProfile.builder().delay(DelayModel.constant(10 * MS)).build())
            .timeline(t)
            .build(),
        1);
    Endpoint a = net.endpoints().get(0);
    for (long at = 0; at < 3000; at += 500) {
      clock.runUntil(at * MS);
      a.send(B, new byte[] {(byte) (at / 500)});
    }
    clock.runUntilIdle();
    List<InetSocketAddress> sources = new ArrayList<>();
    for (Arrival x : atB) {
      sources.add(x.source());
    }
    InetSocketAddress moved = new InetSocketAddress("10.0.0.1", 4001);
    InetSocketAddress moved2 = new InetSocketAddress("10.0.0.77", 6000);
    assertEquals(List.of(A, A, moved, moved, moved2, moved2), sources);
    assertEquals(6, atA.size(), "replies to rebound addresses reach the real endpoint");
    for (Arrival x : atA) {
      assertEquals(B, x.source());
    }
    assertEquals(moved2, net.apparentAddress(A, B));
    assertEquals(B, net.apparentAddress(B, A));
    // The old address still routes to A.
    b.send(A, new byte[] {42});
    clock.runUntilIdle();
    assertEquals(7, atA.size());
  }

  @Test
  void misconfigurationIsReported() {
    VirtualNetwork net = new VirtualNetwork(new VirtualScheduler());
    Endpoint a = net.endpoint(A);
    net.endpoint(B);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.send(B, new byte[1]));
    assertTrue(e.getMessage().contains("no link between"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> a.send(new InetSocketAddress("10.9.9.9", 1), new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> net.endpoint(A));
    net.link(A, B, Profile.ideal(), 1);
    assertThrows(IllegalArgumentException.class, () -> net.link(B, A, Profile.ideal(), 1));
    assertNotNull(net.linkBetween(B, A));
    a.close();
    assertThrows(IllegalStateException.class, () -> a.send(B, new byte[1]));
  }

  @Test
  void aDifferentSeedGivesDifferentFatesTheSameSeedTheSame() {
    assertEquals(fates(5), fates(5));
    assertNotEquals(fates(5), fates(6));
  }

  private static List<Long> fates(long seed) {
    VirtualScheduler clock = new VirtualScheduler();
    VirtualNetwork net = new VirtualNetwork(clock);
    List<Long> arrivals = new ArrayList<>();
    Endpoint a = net.endpoint(A);
    net.endpoint(B, (src, d) -> arrivals.add(clock.nowNanos()));
    net.link(A, B, Profile.named("kcp-test"), seed);
    for (int i = 0; i < 500; i++) {
      clock.runUntil(i * 5 * MS);
      a.send(B, new byte[100]);
    }
    clock.runUntilIdle();
    return arrivals;
  }
}
