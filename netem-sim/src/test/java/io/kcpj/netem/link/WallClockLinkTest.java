package io.kcpj.netem.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.Direction;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.TimeUnits;
import io.kcpj.netem.time.WallClockScheduler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The real-time fronts' pattern (the UDP proxy's and the TUN bridge's loops), on a wall clock the
 * test moves: an owner loop reads packets at irregular wall times, steps the driver to each read
 * time, offers the packet, and wakes up (sometimes late) for the next delivery. Every packet
 * arrives exactly at its read time plus the delay, in order, never early.
 */
class WallClockLinkTest {

  @Test
  void anOwnerLoopDeliversEveryPacketAtItsReadTimePlusTheDelayEvenWhenItWakesLate() {
    long delay = TimeUnits.millis(20);
    long[] wall = {123_456_789L};
    WallClockScheduler clock = new WallClockScheduler(() -> wall[0]);
    List<long[]> arrivals = new ArrayList<>();
    Link<byte[]> link =
        Link.builder(clock, PacketAdapter.byteArrays())
            .profile(Profile.parse("delay=20ms"))
            .sink(
                Direction.A_TO_B,
                (packet, now) ->
                    arrivals.add(new long[] {ByteBuffer.wrap(packet).getLong(0), now, wall[0]}))
            .sink(Direction.B_TO_A, (packet, now) -> {})
            .build();
    SplittableRandom random = new SplittableRandom(7);
    List<Long> readTimes = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      // the loop wakes for the next delivery, late by up to 3 ms, or for a read, whichever first
      long nextRead = wall[0] + random.nextLong(TimeUnits.millis(2));
      long due = clock.nextDueWallNanos();
      if (due != Long.MAX_VALUE && due < nextRead) {
        wall[0] = due + random.nextLong(TimeUnits.millis(3));
        clock.advance();
      }
      wall[0] = Math.max(wall[0], nextRead);
      long readAt = clock.advance(); // the read time, after delivering what is due by then
      readTimes.add(readAt);
      byte[] packet = ByteBuffer.allocate(64).putLong(0, readAt).array();
      link.aToB().offer(packet);
    }
    wall[0] += TimeUnits.seconds(1);
    clock.advance();
    assertEquals(1_000, arrivals.size());
    for (int i = 0; i < arrivals.size(); i++) {
      long[] a = arrivals.get(i);
      assertEquals(readTimes.get(i), a[0], "in order");
      assertEquals(a[0] + delay, a[1], "delivered exactly at read time + delay");
      assertTrue(a[2] >= clock.toWallNanos(a[1]), "never before the wall clock reaches it");
    }
  }
}
