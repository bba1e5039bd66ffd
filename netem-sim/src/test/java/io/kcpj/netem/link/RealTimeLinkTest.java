package io.kcpj.netem.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.Direction;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.RealTimeScheduler;
import io.kcpj.netem.time.TimeUnits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real-time packet-pump pattern (the TUN bridge's): a pump thread stamps each packet with the
 * scheduler's clock and hands the offer to the scheduler's thread; the link delivers on that thread
 * at the packet's time.
 */
class RealTimeLinkTest {

  @Test
  void aPumpThreadOffersThroughTheSchedulerAndPacketsArriveOnTime() throws Exception {
    int n = 200;
    long delay = TimeUnits.millis(20);
    List<long[]> arrivals = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(n);
    try (RealTimeScheduler clock = new RealTimeScheduler("netem-pump-test")) {
      Link<byte[]> link =
          Link.builder(clock, PacketAdapter.byteArrays())
              .profile(Profile.parse("delay=20ms,fifo=on"))
              .seed(1)
              .sink(
                  Direction.A_TO_B,
                  (packet, now) -> {
                    long stamp = java.nio.ByteBuffer.wrap(packet).getLong(0);
                    arrivals.add(new long[] {stamp, now, clock.inSchedulerThread() ? 1 : 0});
                    done.countDown();
                  })
              .build();
      Thread pump =
          new Thread(
              () -> {
                for (int i = 0; i < n; i++) {
                  byte[] packet = new byte[64];
                  long stamp = clock.nowNanos(); // when the pump "read" the packet
                  java.nio.ByteBuffer.wrap(packet).putLong(0, stamp);
                  clock.execute(() -> link.aToB().offer(packet, stamp));
                }
              },
              "pump");
      pump.start();
      assertTrue(done.await(30, TimeUnit.SECONDS), "not every packet arrived");
      pump.join();
      CountDownLatch closed = new CountDownLatch(1);
      clock.execute(
          () -> {
            link.close();
            closed.countDown();
          });
      assertTrue(closed.await(5, TimeUnit.SECONDS));
    }
    assertEquals(n, arrivals.size());
    long previous = Long.MIN_VALUE;
    for (long[] a : arrivals) {
      assertTrue(a[1] >= a[0] + delay, "delivered before stamp + delay");
      assertEquals(1, a[2], "delivered off the scheduler thread");
      assertTrue(a[0] >= previous, "FIFO order lost");
      previous = a[0];
    }
  }
}
