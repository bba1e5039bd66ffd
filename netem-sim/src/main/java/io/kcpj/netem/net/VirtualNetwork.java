package io.kcpj.netem.net;

import io.kcpj.netem.Direction;
import io.kcpj.netem.link.Link;
import io.kcpj.netem.link.LinkDirection;
import io.kcpj.netem.log.FateLog;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.Scheduler;
import io.kcpj.netem.time.VirtualScheduler;
import io.kcpj.netem.timeline.Rebind;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Endpoints with addresses exchanging datagrams over simulated {@link Link}s, in virtual time: the
 * test bed for engines (KCP's property tests) and for the comparison's virtual-time runs.
 *
 * <pre>{@code
 * VirtualScheduler clock = new VirtualScheduler();
 * VirtualNetwork net = new VirtualNetwork(clock);
 * Endpoint client = net.endpoint(new InetSocketAddress("10.0.0.1", 4000));
 * Endpoint server = net.endpoint(new InetSocketAddress("10.0.0.2", 5000));
 * net.link(client.address(), server.address(), Profile.named("kcp-test"), 42);
 * client.onReceive((src, data) -> clientKcp.input(data, 0, data.length));
 * server.onReceive((src, data) -> serverKcp.input(data, 0, data.length));
 * for (int t = 0; t < 60_000; t += 10) {     // one minute in 10 ms steps
 *   clock.advanceByMillis(10);               // delivers what is due
 *   clientKcp.update(clock.nowMillis());     // its output callback calls client.send(...)
 *   serverKcp.update(clock.nowMillis());
 * }
 * }</pre>
 *
 * <p>The endpoint given first to {@link #link} is side A: its packets travel the profile's {@code
 * up} direction. A datagram takes its link's fate and arrives at the receiving endpoint's handler
 * with the source address the receiver sees. With a rebinding event in the profile's timeline, that
 * source changes at the event's time (to the event's address, or else to the next free port on the
 * sender's host); replies to the new address reach the real sender, and so do replies to the old
 * one (the old mapping does not expire).
 *
 * <p><b>Threading:</b> confined to the scheduler's thread, like everything it creates. Usually a
 * {@link VirtualScheduler}; any {@link Scheduler} works.
 */
public final class VirtualNetwork {
  private final Scheduler scheduler;
  private final Map<InetSocketAddress, Endpoint> endpoints = new LinkedHashMap<>();
  private final Map<InetSocketAddress, Endpoint> aliases = new HashMap<>();
  private final Map<RouteKey, Route> routes = new HashMap<>();
  private final List<Link<Datagram>> links = new ArrayList<>();
  private FateLog fateLog;

  /** A network without endpoints, driven by {@code scheduler}. */
  public VirtualNetwork(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /** The scheduler that drives every link. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** A fate log for the links created after this call ({@code null} for none). */
  public VirtualNetwork fateLog(FateLog fateLog) {
    this.fateLog = fateLog;
    return this;
  }

  /** A new endpoint at {@code address} without a handler yet (arrivals are discarded until set). */
  public Endpoint endpoint(InetSocketAddress address) {
    Objects.requireNonNull(address, "address");
    if (endpoints.containsKey(address) || aliases.containsKey(address)) {
      throw new IllegalArgumentException("address " + address + " is already in use");
    }
    Endpoint e = new Endpoint(this, address, null);
    endpoints.put(address, e);
    return e;
  }

  /** A new endpoint at {@code address} whose arrivals go to {@code handler}. */
  public Endpoint endpoint(InetSocketAddress address, DatagramHandler handler) {
    return endpoint(address).onReceive(handler);
  }

  /** The endpoints, in creation order. */
  public List<Endpoint> endpoints() {
    return List.copyOf(endpoints.values());
  }

  /** The links, in creation order. */
  public List<Link<Datagram>> links() {
    return List.copyOf(links);
  }

  /**
   * Joins endpoints {@code a} (side A: sends on {@code profile.up()}) and {@code b} with a link.
   * One link per pair.
   *
   * @return the link, for its statistics
   */
  public Link<Datagram> link(InetSocketAddress a, InetSocketAddress b, Profile profile, long seed) {
    Endpoint ea = require(a);
    Endpoint eb = require(b);
    if (ea == eb) {
      throw new IllegalArgumentException("cannot link " + a + " to itself");
    }
    if (routes.containsKey(new RouteKey(ea, eb))) {
      throw new IllegalArgumentException("a link between " + a + " and " + b + " exists already");
    }
    Link<Datagram> link =
        Link.builder(scheduler, DatagramAdapter.INSTANCE)
            .name(format(a) + "-" + format(b))
            .profile(profile)
            .seed(seed)
            .fateLog(fateLog)
            .sink(Direction.A_TO_B, (d, now) -> eb.deliver(d.source(), d.data()))
            .sink(Direction.B_TO_A, (d, now) -> ea.deliver(d.source(), d.data()))
            .build();
    links.add(link);
    routes.put(new RouteKey(ea, eb), new Route(ea, link.aToB()));
    routes.put(new RouteKey(eb, ea), new Route(eb, link.bToA()));
    return link;
  }

  /** The link joining the endpoints at {@code a} and {@code b} (either order), or {@code null}. */
  public Link<Datagram> linkBetween(InetSocketAddress a, InetSocketAddress b) {
    Route r = routes.get(new RouteKey(resolve(a), resolve(b)));
    return r == null ? null : r.direction.link();
  }

  /**
   * The source address {@code receiver} currently sees on datagrams from {@code sender} (different
   * from the sender's own address after a rebinding).
   */
  public InetSocketAddress apparentAddress(InetSocketAddress sender, InetSocketAddress receiver) {
    Route r = routes.get(new RouteKey(require(sender), require(receiver)));
    if (r == null) {
      throw new IllegalArgumentException("no link between " + sender + " and " + receiver);
    }
    return r.sourceAt(scheduler.nowNanos());
  }

  void send(Endpoint from, InetSocketAddress destination, byte[] data) {
    Endpoint to = resolve(destination);
    if (to == null) {
      throw new IllegalArgumentException("no endpoint at " + destination);
    }
    Route route = routes.get(new RouteKey(from, to));
    if (route == null) {
      throw new IllegalArgumentException(
          "no link between "
              + from.address()
              + " and "
              + to.address()
              + "; create one with VirtualNetwork.link(...)");
    }
    long now = scheduler.nowNanos();
    route.direction.offer(new Datagram(route.sourceAt(now), to.address(), data), now);
  }

  private Endpoint resolve(InetSocketAddress address) {
    Endpoint e = endpoints.get(address);
    return e != null ? e : aliases.get(address);
  }

  private Endpoint require(InetSocketAddress address) {
    Endpoint e = endpoints.get(address);
    if (e == null) {
      throw new IllegalArgumentException(
          "no endpoint at " + address + "; create it with VirtualNetwork.endpoint(...)");
    }
    return e;
  }

  private InetSocketAddress nextFreeAddress(InetSocketAddress base) {
    int port = base.getPort();
    for (int i = 0; i < 65535; i++) {
      port = port >= 65535 ? 1024 : port + 1;
      InetSocketAddress candidate = new InetSocketAddress(base.getAddress(), port);
      if (!endpoints.containsKey(candidate) && !aliases.containsKey(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free port left on " + base.getAddress());
  }

  private static String format(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private record RouteKey(Endpoint from, Endpoint to) {}

  /** One direction of a link as seen from its sender, with the sender's rebound addresses. */
  private final class Route {
    final Endpoint sender;
    final LinkDirection<Datagram> direction;
    final List<Rebind> rebinds;
    final List<InetSocketAddress> sources = new ArrayList<>();

    Route(Endpoint sender, LinkDirection<Datagram> direction) {
      this.sender = sender;
      this.direction = direction;
      this.rebinds = direction.link().profile().timeline().rebinds(direction.direction());
      sources.add(sender.address());
    }

    InetSocketAddress sourceAt(long now) {
      if (rebinds.isEmpty()) {
        return sender.address();
      }
      int epoch = direction.link().profile().timeline().rebindCount(direction.direction(), now);
      while (sources.size() <= epoch) {
        Rebind r = rebinds.get(sources.size() - 1);
        InetSocketAddress next =
            r.newAddress() != null
                ? r.newAddress()
                : nextFreeAddress(sources.get(sources.size() - 1));
        Endpoint owner = resolve(next);
        if (owner != null && owner != sender) {
          throw new IllegalStateException(
              "rebinding "
                  + sender.address()
                  + " to "
                  + next
                  + ": that address belongs to "
                  + owner.address());
        }
        aliases.put(next, sender);
        sources.add(next);
      }
      return sources.get(epoch);
    }
  }
}
