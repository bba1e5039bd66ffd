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
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The delivery extension ({@code docs/wire-extensions.md}) and the latency additions over many
 * seeded scenarios: both directions of a conversation exchange messages of random sizes (up to
 * several fragments) over netem-sim's virtual network with loss (Bernoulli or Gilbert bursts),
 * jitter that reorders or not, duplication, sequence numbers and clocks that cross 2<sup>32</sup>,
 * driven by {@code advance} (kcp-netty's way) or by {@code update}/{@code check} (ikcp's).
 *
 * <ul>
 *   <li>unordered: every message is delivered exactly once, byte for byte;
 *   <li>sequenced: no message is delivered twice or after a newer one, and the newest always is;
 *   <li>mixed modes: each mode's rule holds, and an ordered message comes after every earlier
 *       ordered or unordered message;
 *   <li>ordered with every latency addition on: unchanged (exactly once, in order).
 * </ul>
 */
class DeliveryModeProperties {

  /** What a scenario sends: one mode for all, or a random mode per message. */
  enum Mix {
    UNORDERED,
    SEQUENCED,
    ORDERED,
    MIXED
  }

  record Scenario(
      long seed,
      KcpConfig config,
      DirectionProfile aToB,
      DirectionProfile bToA,
      int messages,
      int maxMessage,
      int sendGapMillis,
      int readsPerStep,
      int startSn,
      long clockBase,
      boolean eventDriven) {}

