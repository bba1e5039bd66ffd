package io.kcpj.netem.tun;

import io.kcpj.netem.Direction;
import io.kcpj.netem.link.Link;
import io.kcpj.netem.link.LinkStatsSnapshot;
import io.kcpj.netem.link.PacketAdapter;
import io.kcpj.netem.log.FateLog;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.WallClockScheduler;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Carries the TUN bridge's IP packets through netem-sim {@link Link}s in real time: the two {@link
 * PacketPath}s of a {@link TunBridge}, backed by the same models as the virtual network.
 *
 * <p><b>Flows.</b> With {@code perFlow}, every transport flow — (IP protocol, port on side A, port
 * on side B) — gets a link of its own with the same profile and seed, so several transports
 * measured at the same time do not share a rate limit or a queue, each sees the same sequence of
 * impairment draws for the same offered packets, and wire bytes are counted per flow. Without it,
 * all packets share one link (one bottleneck). Other traffic (ICMP, fragments) shares a default
 * flow. {@link #setLinks} gives each flow a profile and seed of its own instead (a measuring tool
 * that runs several sessions of several transports at once, each on an independent link).
 *
 * <p><b>Time.</b> The links run on netem-sim's wall-clock driver, a {@link WallClockScheduler}
 * stepped to the bridge's {@code System.nanoTime()} on every call (a packet's read time in {@code
 * offer}, the current time in {@code runDue}); its time 0 is when the profile was set, so a
 * profile's timeline (a blackout at 10 s) counts from {@link #setProfile}. Calls come from the
 * bridge thread only; {@link #setProfile} and {@link #flows()} may be called from any thread (a new
 * profile takes effect at the bridge thread's next call, dropping what the old links held).
 *
 * <p><b>Buffers.</b> An offered array is owned by the links from then on; deliveries copy into the
 * destination TUN before returning.
 */
public final class NetemPaths {
  /** Flow counters, readable from any thread. */
  public static final class FlowCounters {
    private final AtomicLong[] packets = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] bytes = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] delivered = {new AtomicLong(), new AtomicLong()};

    /** IP packets offered in a direction (sent by the kernel on that side). */
    public long packets(Direction d) {
      return packets[d.ordinal()].get();
    }

    /** IP bytes offered in a direction, headers included. */
    public long bytes(Direction d) {
      return bytes[d.ordinal()].get();
    }

    /** IP packets the link delivered in a direction. */
    public long delivered(Direction d) {
      return delivered[d.ordinal()].get();
    }

    /** IP bytes offered in both directions. */
    public long totalBytes() {
      return bytes[0].get() + bytes[1].get();
    }
  }

  /** A flow: IP protocol number and the ports on each side (-1 when none). */
  public record FlowKey(int protocol, int portA, int portB) {}

  /**
   * How each flow's link is made when the flow's first packet arrives: its profile, seed and
   * (optionally) fate log. Called on the bridge thread; implementations must be thread-safe if they
   * are changed from other threads while the bridge runs.
   */
  public interface FlowLinks {
    /** The profile of {@code flow}'s link. */
    Profile profile(FlowKey flow);

    /** The seed of {@code flow}'s link. */
    long seed(FlowKey flow);

    /** A fate log for {@code flow}'s link, or {@code null} (the default) for none. */
    default FateLog fateLog(FlowKey flow) {
      return null;
    }
  }

  private static final FlowKey DEFAULT_FLOW = new FlowKey(-1, -1, -1);

  private final boolean perFlow;
  private final Map<FlowKey, FlowCounters> counters = new ConcurrentHashMap<>();
  private final Map<FlowKey, Link<byte[]>> links = new LinkedHashMap<>();
  private volatile Pending pending;
  private FlowLinks flowLinks;
  private WallClockScheduler clock;
  private PacketSink sinkAtoB;
  private PacketSink sinkBtoA;

  private record Pending(FlowLinks links, long originNanos) {}

  /** Every flow on {@code profile} with {@code seed}. */
  private record SameForAll(Profile profile, long seed) implements FlowLinks {
    @Override
    public Profile profile(FlowKey flow) {
      return profile;
    }

    @Override
    public long seed(FlowKey flow) {
      return seed;
    }
  }

  private NetemPaths(Profile profile, long seed, boolean perFlow) {
    this.perFlow = perFlow;
    this.pending =
        new Pending(
            new SameForAll(Objects.requireNonNull(profile, "profile"), seed), System.nanoTime());
  }

  /**
   * Paths carrying packets through {@code profile}, seeded with {@code seed}.
   *
   * @throws IllegalArgumentException if the profile rebinds an address ({@link #requireSupported})
   */
  public static NetemPaths create(Profile profile, long seed, boolean perFlow) {
    return new NetemPaths(requireSupported(profile), seed, perFlow);
  }

  /**
   * Switches to a new profile and seed; its timeline starts now. Counters are kept.
   *
   * @throws IllegalArgumentException if the profile rebinds an address ({@link #requireSupported})
   */
  public void setProfile(Profile profile, long seed) {
    setLinks(new SameForAll(requireSupported(profile), seed));
  }

  /**
   * Returns {@code profile} if these paths can apply all of it, and refuses it otherwise. The one
   * thing they cannot apply is a timeline's {@code rebind}: the links carry whole IP packets
   * between two fixed namespaces and do not rewrite addresses, so a rebinding would silently not
   * happen. (netem-sim's virtual network, its UDP proxy and its Netty handler do rebind.) {@link
   * #setLinks} consults its profiles lazily, on the bridge thread, so a caller giving it profiles
   * must check each with this method first.
   *
   * @throws IllegalArgumentException naming the profile, if its timeline rebinds either direction
   */
  public static Profile requireSupported(Profile profile) {
    Objects.requireNonNull(profile, "profile");
    if (!profile.timeline().rebinds(Direction.A_TO_B).isEmpty()
        || !profile.timeline().rebinds(Direction.B_TO_A).isEmpty()) {
      throw new IllegalArgumentException(
          "profile '"
              + profile.name()
              + "': the TUN bridge cannot apply rebind (its links carry IP packets between fixed"
              + " namespaces and do not rewrite addresses); run it in virtual time");
    }
    return profile;
  }

  /**
   * Switches to per-flow profiles and seeds (consulted when a flow's first packet arrives from now
   * on; without per-flow links, once for the shared link); timelines start now. Counters are kept.
   * The profiles must pass {@link #requireSupported} (checked by the caller: they are consulted
   * later, on the bridge thread).
   */
  public void setLinks(FlowLinks links) {
    this.pending = new Pending(Objects.requireNonNull(links, "links"), System.nanoTime());
  }

  /** The per-flow counters seen so far (a live view). */
  public Map<FlowKey, FlowCounters> flows() {
    return counters;
  }

  /** Counters of the flow with these ports (created empty if it has not been seen yet). */
  public FlowCounters flow(int protocol, int portA, int portB) {
    return counters.computeIfAbsent(new FlowKey(protocol, portA, portB), k -> new FlowCounters());
  }

  /** The path for packets from side A to side B. */
  public PacketPath aToB() {
    return new Facade(Direction.A_TO_B);
  }

  /** The path for packets from side B to side A. */
  public PacketPath bToA() {
    return new Facade(Direction.B_TO_A);
  }

  /**
   * Link statistics per flow of the current profile, A→B then B→A (bridge thread or after stop).
   */
  public synchronized Map<FlowKey, LinkStatsSnapshot[]> linkStats() {
    Map<FlowKey, LinkStatsSnapshot[]> m = new LinkedHashMap<>();
    for (Map.Entry<FlowKey, Link<byte[]>> e : links.entrySet()) {
      m.put(
          e.getKey(),
          new LinkStatsSnapshot[] {
            e.getValue().aToB().stats().snapshot(), e.getValue().bToA().stats().snapshot()
          });
    }
    return m;
  }

  /**
   * The link counters of direction {@code d}, summed over the links of the current profile (one
   * link, or one per flow with {@code perFlow}). Any thread: it takes the paths' lock, so it is
   * consistent with every offer and delivery before it.
   */
  public synchronized LinkStatsSnapshot stats(Direction d) {
    LinkStatsSnapshot sum = LinkStatsSnapshot.ZERO;
    for (Link<byte[]> link : links.values()) {
      sum = sum.plus(link.direction(d).stats().snapshot());
    }
    return sum;
  }

  private synchronized void applyPending() {
    Pending p = pending;
    if (p == null) {
      return;
    }
    pending = null;
    for (Link<byte[]> l : links.values()) {
      l.close();
    }
    links.clear();
    flowLinks = p.links();
    clock = new WallClockScheduler(System::nanoTime, p.originNanos());
  }

  private synchronized void offer(
      Direction d, byte[] packet, int length, long nowNanos, PacketSink sink) {
    applyPending();
    remember(d, sink);
    clock.advanceTo(clock.toClockNanos(nowNanos));
    byte[] exact = packet.length == length ? packet : Arrays.copyOf(packet, length);
    FlowKey key = key(d, exact);
    FlowCounters c = counters.computeIfAbsent(key, k -> new FlowCounters());
    c.packets[d.ordinal()].incrementAndGet();
    c.bytes[d.ordinal()].addAndGet(length);
    Link<byte[]> link = links.computeIfAbsent(perFlow ? key : DEFAULT_FLOW, this::newLink);
    link.direction(d).offer(exact);
    clock.advanceTo(clock.nowNanos()); // what is due at once (no delay) leaves now
  }

  private Link<byte[]> newLink(FlowKey key) {
    FlowCounters c = counters.computeIfAbsent(key, k -> new FlowCounters());
    return Link.builder(clock, PacketAdapter.byteArrayCopies())
        .name("tun-" + key)
        .profile(flowLinks.profile(key))
        .seed(flowLinks.seed(key))
        .fateLog(flowLinks.fateLog(key))
        .sink(
            Direction.A_TO_B,
            (p, now) -> {
              c.delivered[0].incrementAndGet();
              sinkAtoB.deliver(p, 0, p.length);
            })
        .sink(
            Direction.B_TO_A,
            (p, now) -> {
              c.delivered[1].incrementAndGet();
              sinkBtoA.deliver(p, 0, p.length);
            })
        .build();
  }

  private void remember(Direction d, PacketSink sink) {
    if (d == Direction.A_TO_B) {
      sinkAtoB = sink;
    } else {
      sinkBtoA = sink;
    }
  }

  private synchronized long nextDue() {
    if (pending != null || clock == null) {
      return pending != null ? System.nanoTime() : Long.MAX_VALUE;
    }
    return clock.nextDueWallNanos();
  }

  private synchronized void runDue(Direction d, long nowNanos, PacketSink sink) {
    applyPending();
    remember(d, sink);
    // A link delivers only in a direction it was offered packets in, and offer() records that
    // direction's sink first: advancing is safe even before both sinks are known.
    if (clock != null) {
      clock.advanceTo(clock.toClockNanos(nowNanos));
    }
  }

  private static FlowKey key(Direction d, byte[] p) {
    int proto = p.length >= 20 && (p[0] >> 4 & 0xf) == 4 ? p[9] & 0xff : -1;
    int src = IpHeaders.port(p, 0, p.length, false);
    int dst = IpHeaders.port(p, 0, p.length, true);
    if (src < 0 || dst < 0) {
      return DEFAULT_FLOW;
    }
    return d == Direction.A_TO_B ? new FlowKey(proto, src, dst) : new FlowKey(proto, dst, src);
  }

  /** One direction's face of the shared links. */
  private final class Facade implements PacketPath {
    private final Direction direction;

    Facade(Direction direction) {
      this.direction = direction;
    }

    @Override
    public void offer(byte[] packet, int length, long nowNanos, PacketSink sink) {
      NetemPaths.this.offer(direction, packet, length, nowNanos, sink);
    }

    @Override
    public long nextDueNanos() {
      return nextDue();
    }

    @Override
    public void runDue(long nowNanos, PacketSink sink) {
      NetemPaths.this.runDue(direction, nowNanos, sink);
    }
  }
}
