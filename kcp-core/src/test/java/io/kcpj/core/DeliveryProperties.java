package io.kcpj.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.JitterMode;
import io.kcpj.netem.loss.BernoulliLoss;
import io.kcpj.netem.loss.GilbertElliottLoss;
import io.kcpj.netem.net.Endpoint;
import io.kcpj.netem.net.VirtualNetwork;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.VirtualScheduler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For many seeded scenarios (config × link impairments × workload): every message arrives exactly
 * once, in order, byte-identical, in both directions; nothing throws; the queues stay bounded by
 * the windows. The link is netem-sim's {@link VirtualNetwork} (Bernoulli or bursty Gilbert loss,
 * uniform delay with reordering or FIFO jitter, duplication), in virtual time, event-driven: the
 * loop jumps to the next of (a scheduled send, a packet arrival, either engine's {@code check}, or
 * in half the scenarios the deadline of {@link Kcp#advance}, as kcp-netty drives its sessions).
 */
class DeliveryProperties {

  /** One generated scenario. */
  record Scenario(
      long seed,
      KcpConfig config,
      DirectionProfile aToB,
      DirectionProfile bToA,
      int messages,
      int maxMessage,
      int sendGapMillis,
      int readsPerStep,
      boolean streamMode,
      int startSn,
      long clockBase,
      boolean eventDriven) {}

  /**
   * One virtual day. Not an hour: with nodelay 0 a segment's rto doubles per timeout without a cap
   * (as in ikcp), so a Gilbert burst that eats ~15 ACKs of the last segment in a row pushes its
   * next retransmission past an hour — legitimate, if rare, behaviour.
   */
  private static final long TIME_LIMIT_MS = 86_400_000;

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<KcpConfig> configs =
        Combinators.combine(
                Arbitraries.of("classic", "normal", "fast", "test-fast"),
                Arbitraries.of(32, 128, 256),
                Arbitraries.of(128, 256),
                Arbitraries.of(100, 576, 1400),
                Arbitraries.of(0, 5))
            .as(
                (preset, snd, rcv, mtu, fastLimit) ->
                    KcpConfig.preset(preset).toBuilder()
                        .windows(snd, rcv)
                        .mtu(mtu)
                        .fastLimit(fastLimit)
                        .build());
    Arbitrary<DirectionProfile> links =
        Combinators.combine(
                Arbitraries.doubles().between(0, 0.2),
                Arbitraries.of(false, true),
                Arbitraries.integers().between(0, 80),
                Arbitraries.integers().between(0, 30),
                Arbitraries.of(JitterMode.REORDER, JitterMode.FIFO),
                Arbitraries.doubles().between(0, 0.1))
            .as(
                (loss, bursty, delay, jitter, mode, dup) ->
                    DirectionProfile.builder()
                        // Bernoulli, or Gilbert bursts of mean length 3 with the same average loss
                        .loss(
                            loss == 0
                                ? BernoulliLoss.of(0)
                                : bursty
                                    ? GilbertElliottLoss.simple(loss, 3)
                                    : BernoulliLoss.of(loss))
                        .delay(DelayModel.uniform(millis(delay + jitter), millis(jitter)))
                        .jitterMode(mode)
                        .duplicate(dup)
                        .build());
    return Combinators.combine(
            Arbitraries.longs(),
            configs,
            links,
            links,
            Arbitraries.integers().between(1, 60),
            Arbitraries.of(16, 200, 3000, 8000),
            Arbitraries.integers().between(0, 40),
            Arbitraries.of(1, 3, Integer.MAX_VALUE))
        .as(
            (seed, cfg, ab, ba, n, maxMsg, gap, reads) ->
                new Scenario(seed, cfg, ab, ba, n, maxMsg, gap, reads, false, 0, 0, false))
        .flatMap(
            s ->
                Combinators.combine(
                        Arbitraries.of(false, true),
                        Arbitraries.of(0, -7, 1 << 20),
                        // engine clocks starting at 0, or 2 s before the 32-bit millisecond wrap
                        Arbitraries.of(0L, 0xffff_ffffL - 2_000),
                        // driven by check() every step, or by advance() like kcp-netty
                        Arbitraries.of(false, true))
                    .as(
                        (stream, sn, clock, eventDriven) ->
                            new Scenario(
                                s.seed(),
                                s.config(),
                                s.aToB(),
                                s.bToA(),
                                s.messages(),
                                s.maxMessage(),
                                s.sendGapMillis(),
                                s.readsPerStep(),
                                stream,
                                sn,
                                clock,
                                eventDriven)));
  }

  private static long millis(int ms) {
    return ms * 1_000_000L;
  }

  @Property(tries = 1000, seed = "20261128")
  void everyMessageArrivesOnceInOrder(@ForAll("scenarios") Scenario s) {
    new Exchange(s).run();
  }

  /** Both directions of one scenario, driven to completion. */
  static final class Exchange {
    final Scenario s;
    final VirtualScheduler clock = new VirtualScheduler();
    final Kcp a;
    final Kcp b;
    long now;
    final List<byte[]> sentByA = new ArrayList<>();
    final List<byte[]> sentByB = new ArrayList<>();
    final List<byte[]> gotByA = new ArrayList<>();
    final List<byte[]> gotByB = new ArrayList<>();
    final ByteArrayOutputStream streamToB = new ByteArrayOutputStream();
    final ByteArrayOutputStream streamToA = new ByteArrayOutputStream();

    Exchange(Scenario s) {
      this.s = s;
      VirtualNetwork net = new VirtualNetwork(clock);
      InetSocketAddress addrA = new InetSocketAddress("192.0.2.1", 1000);
      InetSocketAddress addrB = new InetSocketAddress("192.0.2.2", 2000);
      Endpoint epA = net.endpoint(addrA);
      Endpoint epB = net.endpoint(addrB);
      net.link(addrA, addrB, Profile.builder().up(s.aToB()).down(s.bToA()).build(), s.seed());
      KcpConfig cfg = s.config().toBuilder().streamMode(s.streamMode()).build();
      this.a = new Kcp(7, cfg, dg -> epA.send(addrB, dg));
      this.b = new Kcp(7, cfg, dg -> epB.send(addrA, dg));
      epA.onReceive((src, data) -> receive(a, data));
      epB.onReceive((src, data) -> receive(b, data));
      a.startSequencesAt(s.startSn());
      b.startSequencesAt(s.startSn());
      SplittableRandom r = new SplittableRandom(s.seed() ^ 0x9e3779b97f4a7c15L);
      int limit = Math.min(s.maxMessage(), a.maxMessageSize());
      for (int i = 0; i < s.messages(); i++) {
        sentByA.add(randomBytes(r, r.nextInt(limit + 1)));
        sentByB.add(randomBytes(r, r.nextInt(limit + 1)));
      }
    }

    private void receive(Kcp k, byte[] data) {
      if (s.eventDriven()) {
        // as kcp-netty does: the engine's clock is brought to the arrival time before input
        k.update(clock.nowNanos() / 1_000_000 + s.clockBase());
      }
      expectOk(k.input(data, 0, data.length));
    }

    private static void expectOk(int status) {
      if (status != Kcp.INPUT_OK) {
        throw new AssertionError("a well-formed datagram was rejected with " + status);
      }
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
      byte[] b = new byte[n];
      for (int i = 0; i < n; i++) {
        b[i] = (byte) r.nextInt(256);
      }
      return b;
    }

    void run() {
      int nextToSend = 0;
      byte[] buf = new byte[a.maxMessageSize() + 1];
      while (!done()) {
        assertTrue(now < TIME_LIMIT_MS, () -> "not delivered within a virtual day: " + state());
        while (nextToSend < s.messages() && (long) nextToSend * s.sendGapMillis() <= now) {
          byte[] ma = sentByA.get(nextToSend);
          byte[] mb = sentByB.get(nextToSend);
          assertEquals(ma.length, a.send(ma, 0, ma.length));
          assertEquals(mb.length, b.send(mb, 0, mb.length));
          nextToSend++;
        }
        read(b, buf, gotByB, streamToB);
        read(a, buf, gotByA, streamToA);
        long base = s.clockBase();
        long next;
        if (s.eventDriven()) {
          next = Math.min(driveByEvents(a, now + base), driveByEvents(b, now + base));
          next = next == Kcp.NO_EVENT ? Long.MAX_VALUE : next - base;
          if (a.receiveQueueSize() > 0 || b.receiveQueueSize() > 0) {
            next = Math.min(next, now + 10); // a slow reader comes back every 10 ms
          }
        } else {
          a.update(now + base);
          b.update(now + base);
          next = Math.min(a.check(now + base), b.check(now + base)) - base;
        }
        checkBounds(a);
        checkBounds(b);
        long arrival = clock.nextEventNanos();
        if (arrival != Long.MAX_VALUE) {
          next = Math.min(next, (arrival + 999_999) / 1_000_000);
        }
        if (nextToSend < s.messages()) {
          next = Math.min(next, (long) nextToSend * s.sendGapMillis());
        }
        now = Math.max(now + 1, next);
        clock.runUntil(now * 1_000_000); // deliveries due by now reach input()
      }
      if (s.streamMode()) {
        assertArrayEquals(concat(sentByA), streamToB.toByteArray(), "stream A->B");
        assertArrayEquals(concat(sentByB), streamToA.toByteArray(), "stream B->A");
      } else {
        assertMessages(sentByA, gotByB, "A->B");
        assertMessages(sentByB, gotByA, "B->A");
      }
    }

    /**
     * kcp-netty's way, the engine's own {@link Kcp#advance}: update, flush if anything is due now,
     * and sleep until the returned deadline (not capped at one interval). Returns it.
     */
    private static long driveByEvents(Kcp k, long t) {
      long next = k.advance(t);
      assertTrue(k.nextEventAt(t) > t, "nothing may be due right after advance");
      assertTrue(next == k.nextEventAt(t), "advance returns nextEventAt");
      return next;
    }

    private void read(Kcp k, byte[] buf, List<byte[]> got, ByteArrayOutputStream stream) {
      for (int i = 0; i < s.readsPerStep(); i++) {
        int n = k.recv(buf, 0, buf.length);
        if (n < 0) {
          assertTrue(n == Kcp.RECV_EMPTY || n == Kcp.RECV_INCOMPLETE, "recv status " + n);
          return;
        }
        if (s.streamMode()) {
          stream.write(buf, 0, n);
        } else {
          got.add(java.util.Arrays.copyOf(buf, n));
        }
      }
    }

    private boolean done() {
      boolean allSent = a.waitSnd() == 0 && b.waitSnd() == 0;
      if (s.streamMode()) {
        return allSent
            && streamToB.size() == concat(sentByA).length
            && streamToA.size() == concat(sentByB).length;
      }
      return allSent && gotByB.size() == s.messages() && gotByA.size() == s.messages();
    }

    private static byte[] concat(List<byte[]> parts) {
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      for (byte[] p : parts) {
        o.writeBytes(p);
      }
      return o.toByteArray();
    }

    private static void checkBounds(Kcp k) {
      assertTrue(k.sendBufferSize() <= k.sendWindow(), "send buffer within the send window");
      assertTrue(k.receiveBufferSize() <= k.receiveWindow(), "receive buffer within the window");
      assertTrue(k.receiveQueueSize() <= k.receiveWindow(), "receive queue within the window");
    }

    private static void assertMessages(List<byte[]> sent, List<byte[]> got, String dir) {
      assertEquals(sent.size(), got.size(), dir + " message count");
      for (int i = 0; i < sent.size(); i++) {
        assertArrayEquals(sent.get(i), got.get(i), dir + " message " + i);
      }
    }

    private String state() {
      return "a="
          + a
          + " b="
          + b
          + " gotByB="
          + gotByB.size()
          + " gotByA="
          + gotByA.size()
          + " pendingEvents="
          + clock.pendingEvents()
          + " now="
          + now
          + " a.next="
          + a.nextEventAt(now + s.clockBase())
          + " b.next="
          + b.nextEventAt(now + s.clockBase())
          + " queues a="
          + a.sendQueueSize()
          + "/"
          + a.sendBufferSize()
          + "/"
          + a.receiveQueueSize()
          + " b="
          + b.sendQueueSize()
          + "/"
          + b.sendBufferSize()
          + "/"
          + b.receiveQueueSize()
          + " scenario="
          + s;
    }
  }
}