  private static final long TIME_LIMIT_MS = 86_400_000;

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<KcpConfig> configs =
        Combinators.combine(
                Arbitraries.of("game", "fast", "classic", "test-fast"),
                Arbitraries.of(false, true), // thin-stream loss detection
                Arbitraries.of(0, 1, 2), // copies
                Arbitraries.of(0, 50), // ack delay
                Arbitraries.of(32, 128),
                Arbitraries.of(100, 576, 1400),
                Arbitraries.of(0, 200)) // maxrto
            .as(
                (preset, thin, dup, ackDelay, wnd, mtu, maxRto) ->
                    KcpConfig.preset(preset).toBuilder()
                        .windows(wnd, 128)
                        .mtu(mtu)
                        .set(EngineSetting.THIN_STREAM, thin)
                        .set(EngineSetting.REDUNDANCY, dup)
                        .set(EngineSetting.REPEAT_ACKS, dup == 0)
                        .set(EngineSetting.ACK_DELAY, ackDelay)
                        .set(EngineSetting.MAX_RTO, maxRto)
                        .set(EngineSetting.DELIVERY_EXTENSION, true)
                        .build());
    Arbitrary<DirectionProfile> links =
        Combinators.combine(
                Arbitraries.doubles().between(0, 0.2),
                Arbitraries.of(false, true),
                Arbitraries.integers().between(0, 80),
                Arbitraries.integers().between(0, 40),
                Arbitraries.of(JitterMode.REORDER, JitterMode.FIFO),
                Arbitraries.doubles().between(0, 0.1))
            .as(
                (loss, bursty, delay, jitter, mode, dup) ->
                    DirectionProfile.builder()
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
            Arbitraries.of(16, 200, 3000),
            Arbitraries.integers().between(0, 60),
            Arbitraries.of(1, 3, Integer.MAX_VALUE))
        .as(
            (seed, cfg, ab, ba, n, maxMsg, gap, reads) ->
                new Scenario(seed, cfg, ab, ba, n, maxMsg, gap, reads, 0, 0, false))
        .flatMap(
            s ->
                Combinators.combine(
                        // sequence numbers from 0, or just before the 2^32 wrap
                        Arbitraries.of(0, -7, -40),
                        // clocks from 0, or 2 s before the 32-bit millisecond wrap
                        Arbitraries.of(0L, 0xffff_ffffL - 2_000),
                        Arbitraries.of(false, true))
                    .as(
                        (sn, clock, eventDriven) ->
                            new Scenario(
                                s.seed(),
                                s.config(),
                                s.aToB(),
                                s.bToA(),
                                s.messages(),
                                s.maxMessage(),
                                s.sendGapMillis(),
                                s.readsPerStep(),
                                sn,
                                clock,
                                eventDriven)));
  }

  private static long millis(int ms) {
    return ms * 1_000_000L;
  }

  @Property(tries = 1000, seed = "20261205")
  void unorderedDeliversEveryMessageExactlyOnce(@ForAll("scenarios") Scenario s) {
    new Exchange(s, Mix.UNORDERED).run();
  }

  @Property(tries = 1000, seed = "20261206")
  void sequencedNeverDeliversAnOlderMessageOrOneTwice(@ForAll("scenarios") Scenario s) {
    new Exchange(s, Mix.SEQUENCED).run();
  }

  @Property(tries = 1000, seed = "20261207")
  void mixedModesEachKeepTheirRule(@ForAll("scenarios") Scenario s) {
    new Exchange(s, Mix.MIXED).run();
  }

  @Property(tries = 1000, seed = "20261208")
  void orderedIsUnchangedWithTheLatencyAdditions(@ForAll("scenarios") Scenario s) {
    new Exchange(s, Mix.ORDERED).run();
  }

  /** Both directions of one scenario, driven to completion, then checked. */
  static final class Exchange {
    final Scenario s;
    final Mix mix;
    final VirtualScheduler clock = new VirtualScheduler();
    final Kcp a;
    final Kcp b;
    long now;
    final Side toB = new Side();
    final Side toA = new Side();

    /** One direction: what was sent (index, bytes, mode) and the indices delivered, in order. */
    static final class Side {
      final List<byte[]> sent = new ArrayList<>();
      final List<Delivery> modes = new ArrayList<>();
      final List<Integer> got = new ArrayList<>();
    }

    Exchange(Scenario s, Mix mix) {
      this.s = s;
      this.mix = mix;
      VirtualNetwork net = new VirtualNetwork(clock);
      InetSocketAddress addrA = new InetSocketAddress("192.0.2.1", 1000);
      InetSocketAddress addrB = new InetSocketAddress("192.0.2.2", 2000);
      Endpoint epA = net.endpoint(addrA);
      Endpoint epB = net.endpoint(addrB);
      net.link(addrA, addrB, Profile.builder().up(s.aToB()).down(s.bToA()).build(), s.seed());
      this.a = new Kcp(7, s.config(), dg -> epA.send(addrB, dg));
      this.b = new Kcp(7, s.config(), dg -> epB.send(addrA, dg));
      epA.onReceive((src, data) -> receive(a, data));
      epB.onReceive((src, data) -> receive(b, data));
      a.startSequencesAt(s.startSn());
      b.startSequencesAt(s.startSn());
      SplittableRandom r = new SplittableRandom(s.seed() ^ 0x5deece66dL);
      int limit = Math.min(s.maxMessage(), a.maxMessageSize());
      for (Side side : List.of(toB, toA)) {
        for (int i = 0; i < s.messages(); i++) {
          byte[] m = new byte[4 + r.nextInt(limit - 3)];
          for (int k = 4; k < m.length; k++) {
            m[k] = (byte) r.nextInt(256);
          }
          m[0] = (byte) i;
          m[1] = (byte) (i >>> 8);
          side.sent.add(m);
          side.modes.add(mode(r));
        }
      }
    }

    private Delivery mode(SplittableRandom r) {
      switch (mix) {
        case UNORDERED:
          return Delivery.UNORDERED;
        case SEQUENCED:
          return Delivery.SEQUENCED;
        case ORDERED:
          return Delivery.ORDERED;
        default:
          return Delivery.values()[r.nextInt(3)];
      }
    }

    private void receive(Kcp k, byte[] data) {
      if (s.eventDriven()) {
        k.update(clock.nowNanos() / 1_000_000 + s.clockBase());
      }
      int status = k.input(data, 0, data.length);
      if (status != Kcp.INPUT_OK) {
        throw new AssertionError("a well-formed datagram was rejected with " + status);
      }
    }

    int next;

    void run() {
      byte[] buf = new byte[a.maxMessageSize() + 1];
      while (!done()) {
        assertTrue(now < TIME_LIMIT_MS, () -> "not done within a virtual day: " + a + " " + b);
        while (next < s.messages() && (long) next * s.sendGapMillis() <= now) {
          send(a, toB, next);
          send(b, toA, next);
          next++;
        }
        read(b, buf, toB);
        read(a, buf, toA);
        long base = s.clockBase();
        long wake;
        if (s.eventDriven()) {
          long na = a.advance(now + base);
          long nb = b.advance(now + base);
          wake = Math.min(na, nb);
          wake = wake == Kcp.NO_EVENT ? Long.MAX_VALUE : wake - base;
          if (a.receiveQueueSize() > 0 || b.receiveQueueSize() > 0) {
            wake = Math.min(wake, now + 10);
          }
        } else {
          a.update(now + base);
          b.update(now + base);
          wake = Math.min(a.check(now + base), b.check(now + base)) - base;
        }
        assertTrue(a.receiveQueueSize() <= a.receiveWindow(), "receive queue within the window");
        assertTrue(b.receiveQueueSize() <= b.receiveWindow(), "receive queue within the window");
        long arrival = clock.nextEventNanos();
        if (arrival != Long.MAX_VALUE) {
          wake = Math.min(wake, (arrival + 999_999) / 1_000_000);
        }
        if (next < s.messages()) {
          wake = Math.min(wake, (long) next * s.sendGapMillis());
        }
        now = Math.max(now + 1, wake);
        clock.runUntil(now * 1_000_000);
      }
      check(toB, "A->B");
      check(toA, "B->A");
    }

    private void send(Kcp k, Side side, int i) {
      byte[] m = side.sent.get(i);
      assertEquals(m.length, k.send(m, 0, m.length, side.modes.get(i)));
    }

    private void read(Kcp k, byte[] buf, Side side) {
      for (int i = 0; i < s.readsPerStep(); i++) {
        int n = k.recv(buf, 0, buf.length);
        if (n < 0) {
          return;
        }
        int index = (buf[0] & 0xff) | (buf[1] & 0xff) << 8;
        assertTrue(
            index < side.sent.size(),
            () -> "an index that was sent; got " + side.got + " len " + n + " modes " + side.modes);
        assertArrayEquals(side.sent.get(index), Arrays.copyOf(buf, n), "message " + index);
        side.got.add(index);
      }
    }

    /** Everything acknowledged both ways and nothing left to read. */
    private boolean done() {
      return next >= s.messages()
          && a.waitSnd() == 0
          && b.waitSnd() == 0
          && a.peekSize() < 0
          && b.peekSize() < 0
          && a.receiveBufferSize() == 0
          && b.receiveBufferSize() == 0
          && a.rcvNxt() == b.sndNxt()
          && b.rcvNxt() == a.sndNxt();
    }

    private void check(Side side, String dir) {
      int n = side.sent.size();
      int[] times = new int[n];
      int lastSequenced = -1;
      int newestSequencedSent = -1;
      List<Integer> orderedSeen = new ArrayList<>();
      boolean[] seen = new boolean[n];
      for (int pos = 0; pos < side.got.size(); pos++) {
        int i = side.got.get(pos);
        times[i]++;
        assertEquals(1, times[i], () -> dir + ": message " + i + " delivered twice");
        seen[i] = true;
        Delivery d = side.modes.get(i);
        if (d == Delivery.SEQUENCED) {
          assertTrue(
              i > lastSequenced,
              dir + ": sequenced " + i + " delivered after the newer " + lastSequenced);
          lastSequenced = i;
        } else if (d == Delivery.ORDERED) {
          orderedSeen.add(i);
          for (int j = 0; j < i; j++) {
            if (side.modes.get(j) != Delivery.SEQUENCED) {
              assertTrue(
                  seen[j], dir + ": ordered " + i + " delivered before the earlier message " + j);
            }
          }
        }
      }
      for (int i = 0; i < n; i++) {
        Delivery d = side.modes.get(i);
        if (d == Delivery.SEQUENCED) {
          newestSequencedSent = i;
        } else {
          assertEquals(1, times[i], dir + ": " + d + " message " + i + " delivered once");
        }
      }
      if (newestSequencedSent >= 0) {
        assertEquals(
            1, times[newestSequencedSent], dir + ": the newest sequenced message is delivered");
      }
      for (int k = 1; k < orderedSeen.size(); k++) {
        assertTrue(orderedSeen.get(k) > orderedSeen.get(k - 1), dir + ": ordered in order");
      }
    }
  }
}
