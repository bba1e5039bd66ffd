package io.kcpj.netem.netty;

import io.kcpj.netem.Direction;
import io.kcpj.netem.link.Link;
import io.kcpj.netem.link.LinkStats;
import io.kcpj.netem.link.PacketSink;
import io.kcpj.netem.log.FateLog;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.timeline.Rebind;
import io.kcpj.netem.timeline.Timeline;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Netty handler that impairs the {@link DatagramPacket}s crossing it, inbound and/or outbound,
 * with netem-sim's models, in real time on the channel's event loop. Add it to any UDP pipeline
 * (NIO, epoll, io_uring, kqueue), usually first, next to the channel:
 *
 * <pre>{@code
 * pipeline.addFirst("netem", NetemHandler.builder()
 *     .inbound(Profile.named("3g-lossy").down())
 *     .outbound(Profile.named("3g-lossy").up())
 *     .seed(42)
 *     .build());
 * }</pre>
 *
 * <p>The channel is side A of the simulated link: what it writes travels A→B ("up", the {@link
 * Builder#outbound outbound} profile), what it reads travels B→A ("down", the {@link
 * Builder#inbound inbound} profile). A direction left ideal is passed straight through, without a
 * trip through the scheduler. Messages that are not {@code DatagramPacket}s always pass straight
 * through.
 *
 * <h2>Buffer ownership</h2>
 *
 * <ul>
 *   <li>Inbound: a {@code DatagramPacket} read here belongs to the handler until it is passed on
 *       with {@code fireChannelRead} at its delivery time (the next handler then owns it and must
 *       release it) or dropped (the handler releases it).
 *   <li>Outbound: a written {@code DatagramPacket} belongs to the handler until it is written on at
 *       its delivery time or dropped (released here). The write's promise succeeds as soon as the
 *       handler accepts the packet, dropped or not, as a UDP send gives no delivery feedback; a
 *       failure of the delayed write is not reported back.
 *   <li>A duplicate is a {@code retainedDuplicate()} (shared memory, its own reference); a
 *       corrupted packet is a copy with one bit flipped, the original being released; a shared or
 *       read-only buffer is never written to.
 *   <li>When the handler is removed or the channel becomes inactive, every held packet is released.
 * </ul>
 *
 * <h2>Time and threading</h2>
 *
 * The clock is the event loop's {@code Ticker} ({@link EventLoopScheduler}), so an {@code
 * EmbeddedChannel} with {@code freezeTime()} / {@code advanceTimeBy(...)} drives it
 * deterministically in tests. Everything runs on the channel's event loop; the statistics accessors
 * must be called there too. Not {@code @Sharable}: one instance per pipeline.
 *
 * <h2>Timeline</h2>
 *
 * Blackouts, delay steps and loss changes apply as in any link. A rebinding of the inbound ({@code
 * down}) direction makes the channel see the remote sender at a new address (its port plus the
 * number of rebindings, or the event's address); writes to that address are sent to the real
 * remote. An {@code up} rebinding cannot be simulated here (the local socket's port is real) and is
 * rejected.
 */
public final class NetemHandler extends ChannelDuplexHandler {
  private final Profile profile;
  private final long seed;
  private final String name;
  private final FateLog fateLog;
  private final boolean impairInbound;
  private final boolean impairOutbound;
  private final List<Rebind> inboundRebinds;
  private final Map<InetSocketAddress, InetSocketAddress> aliasToReal = new HashMap<>();
  private final Map<InetSocketAddress, List<InetSocketAddress>> realToAliases = new HashMap<>();

  private ChannelHandlerContext ctx;
  private Link<DatagramPacket> link;

  private NetemHandler(Builder b) {
    this.profile = b.profile;
    this.seed = b.seed;
    this.name = b.name;
    this.fateLog = b.fateLog;
    this.impairOutbound =
        !profile.up().isIdeal() || !profile.timeline().eventsFor(Direction.A_TO_B).isEmpty();
    this.impairInbound =
        !profile.down().isIdeal() || !profile.timeline().eventsFor(Direction.B_TO_A).isEmpty();
    this.inboundRebinds = profile.timeline().rebinds(Direction.B_TO_A);
    if (!profile.timeline().rebinds(Direction.A_TO_B).isEmpty()) {
      throw new IllegalArgumentException(
          "NetemHandler cannot rebind the outbound (up) direction:"
              + " the local port is real; use down.rebind to move the remote's apparent address");
    }
  }

  /** A builder: both directions ideal, seed 0. */
  public static Builder builder() {
    return new Builder();
  }

  /** The simulated link (available once the handler is added to a pipeline). */
  public Link<DatagramPacket> link() {
    return link;
  }

  /** Counters of the outbound (A→B) direction; call on the event loop. */
  public LinkStats outboundStats() {
    return link.aToB().stats();
  }

  /** Counters of the inbound (B→A) direction; call on the event loop. */
  public LinkStats inboundStats() {
    return link.bToA().stats();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.link =
        Link.builder(new EventLoopScheduler(ctx.executor()), DatagramPacketAdapter.INSTANCE)
            .name(name)
            .profile(profile)
            .seed(seed)
            .fateLog(fateLog)
            .sink(
                Direction.A_TO_B,
                new PacketSink<>() {
                  @Override
                  public void deliver(DatagramPacket packet, long nowNanos) {
                    NetemHandler.this.ctx.write(packet);
                  }

                  @Override
                  public void endOfBatch() {
                    NetemHandler.this.ctx.flush();
                  }
                })
            .sink(
                Direction.B_TO_A,
                new PacketSink<>() {
                  @Override
                  public void deliver(DatagramPacket packet, long nowNanos) {
                    NetemHandler.this.ctx.fireChannelRead(packet);
                  }

                  @Override
                  public void endOfBatch() {
                    NetemHandler.this.ctx.fireChannelReadComplete();
                  }
                })
            .build();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (link != null) {
      link.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    link.close();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!impairInbound || !(msg instanceof DatagramPacket) || link.bToA().isClosed()) {
      ctx.fireChannelRead(msg);
      return;
    }
    DatagramPacket packet = (DatagramPacket) msg;
    long now = link.scheduler().nowNanos();
    if (!inboundRebinds.isEmpty() && packet.sender() != null) {
      int epoch = profile.timeline().rebindCount(Direction.B_TO_A, now);
      if (epoch > 0) {
        InetSocketAddress alias = alias(packet.sender(), epoch);
        packet = new DatagramPacket(packet.content(), packet.recipient(), alias);
      }
    }
    link.bToA().offer(packet, now);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof DatagramPacket)) {
      ctx.write(msg, promise);
      return;
    }
    DatagramPacket packet = (DatagramPacket) msg;
    InetSocketAddress real = aliasToReal.get(packet.recipient());
    if (real != null) {
      packet = new DatagramPacket(packet.content(), real, packet.sender());
    }
    if (!impairOutbound || link.aToB().isClosed()) {
      ctx.write(packet, promise);
      return;
    }
    link.aToB().offer(packet);
    promise.trySuccess();
  }

  /** The address the channel sees for {@code sender} after {@code epoch} rebindings. */
  private InetSocketAddress alias(InetSocketAddress sender, int epoch) {
    List<InetSocketAddress> list = realToAliases.computeIfAbsent(sender, k -> new ArrayList<>());
    while (list.size() < epoch) {
      Rebind r = inboundRebinds.get(list.size());
      InetSocketAddress a =
          r.newAddress() != null
              ? r.newAddress()
              : new InetSocketAddress(
                  sender.getAddress(),
                  1024 + (sender.getPort() - 1024 + list.size() + 1 + 64512) % 64512);
      list.add(a);
      aliasToReal.put(a, sender);
    }
    return list.get(epoch - 1);
  }

  /** Configures a {@link NetemHandler}; not thread-safe. */
  public static final class Builder {
    private Profile profile = Profile.ideal();
    private long seed;
    private String name = "netty";
    private FateLog fateLog;

    private Builder() {}

    /** Both directions and the timeline: {@code up} = outbound, {@code down} = inbound. */
    public Builder profile(Profile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /** The impairments of what the channel writes (A→B). */
    public Builder outbound(DirectionProfile outbound) {
      this.profile = profile.toBuilder().up(outbound).build();
      return this;
    }

    /** The impairments of what the channel reads (B→A). */
    public Builder inbound(DirectionProfile inbound) {
      this.profile = profile.toBuilder().down(inbound).build();
      return this;
    }

    /** Scripted events. */
    public Builder timeline(Timeline timeline) {
      this.profile = profile.toBuilder().timeline(timeline).build();
      return this;
    }

    /** The seed of every random draw. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The link name in fate logs. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** A per-packet fate log, written on the event loop ({@code null} for none). */
    public Builder fateLog(FateLog fateLog) {
      this.fateLog = fateLog;
      return this;
    }

    /**
     * The handler.
     *
     * @throws IllegalArgumentException if the timeline rebinds the outbound direction
     */
    public NetemHandler build() {
      return new NetemHandler(this);
    }
  }
}
