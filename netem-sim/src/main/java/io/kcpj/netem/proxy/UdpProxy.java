package io.kcpj.netem.proxy;

import io.kcpj.netem.Direction;
import io.kcpj.netem.link.Link;
import io.kcpj.netem.link.LinkStatsSnapshot;
import io.kcpj.netem.link.PacketAdapter;
import io.kcpj.netem.link.PacketSink;
import io.kcpj.netem.log.FateLog;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.random.SplitMix64;
import io.kcpj.netem.time.WallClockScheduler;
import io.kcpj.netem.timeline.Rebind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A UDP proxy that impairs traffic between any UDP client and a target with netem-sim's models:
 * clients send to the listen address; the proxy forwards to the target through a simulated link,
 * and the target's replies back the same way.
 *
 * <pre>{@code
 * try (UdpProxy proxy = UdpProxy.builder()
 *     .listen(new InetSocketAddress("127.0.0.1", 9000))
 *     .target(new InetSocketAddress("127.0.0.1", 9001))
 *     .profile(Profile.named("3g-lossy"))
 *     .seed(42)
 *     .start()) {
 *   ...
 *   System.out.println(proxy.counters().summary());
 * }
 * }</pre>
 *
 * <p><b>Mappings.</b> Each client address gets its own mapping: its own upstream socket (so the
 * target sees one source port per client, like a NAT) and its own {@link Link}, seeded with the
 * proxy's seed mixed with the mapping's number (0, 1, ... in order of first packet). The client is
 * side A: its packets take the profile's {@code up} direction, the target's replies {@code down}.
 * An {@code up} rebinding opens a new upstream socket for every mapping at the event's time (bound
 * to the event's address if it gives one), so the target sees the client move; replies to the old
 * socket are still forwarded. A {@code down} rebinding is rejected.
 *
 * <p><b>Time and threading.</b> One thread ({@code netem-proxy}) owns every socket and link: it
 * waits in a {@link Selector} until the next delivery is due (millisecond resolution, never early),
 * steps the links' {@link WallClockScheduler} to the wall clock (time 0 is the proxy's start), and
 * reads what arrived, offering each datagram at its arrival time. {@link #counters()} is refreshed
 * by that thread every 100 ms and can be read from any thread. A fate log given to the builder is
 * written on the proxy thread; the caller closes it after {@link #close()}.
 *
 * <p><b>Buffers.</b> Each datagram read is copied into its own {@code byte[]}, which the link owns
 * until it is sent (a duplicate sends the same array twice; a corrupted packet is a copy).
 */
public final class UdpProxy implements AutoCloseable {
  private static final long PUBLISH_EVERY_NANOS = 100_000_000L;
  private static final int MAX_DATAGRAM = 65_536;
  private static final int MAX_READS_PER_WAKEUP = 256;

  private final InetSocketAddress listenAddress;
  private final InetSocketAddress target;
  private final Profile profile;
  private final long seed;
  private final FateLog fateLog;
  private final List<Rebind> upRebinds;

  private final Map<InetSocketAddress, Mapping> mappings = new LinkedHashMap<>();
  private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Selector selector;
  private DatagramChannel listen;
  private Thread thread;
  private WallClockScheduler clock;
  private long lastPublish;
  private long ioErrors;
  private volatile boolean closing;
  private volatile ProxyCounters counters = ProxyCounters.EMPTY;
  private volatile Throwable failure;

  private UdpProxy(Builder b) {
    this.listenAddress = Objects.requireNonNull(b.listen, "listen address");
    this.target = Objects.requireNonNull(b.target, "target address");
    this.profile = b.profile;
    this.seed = b.seed;
    this.fateLog = b.fateLog;
    this.upRebinds = profile.timeline().rebinds(Direction.A_TO_B);
    if (!profile.timeline().rebinds(Direction.B_TO_A).isEmpty()) {
      throw new IllegalArgumentException(
          "UdpProxy cannot rebind the down direction (the listen "
              + "socket is fixed); use up.rebind to make the target see the client move");
    }
  }

  /** A builder; listen and target addresses are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Binds the listen socket and starts the proxy thread. */
  private UdpProxy start() throws IOException {
    selector = Selector.open();
    try {
      listen = DatagramChannel.open();
      listen.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      listen.bind(listenAddress);
      listen.configureBlocking(false);
      listen.register(selector, SelectionKey.OP_READ, null);
    } catch (IOException e) {
      selector.close();
      if (listen != null) {
        listen.close();
      }
      throw e;
    }
    clock = new WallClockScheduler();
    thread = new Thread(this::run, "netem-proxy");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** The bound listen address (with the real port if port 0 was asked for). */
  public InetSocketAddress localAddress() {
    try {
      return (InetSocketAddress) listen.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code System.nanoTime()} reading that is time 0 of this proxy's links: a timeline event at
   * {@code t} nanoseconds (a blackout, a rebinding) starts at {@code clockOriginNanos() + t}. Fixed
   * when the proxy starts; any thread. Lets a caller that measures in {@code System.nanoTime()}
   * (this process or another one on the same machine, where it is the one monotonic clock) time
   * what it observes from the timeline's events.
   */
  public long clockOriginNanos() {
    return clock.originWallNanos();
  }

  /** The target address. */
  public InetSocketAddress target() {
    return target;
  }

  /** The profile in force. */
  public Profile profile() {
    return profile;
  }

  /** The latest counters (at most 100 ms old while running; final after {@link #close()}). */
  public ProxyCounters counters() {
    return counters;
  }

  /** Whether the proxy thread died on an unexpected error (then it is the cause), else null. */
  public Throwable failure() {
    return failure;
  }

  /**
   * Stops the proxy: the thread closes every socket and releases the held packets (they are not
   * sent). Waits up to five seconds. Idempotent.
   */
  @Override
  public void close() {
    closing = true;
    if (selector != null) {
      try {
        selector.wakeup();
      } catch (ClosedSelectorException e) {
        // already closed by the thread
      }
    }
    try {
      stopped.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (!closing) {
        long now = clock.advance();
        if (now - lastPublish >= PUBLISH_EVERY_NANOS) {
          publish(now);
        }
        long wait =
            Math.min(
                clock.nanosUntilNextDue(), lastPublish + PUBLISH_EVERY_NANOS - clock.wallNanos());
        if (wait <= 0) {
          selector.selectNow();
        } else {
          selector.select(Math.max(1, (wait + 999_999) / 1_000_000));
        }
        clock.advance();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (key.isValid() && key.isReadable()) {
            if (key.attachment() == null) {
              readClients();
            } else {
              readTarget((Mapping) key.attachment(), (DatagramChannel) key.channel());
            }
          }
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
    } finally {
      shutdown();
    }
  }

  private void readClients() throws IOException {
    for (int i = 0; i < MAX_READS_PER_WAKEUP; i++) {
      receiveBuffer.clear();
      SocketAddress from = listen.receive(receiveBuffer);
      if (from == null) {
        return;
      }
      byte[] data = copyReceived();
      long now = stampArrival();
      Mapping m = mappings.get((InetSocketAddress) from);
      try {
        if (m == null) {
          m = new Mapping((InetSocketAddress) from, mappings.size());
          mappings.put(m.client, m);
        }
        m.rebindIfDue(now);
      } catch (IOException e) {
        ioErrors++; // no upstream socket for this client (yet): the datagram is lost
        if (m == null) {
          continue;
        }
      }
      m.link.aToB().offer(new Outgoing(data, m.upstreams.size() - 1), now);
    }
  }

  private void readTarget(Mapping m, DatagramChannel channel) {
    for (int i = 0; i < MAX_READS_PER_WAKEUP; i++) {
      receiveBuffer.clear();
      SocketAddress from;
      try {
        from = channel.receive(receiveBuffer);
      } catch (IOException e) {
        ioErrors++; // e.g. ICMP port unreachable reported on a connected socket
        return;
      }
      if (from == null) {
        return;
      }
      byte[] data = copyReceived();
      m.link.bToA().offer(new Outgoing(data, 0), stampArrival());
    }
  }

  /**
   * The time a datagram just read is offered at: the wall clock when it was read (never before it
   * arrived, so it is never delivered early), after delivering what is due by then.
   */
  private long stampArrival() {
    return clock.advance();
  }

  private byte[] copyReceived() {
    receiveBuffer.flip();
    byte[] data = new byte[receiveBuffer.remaining()];
    receiveBuffer.get(data);
    return data;
  }

  private void publish(long now) {
    LinkStatsSnapshot up = LinkStatsSnapshot.ZERO;
    LinkStatsSnapshot down = LinkStatsSnapshot.ZERO;
    for (Mapping m : mappings.values()) {
      up = up.plus(m.link.aToB().stats().snapshot());
      down = down.plus(m.link.bToA().stats().snapshot());
    }
    counters = new ProxyCounters(now, mappings.size(), up, down, ioErrors);
    lastPublish = now;
  }

  private void shutdown() {
    try {
      publish(clock.wallNanos());
    } catch (RuntimeException e) {
      // keep the last published counters
    }
    for (Mapping m : mappings.values()) {
      m.link.close();
      for (DatagramChannel c : m.upstreams) {
        closeQuietly(c);
      }
    }
    closeQuietly(listen);
    try {
      selector.close();
    } catch (IOException e) {
      // nothing left to do
    }
    stopped.countDown();
  }

  private static void closeQuietly(DatagramChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** A datagram in flight: its bytes and, going up, which upstream socket sends it. */
  private record Outgoing(byte[] data, int upstream) {}

  private static final PacketAdapter<Outgoing> ADAPTER =
      new PacketAdapter<>() {
        @Override
        public int length(Outgoing packet) {
          return packet.data().length;
        }

        @Override
        public Outgoing duplicate(Outgoing packet) {
          return packet;
        }

        @Override
        public Outgoing corrupt(Outgoing packet, int index, int bit) {
          byte[] c = Arrays.copyOf(packet.data(), packet.data().length);
          c[index] ^= (byte) (1 << bit);
          return new Outgoing(c, packet.upstream());
        }
      };

  /** One client: its upstream socket(s) and its link. */
  private final class Mapping {
    final InetSocketAddress client;
    final List<DatagramChannel> upstreams = new ArrayList<>();
    final Link<Outgoing> link;

    Mapping(InetSocketAddress client, int index) throws IOException {
      this.client = client;
      this.link =
          Link.builder(clock, ADAPTER)
              .name(client.getAddress().getHostAddress() + ":" + client.getPort())
              .profile(profile)
              .seed(SplitMix64.mix(seed + index))
              .fateLog(fateLog)
              .sink(
                  Direction.A_TO_B,
                  new PacketSink<>() {
                    @Override
                    public void deliver(Outgoing packet, long nowNanos) {
                      send(upstreams.get(packet.upstream()), packet.data(), null);
                    }
                  })
              .sink(Direction.B_TO_A, (packet, now) -> send(listen, packet.data(), this.client))
              .build();
      openUpstream(null);
    }

    void rebindIfDue(long now) throws IOException {
      if (upRebinds.isEmpty()) {
        return;
      }
      int epoch = profile.timeline().rebindCount(Direction.A_TO_B, now);
      while (upstreams.size() <= epoch) {
        openUpstream(upRebinds.get(upstreams.size() - 1).newAddress());
      }
    }

    private void openUpstream(InetSocketAddress bindTo) throws IOException {
      DatagramChannel c = DatagramChannel.open();
      try {
        c.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        c.bind(bindTo);
        c.connect(target);
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ, this);
      } catch (IOException e) {
        c.close();
        throw e;
      }
      upstreams.add(c);
    }

    private void send(DatagramChannel channel, byte[] data, InetSocketAddress to) {
      try {
        int n =
            to == null
                ? channel.write(ByteBuffer.wrap(data))
                : channel.send(ByteBuffer.wrap(data), to);
        if (n == 0 && data.length > 0) {
          ioErrors++; // no room in the socket's send buffer: the datagram is lost
        }
      } catch (IOException e) {
        ioErrors++;
      }
    }
  }

  /** Configures a {@link UdpProxy}; not thread-safe. */
  public static final class Builder {
    private InetSocketAddress listen;
    private InetSocketAddress target;
    private Profile profile = Profile.ideal();
    private long seed;
    private FateLog fateLog;

    private Builder() {}

    /** Where clients send (port 0 picks a free port; see {@link UdpProxy#localAddress()}). */
    public Builder listen(InetSocketAddress listen) {
      this.listen = Objects.requireNonNull(listen, "listen");
      return this;
    }

    /** Where the proxy forwards. */
    public Builder target(InetSocketAddress target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** The impairments: {@code up} = client → target, {@code down} = target → client. */
    public Builder profile(Profile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /** The seed (each mapping mixes in its number). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** A per-packet fate log, written on the proxy thread ({@code null} for none). */
    public Builder fateLog(FateLog fateLog) {
      this.fateLog = fateLog;
      return this;
    }

    /**
     * Binds and starts the proxy.
     *
     * @throws IOException if the listen address cannot be bound
     * @throws IllegalArgumentException if the profile rebinds the down direction
     */
    public UdpProxy start() throws IOException {
      return new UdpProxy(this).start();
    }
  }
}
