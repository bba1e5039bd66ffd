package io.kcpj.bench.perf;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * The datagram transport {@code kcpj perf} runs on: NIO always; epoll when Netty's native epoll
 * jars are on the class path (they are not bundled in kcpj.jar: {@code run-comparison.sh} adds
 * them) and the kernel supports it. Epoll is loaded reflectively so the bench module needs no
 * dependency on it; with epoll, reads use recvmmsg (up to 32 datagrams per call) and flushed
 * batches go out with sendmmsg.
 */
final class PerfTransport {
  private static final int MAX_DATAGRAM = 1500;

  final String name;
  final IoHandlerFactory ioHandlerFactory;
  final Class<? extends DatagramChannel> channelClass;
  private final ChannelOption<Integer> maxDatagramPayload;

  private PerfTransport(String name, IoHandlerFactory factory,
      Class<? extends DatagramChannel> channelClass, ChannelOption<Integer> maxDatagramPayload) {
    this.name = name;
    this.ioHandlerFactory = factory;
    this.channelClass = channelClass;
    this.maxDatagramPayload = maxDatagramPayload;
  }

  /** {@code nio}, {@code epoll} (fails if unavailable) or {@code auto} (epoll if available). */
  static PerfTransport select(String name) {
    if (name.equals("nio")) {
      return nio();
    }
    PerfTransport epoll = epollOrNull();
    if (epoll != null) {
      return epoll;
    }
    if (name.equals("epoll")) {
      throw new IllegalArgumentException("epoll is not available: put netty-transport-native-epoll "
          + "(linux-x86_64), netty-transport-classes-epoll and netty-transport-native-unix-common "
          + "on the class path");
    }
    return nio();
  }

  static PerfTransport nio() {
    return new PerfTransport("nio", NioIoHandler.newFactory(), NioDatagramChannel.class, null);
  }

  @SuppressWarnings("unchecked")
  private static PerfTransport epollOrNull() {
    try {
      Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
      if (!(Boolean) epoll.getMethod("isAvailable").invoke(null)) {
        return null;
      }
      IoHandlerFactory factory = (IoHandlerFactory) Class.forName("io.netty.channel.epoll.EpollIoHandler")
          .getMethod("newFactory").invoke(null);
      Class<? extends DatagramChannel> channel = Class.forName("io.netty.channel.epoll.EpollDatagramChannel")
          .asSubclass(DatagramChannel.class);
      ChannelOption<Integer> payload = (ChannelOption<Integer>) Class.forName(
          "io.netty.channel.epoll.EpollChannelOption").getField("MAX_DATAGRAM_PAYLOAD_SIZE").get(null);
      return new PerfTransport("epoll", factory, channel, payload);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /** Socket options for a datagram channel of this transport. */
  Bootstrap configure(Bootstrap b, int socketBuffer) {
    b.channel(channelClass).option(ChannelOption.SO_RCVBUF, socketBuffer)
        .option(ChannelOption.SO_SNDBUF, socketBuffer);
    if (maxDatagramPayload != null) {
      b.option(maxDatagramPayload, MAX_DATAGRAM)
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * 32));
    }
    return b;
  }
}
