package io.kcpj.netem.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.Direction;
import io.kcpj.netem.profile.Profile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NetemPaths without a TUN device: crafted IPv4 packets through the two path facades. */
class NetemPathsTest {
  private static final long MS = 1_000_000L;

  /** A minimal IPv4 packet of {@code total} bytes carrying TCP (6) or UDP (17) with these ports. */
  static byte[] ipv4(int protocol, int srcPort, int dstPort, int total) {
    byte[] p = new byte[total];
    p[0] = 0x45;
    p[2] = (byte) (total >> 8);
    p[3] = (byte) total;
    p[9] = (byte) protocol;
    p[20] = (byte) (srcPort >> 8);
    p[21] = (byte) srcPort;
    p[22] = (byte) (dstPort >> 8);
    p[23] = (byte) dstPort;
    return p;
  }

  /** Records deliveries with the time the path delivered them. */
  static final class Sink implements PacketSink {
    final List<byte[]> got = new ArrayList<>();

    @Override
    public boolean deliver(byte[] packet, int offset, int length) {
      byte[] c = new byte[length];
      System.arraycopy(packet, offset, c, 0, length);
      got.add(c);
      return true;
    }
  }

  @Test
  void delaysByTheProfileAndCountsEachFlowApart() {
    NetemPaths paths = NetemPaths.create(Profile.parse("delay=30ms"), 1, true);
    PacketPath ab = paths.aToB();
    PacketPath ba = paths.bToA();
    Sink toB = new Sink();
    Sink toA = new Sink();
    long t0 = System.nanoTime();
    ab.offer(ipv4(17, 40000, 6000, 100), 100, t0, toB);
    ab.offer(ipv4(6, 40001, 5000, 60), 60, t0, toB);
    ba.offer(ipv4(17, 6000, 40000, 80), 80, t0, toA);
    assertTrue(toB.got.isEmpty(), "nothing before its delay");
    long due = ab.nextDueNanos();
    assertTrue(
        due >= t0 + 29 * MS && due <= t0 + 31 * MS + (System.nanoTime() - t0), "due " + (due - t0));
    ab.runDue(due, toB);
    ba.runDue(due, toA);
    assertEquals(2, toB.got.size());
    assertEquals(1, toA.got.size());
    assertEquals(Long.MAX_VALUE, ab.nextDueNanos());
    NetemPaths.FlowCounters udp = paths.flow(17, 40000, 6000);
    assertEquals(100, udp.bytes(Direction.A_TO_B));
    assertEquals(80, udp.bytes(Direction.B_TO_A));
    assertEquals(180, udp.totalBytes());
    assertEquals(1, udp.delivered(Direction.B_TO_A));
    assertEquals(60, paths.flow(6, 40001, 5000).totalBytes());
  }

  @Test
  void everyFlowSeesTheSameDrawsAndANewProfileResetsTheTimeline() {
    NetemPaths paths = NetemPaths.create(Profile.parse("loss=30%"), 5, true);
    PacketPath ab = paths.aToB();
    Sink sink = new Sink();
    long t = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      ab.offer(ipv4(17, 1111, 2222, 50), 50, t, sink);
      ab.offer(ipv4(6, 3333, 4444, 40), 40, t, sink);
    }
    long udp = paths.flow(17, 1111, 2222).delivered(Direction.A_TO_B);
    long tcp = paths.flow(6, 3333, 4444).delivered(Direction.A_TO_B);
    assertEquals(udp, tcp, "per-flow links with one seed make the same decisions");
    assertTrue(udp > 100 && udp < 180, "about 70 % delivered: " + udp);
    paths.setProfile(Profile.parse("loss=0%"), 5);
    for (int i = 0; i < 50; i++) {
      ab.offer(ipv4(17, 1111, 2222, 50), 50, System.nanoTime(), sink);
    }
    assertEquals(udp + 50, paths.flow(17, 1111, 2222).delivered(Direction.A_TO_B));
  }

  @Test
  void setLinksGivesEachFlowItsOwnProfileSeedAndFateLog() {
    NetemPaths paths = NetemPaths.create(Profile.parse("loss=30%"), 5, true);
    List<String> fates = new ArrayList<>();
    NetemPaths.FlowKey lossless = new NetemPaths.FlowKey(17, 1111, 2222);
    NetemPaths.FlowKey logged = new NetemPaths.FlowKey(6, 3333, 4444);
    paths.setLinks(
        new NetemPaths.FlowLinks() {
          @Override
          public Profile profile(NetemPaths.FlowKey flow) {
            return flow.equals(lossless) ? Profile.parse("delay=0ms") : Profile.parse("loss=30%");
          }

          @Override
          public long seed(NetemPaths.FlowKey flow) {
            return flow.portA();
          }

          @Override
          public io.kcpj.netem.log.FateLog fateLog(NetemPaths.FlowKey flow) {
            return flow.equals(logged) ? r -> fates.add(r.fate().logName()) : null;
          }
        });
    PacketPath ab = paths.aToB();
    Sink sink = new Sink();
    for (int i = 0; i < 200; i++) {
      long t = System.nanoTime();
      ab.offer(ipv4(17, 1111, 2222, 50), 50, t, sink);
      ab.offer(ipv4(6, 3333, 4444, 40), 40, t, sink);
      ab.offer(ipv4(6, 5555, 4444, 40), 40, t, sink);
    }
    assertEquals(200, paths.flow(17, 1111, 2222).delivered(Direction.A_TO_B), "lossless flow");
    long a = paths.flow(6, 3333, 4444).delivered(Direction.A_TO_B);
    long b = paths.flow(6, 5555, 4444).delivered(Direction.A_TO_B);
    assertTrue(a > 100 && a < 180 && b > 100 && b < 180, a + " and " + b + " of 200");
    assertEquals(200, fates.size(), "one fate per packet of the logged flow only");
    assertEquals(200 - a, fates.stream().filter(f -> !f.equals("delivered")).count());
  }

  @Test
  void aProfileThatRebindsIsRefusedRatherThanSilentlyNotRebound() {
    for (String spec : new String[] {"delay=20ms,up.rebind=5s", "delay=20ms,down.rebind=1s"}) {
      Profile rebinding = Profile.parse(spec);
      IllegalArgumentException create =
          assertThrows(IllegalArgumentException.class, () -> NetemPaths.create(rebinding, 1, true));
      assertTrue(create.getMessage().contains("cannot apply rebind"), create.getMessage());
      NetemPaths paths = NetemPaths.create(Profile.parse("delay=20ms"), 1, true);
      assertThrows(IllegalArgumentException.class, () -> paths.setProfile(rebinding, 1));
    }
    Profile blackout = Profile.parse("delay=20ms,blackout=5s+1s");
    assertSame(blackout, NetemPaths.requireSupported(blackout), "other timeline events pass");
  }
}
