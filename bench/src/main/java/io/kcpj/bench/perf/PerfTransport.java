package io.kcpj.bench.perf;

import io.kcpj.netty.BusyPolling;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.function.Function;

/**
 * The datagram transport {@code kcpj perf} runs on: NIO always; epoll and io_uring when Netty's
 * native classes and library for them are on the class path and the kernel supports them. kcpj.jar
 * carries both, for linux-x86_64 and linux-aarch_64. They are loaded reflectively, so the bench
 * code compiles and runs without them (on NIO); with either, reads fill one buffer with up to 32
 * datagrams (epoll: recvmmsg; io_uring: one recvmsg submission per datagram slot), and both have
 * {@code SO_REUSEPORT} for a server of several datagram channels on one port. {@code auto} takes
 * the first available of epoll, io_uring and NIO, and {@link #description()} says which and why.
 * {@link #withBusyPolling()} gives the same transport with event loops that never sleep (NIO and
 * epoll; see {@link BusyPolling}). Immutable.
 */
public final class PerfTransport {
  /** The names {@link #select(String)} accepts. */
  public static final List<String> NAMES = List.of("nio", "epoll", "io_uring", "auto");

  private static final int MAX_DATAGRAM = 1500;

  /** Datagrams one recvmmsg call may take (the receive buffer holds this many). */
  private static final int RECVMMSG_BATCH = 32;

  /**
   * The read-burst limit (Netty's {@code maxMessagesPerRead}, which counts datagrams) with read
   * coalescing on: eight recvmmsg calls. Coalescing knows a burst drained the socket only when it
   * ended below this limit. Without coalescing the limit stays 1 (one recvmmsg per burst, then
   * Netty reads on in a new burst): on (b) that measured about 15 % less server CPU per message
   * than 32 or 256 (3 runs each, same client).
   */
  static final int COALESCING_READ_BURST = 8 * RECVMMSG_BATCH;

  final String name;

  /** How it was chosen: empty when named, else what {@code auto} found. */
  private final String choice;

  final IoHandlerFactory ioHandlerFactory;

  /**
   * The I/O handler factory for a given select strategy; null where the handler takes none
   * (io_uring).
   */
  private final Function<SelectStrategyFactory, IoHandlerFactory> withStrategy;

  /** Whether {@link #ioHandlerFactory} busy-polls. */
  private final boolean busyPolling;

  final Class<? extends DatagramChannel> channelClass;
  private final ChannelOption<Integer> maxDatagramPayload;
  private final ChannelOption<Boolean> reusePort;

  private PerfTransport(
      String name,
      Function<SelectStrategyFactory, IoHandlerFactory> withStrategy,
      IoHandlerFactory factory,
      Class<? extends DatagramChannel> channelClass,
      ChannelOption<Integer> maxDatagramPayload,
      ChannelOption<Boolean> reusePort) {
    this.name = name;
    this.choice = "";
    this.withStrategy = withStrategy;
    this.busyPolling = false;
    this.ioHandlerFactory = factory;
    this.channelClass = channelClass;
    this.maxDatagramPayload = maxDatagramPayload;
    this.reusePort = reusePort;
  }

  /** {@code from}'s transport, chosen as {@code choice}, its loops made by {@code factory}. */
  private PerfTransport(
      PerfTransport from, String choice, boolean busyPolling, IoHandlerFactory factory) {
    this.name = from.name;
    this.choice = choice;
    this.withStrategy = from.withStrategy;
    this.busyPolling = busyPolling;
    this.ioHandlerFactory = factory;
    this.channelClass = from.channelClass;
    this.maxDatagramPayload = from.maxDatagramPayload;
    this.reusePort = from.reusePort;
  }

  /**
   * {@code nio}; {@code epoll} or {@code io_uring} (each fails, saying why, when unavailable); or
   * {@code auto}: the first available of epoll, io_uring and NIO (epoll first: on loopback it
   * measured the lowest round trip and the least CPU per message of the three).
   *
   * @throws IllegalArgumentException for another name, or a native transport that is unavailable
   */
  public static PerfTransport select(String name) {
    switch (name) {
      case "nio":
        return nio();
      case "epoll":
        return epoll();
      case "io_uring":
        return ioUring();
      case "auto":
        return auto();
      default:
        throw new IllegalArgumentException(
            "unknown transport '" + name + "': expected one of " + String.join(", ", NAMES));
    }
  }

  private static PerfTransport auto() {
    StringBuilder why = new StringBuilder("auto");
    try {
      return epoll().chosen(why.toString());
    } catch (IllegalArgumentException unavailable) {
      why.append("; ").append(unavailable.getMessage());
    }
    try {
      return ioUring().chosen(why.toString());
    } catch (IllegalArgumentException unavailable) {
      why.append("; ").append(unavailable.getMessage());
    }
    return nio().chosen(why.toString());
  }

  private PerfTransport chosen(String how) {
    return new PerfTransport(this, how, busyPolling, ioHandlerFactory);
  }

  /**
   * The same transport with event loops that never sleep ({@link BusyPolling}): each event loop
   * keeps a core busy, for the lowest latency on a thin stream.
   *
   * @throws IllegalArgumentException on io_uring, whose I/O handler takes no select strategy
   */
  public PerfTransport withBusyPolling() {
    if (withStrategy == null) {
      throw new IllegalArgumentException(
          "busy polling needs --transport nio or epoll: Netty's "
              + name
              + " event loop takes no select strategy");
    }
    return new PerfTransport(
        this, choice, true, withStrategy.apply(BusyPolling.selectStrategyFactory()));
  }

  /** Whether this transport's event loops busy-poll ({@link #withBusyPolling()}). */
  public boolean busyPolling() {
    return busyPolling;
  }

