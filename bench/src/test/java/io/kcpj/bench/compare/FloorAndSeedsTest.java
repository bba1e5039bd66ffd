package io.kcpj.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.report.RunResult;
import io.kcpj.netem.profile.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The floor row's path and RTT, and link seeds derived by name. */
class FloorAndSeedsTest {

  @Test
  void theFloorOnAFixedDelayPathIsTwiceTheDelay() {
    Workload w = Workload.game(20, 100, 10_000);
    RunResult floor = new VirtualFloorRun(Profile.parse("delay=37ms"), w, 5).run();
    assertEquals(200, floor.latency().count());
    assertEquals(0, floor.messagesLost());
    // The virtual clock is exact (nanoseconds); the histogram keeps 3 significant digits.
    double tick = 0.1;
    assertEquals(74.0, floor.rttMillisAt(0), tick);
    assertEquals(74.0, floor.rttMillisAt(100), tick);
    assertEquals(74.0, floor.meanRttMillis(), tick);
    assertEquals("floor", floor.transport());
  }

  @Test
  void theFloorKeepsDelayJitterRateAndQueueAndDropsLossCorruptionAndBlackouts() {
    Profile p =
        Profile.parse(
            "delay=50ms,jitter=10ms,loss=ge:0.1:0.3,corrupt=1%,rate=1mbit,queue=64kb,"
                + "blackout=2s+1s,loss-step=5s+1s:50%,delay-step=3s+1s:200ms");
    Profile f = FloorProfile.of(p);
    assertEquals(p.up().delay(), f.up().delay());
    assertEquals(p.up().rate(), f.up().rate());
    assertEquals(p.up().queue(), f.up().queue());
    String spec = f.toSpec();
    assertTrue(spec.contains("delay=50ms") && spec.contains("jitter=10ms"), spec);
    assertTrue(spec.contains("rate=") && spec.contains("queue="), spec);
    assertTrue(spec.contains("delay-step"), spec);
    assertTrue(
        !spec.contains("loss") && !spec.contains("corrupt") && !spec.contains("blackout"), spec);
    // Over the handover preset (3 s blackout) the floor loses nothing and stays at 50 ms.
    RunResult r =
        new VirtualFloorRun(Profile.named("handover"), Workload.game(20, 100, 20_000), 1).run();
    assertEquals(0, r.messagesLost());
    assertEquals(50.0, r.rttMillisAt(100), 0.1);
  }

  @Test
  void linkSeedsDependOnNamesNotPositions() {
    Profile poor = Profile.named("poor");
    long a = LinkSeeds.of(1, poor, "kcp-fast", 3);
    assertEquals(a, LinkSeeds.of(1, Profile.parse(poor.toSpec()), "kcp-fast", 3), "same text");
    assertNotEquals(a, LinkSeeds.of(2, poor, "kcp-fast", 3));
    assertNotEquals(a, LinkSeeds.of(1, poor, "kcp-normal", 3));
    assertNotEquals(a, LinkSeeds.of(1, poor, "kcp-fast", 4));
    assertNotEquals(a, LinkSeeds.of(1, Profile.named("very-poor"), "kcp-fast", 3));
    // A plan with more profiles and transports gives the same seed to the same link.
    Comparison one =
        Comparison.builder()
            .profiles(List.of(poor))
            .kcp(List.of(KcpTransport.preset("fast")))
            .workload(Workload.game(20, 100, 1_000))
            .seed(1)
            .build();
    Comparison many =
        Comparison.builder()
            .profiles(List.of(Profile.named("3g-lossy"), poor))
            .kcp(List.of(KcpTransport.preset("normal"), KcpTransport.preset("fast")))
            .workload(Workload.game(20, 100, 1_000))
            .seed(1)
            .build();
    assertEquals(one.linkSeed(poor, "kcp-fast", 3), many.linkSeed(poor, "kcp-fast", 3));
    assertEquals(a, one.linkSeed(poor, "kcp-fast", 3));
  }

  @Test
  void aTransportMustDeliverAsTheWorkloadAsks() {
    Workload unordered = Workload.game(20, 100, 1_000).withDelivery(Delivery.UNORDERED);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Comparison.builder()
                    .profiles(List.of(Profile.named("poor")))
                    .kcp(List.of(KcpTransport.preset("fast")))
                    .workload(unordered)
                    .build());
    assertTrue(
        e.getMessage().contains("kcp-fast cannot deliver messages unordered"), e.getMessage());
    assertEquals(Delivery.SEQUENCED, Delivery.parse("Sequenced"));
  }
}
