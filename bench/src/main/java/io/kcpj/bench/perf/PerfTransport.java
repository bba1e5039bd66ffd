package io.kcpj.bench.perf;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.util.List;

/**
 * The datagram transport {@code kcpj perf} runs on: NIO always; epoll and io_uring when Netty's
 * native jars for them are on the class path (they are not bundled in kcpj.jar: {@code
 * run-comparison.sh} adds them from the local Maven repository, where kcp-netty's test build puts
 * them) and the kernel supports them. The native transports are loaded reflectively so the bench
 * module needs no dependency on them; with either, reads fill one buffer with up to 32 datagrams
 * (epoll: recvmmsg; io_uring: one recvmsg submission per datagram slot), and both have {@code
 * SO_REUSEPORT} for a server of several datagram channels on one port. Immutable.
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
  final IoHandlerFactory ioHandlerFactory;
  final Class<? extends DatagramChannel> channelClass;
  private final ChannelOption<Integer> maxDatagramPayload;
  private final ChannelOption<Boolean> reusePort;

  private PerfTransport(
      String name,
      IoHandlerFactory factory,
      Class<? extends DatagramChannel> channelClass,
      ChannelOption<Integer> maxDatagramPayload,
      ChannelOption<Boolean> reusePort) {
    this.name = name;
    this.ioHandlerFactory = factory;
    this.channelClass = channelClass;
    this.maxDatagramPayload = maxDatagramPayload;
    this.reusePort = reusePort;
  }

  /**
   * {@code nio}; {@code epoll} or {@code io_uring} (each fails, saying why, when unavailable); or
   * {@code auto}: epoll if available, else NIO.
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
        try {
          return epoll();
        } catch (IllegalArgumentException unavailable) {
          return nio();
        }
      default:
        throw new IllegalArgumentException(
            "unknown transport '" + name + "': expected one of " + String.join(", ", NAMES));
    }
  }

  /** Netty's NIO transport (always available). */
  public static PerfTransport nio() {
    return new PerfTransport(
        "nio", NioIoHandler.newFactory(), NioDatagramChannel.class, null, null);
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
              + " is not available: its classes are not on the "
              + "class path (add "
              + jars
              + " and netty-transport-native-unix-common, of the Netty "
              + "version in kcpj.jar; bench/peers/run-comparison.sh shows how)",
          e);
    }
    try {
      if (!(Boolean) probe.getMethod("isAvailable").invoke(null)) {
        Throwable cause = (Throwable) probe.getMethod("unavailabilityCause").invoke(null);
        throw new IllegalArgumentException(
            name + " is not available on this machine: " + cause, cause);
      }
      IoHandlerFactory factory =
          (IoHandlerFactory) Class.forName(ioHandler).getMethod("newFactory").invoke(null);
      Class<? extends DatagramChannel> channelClass =
          Class.forName(channel).asSubclass(DatagramChannel.class);
      Class<?> optionClass = Class.forName(options);
      ChannelOption<Integer> payload =
          (ChannelOption<Integer>) optionClass.getField("MAX_DATAGRAM_PAYLOAD_SIZE").get(null);
      ChannelOption<Boolean> reusePort =
          (ChannelOption<Boolean>)
              optionClass.getField("SO_REUSEPORT").get(null); // UnixChannelOption's
      return new PerfTransport(name, factory, channelClass, payload, reusePort);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(name + " could not be loaded: " + e, e);
    }
  }

  /** The transport's name: {@code nio}, {@code epoll} or {@code io_uring}. */
  public String name() {
    return name;
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