  /** Netty's NIO transport (always available). */
  public static PerfTransport nio() {
    return new PerfTransport(
        "nio",
        strategy -> NioIoHandler.newFactory(SelectorProvider.provider(), strategy),
        NioIoHandler.newFactory(),
        NioDatagramChannel.class,
        null,
        null);
  }

  /** Netty's epoll transport, or {@link IllegalArgumentException} saying why it is unavailable. */
  static PerfTransport epoll() {
    return loadNative(
        "epoll",
        "io.netty.channel.epoll.Epoll",
        "io.netty.channel.epoll.EpollIoHandler",
        "io.netty.channel.epoll.EpollDatagramChannel",
        "io.netty.channel.epoll.EpollChannelOption",
        "netty-transport-native-epoll (linux-x86_64), netty-transport-classes-epoll");
  }

  /**
   * Netty's io_uring transport, or {@link IllegalArgumentException} saying why it is unavailable.
   */
  static PerfTransport ioUring() {
    return loadNative(
        "io_uring",
        "io.netty.channel.uring.IoUring",
        "io.netty.channel.uring.IoUringIoHandler",
        "io.netty.channel.uring.IoUringDatagramChannel",
        "io.netty.channel.uring.IoUringChannelOption",
        "netty-transport-native-io_uring (linux-x86_64), netty-transport-classes-io_uring");
  }

  @SuppressWarnings("unchecked")
  private static PerfTransport loadNative(
      String name,
      String availability,
      String ioHandler,
      String channel,
      String options,
      String jars) {
    Class<?> probe;
    try {
      probe = Class.forName(availability);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          name
              + " is not available: its classes are not on the class path (kcpj.jar carries"
              + " them; with a class path of your own add "
              + jars
              + " and netty-transport-native-unix-common, of the Netty version of kcp-netty)",
          e);
    }
    try {
      if (!(Boolean) probe.getMethod("isAvailable").invoke(null)) {
        Throwable cause = (Throwable) probe.getMethod("unavailabilityCause").invoke(null);
        throw new IllegalArgumentException(
            name + " is not available on this machine: " + cause, cause);
      }
      Class<?> handlerClass = Class.forName(ioHandler);
      IoHandlerFactory factory =
          (IoHandlerFactory) handlerClass.getMethod("newFactory").invoke(null);
      Function<SelectStrategyFactory, IoHandlerFactory> withStrategy = null;
      try {
        // epoll: newFactory(maxEvents, strategy), 0 letting the event array grow as needed
        java.lang.reflect.Method m =
            handlerClass.getMethod("newFactory", int.class, SelectStrategyFactory.class);
        withStrategy =
            strategy -> {
              try {
                return (IoHandlerFactory) m.invoke(null, 0, strategy);
              } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(name + " could not be loaded: " + e, e);
              }
            };
      } catch (NoSuchMethodException noStrategy) {
        // io_uring: no select strategy
      }
      Class<? extends DatagramChannel> channelClass =
          Class.forName(channel).asSubclass(DatagramChannel.class);
      Class<?> optionClass = Class.forName(options);
      ChannelOption<Integer> payload =
          (ChannelOption<Integer>) optionClass.getField("MAX_DATAGRAM_PAYLOAD_SIZE").get(null);
      ChannelOption<Boolean> reusePort =
          (ChannelOption<Boolean>)
              optionClass.getField("SO_REUSEPORT").get(null); // UnixChannelOption's
      return new PerfTransport(name, withStrategy, factory, channelClass, payload, reusePort);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(name + " could not be loaded: " + e, e);
    }
  }

  /** The transport's name: {@code nio}, {@code epoll} or {@code io_uring}. */
  public String name() {
    return name;
  }

  /**
   * The name, and for {@code auto} how it was chosen, e.g. {@code epoll (auto)} or {@code nio
   * (auto; epoll is not available on this machine: ...; io_uring ...)}; busy polling is named last:
   * {@code epoll (busy polling)}, {@code epoll (auto, busy polling)}.
   */
  public String description() {
    String how =
        busyPolling ? (choice.isEmpty() ? "busy polling" : choice + ", busy polling") : choice;
    return how.isEmpty() ? name : name + " (" + how + ")";
  }

  /** True when several datagram channels can share one port ({@code SO_REUSEPORT}). */
  boolean supportsReusePort() {
    return reusePort != null;
  }

  /** Socket options for a datagram channel of this transport, one recvmmsg per read burst. */
  Bootstrap configure(Bootstrap b, int socketBuffer) {
    return configure(b, socketBuffer, 1);
  }

  /**
   * Socket options for a datagram channel of this transport; on epoll and io_uring, reads take up
   * to {@value #RECVMMSG_BATCH} datagrams per call and up to {@code readBurst} per burst.
   */
  Bootstrap configure(Bootstrap b, int socketBuffer, int readBurst) {
    b.channel(channelClass)
        .option(ChannelOption.SO_RCVBUF, socketBuffer)
        .option(ChannelOption.SO_SNDBUF, socketBuffer);
    if (maxDatagramPayload != null) {
      b.option(maxDatagramPayload, MAX_DATAGRAM)
          .option(
              ChannelOption.RECVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECVMMSG_BATCH)
                  .maxMessagesPerRead(readBurst));
    }
    return b;
  }

  /**
   * {@link #configure} plus {@code SO_REUSEPORT}, for one of several datagram channels bound to the
   * same port.
   *
   * @throws IllegalStateException when this transport has no {@code SO_REUSEPORT} (NIO)
   */
  Bootstrap configureReusePort(Bootstrap b, int socketBuffer, int readBurst) {
    if (reusePort == null) {
      throw new IllegalStateException(name + " has no SO_REUSEPORT");
    }
    return configure(b, socketBuffer, readBurst).option(reusePort, true);
  }
}
