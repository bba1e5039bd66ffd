package io.kcpj.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.nio.NioIoHandler;
import java.nio.channels.spi.SelectorProvider;

/**
 * Event loops that never sleep: for a thin stream (a few tens of messages per second) on a fast
 * path, where every microsecond of a round trip counts and a whole CPU core per event loop may be
 * spent on it.
 *
 * <p><b>What it trades.</b> An ordinary Netty event loop blocks in {@code epoll_wait} (or the NIO
 * selector) until a datagram or a timer is due. On a stream whose messages are 50 ms apart, each
 * message then pays for the loop's wake-up, and runs the KCP path (the child pipeline, the codec
 * and the engine: a few kB of code and data) with cold caches. On a fast path that is most of what
 * kcpj adds to a round trip. A busy-polling loop asks the kernel for ready events without waiting
 * ({@code epoll_wait} with a zero timeout, or {@code selectNow}), then runs its tasks and due
 * timers, and asks again, for ever: the thread stays on its core and the path stays warm. In
 * exchange each such event loop keeps one core at 100 %, whether traffic flows or not; and with
 * more busy threads than cores, the loops take turns on the cores and the tail latency grows
 * instead (the scheduler's time slices, milliseconds, replace the wake-ups). Use it on a machine
 * where each busy event loop has a core of its own; keep the ordinary loops everywhere else. This
 * is the busy-spin idle strategy of low-latency messaging systems, applied to a Netty event loop.
 *
 * <p><b>Measured</b> ({@code bench/peers/RESULTS.md}, Run 12): one session of 100-byte echoes at 20
 * Hz on loopback, {@code kcpj perf} client and server on the two cores of an otherwise idle
 * machine, epoll, with the raw-UDP floor measured by the same client in the same run. Ordinary
 * loops: median round trip 0.34–0.36 ms, of which 0.10–0.13 ms over the raw floor's. Busy-polling
 * loops on both sides: 0.10–0.14 ms, 0.02–0.05 ms over the floor's (an hour later, on the same
 * machine: 0.05–0.12 ms over the floor's, against 0.08–0.19 ms). The server's process used 100 % of
 * a core throughout, and the p99 rose from about 1 ms to 3–4 ms: with both cores held by busy
 * loops, every other thread had to preempt one. With a build running beside them the busy loops
 * fared far worse than ordinary ones (p99 20–180 ms against 1–3 ms).
 *
 * <p><b>Use.</b> Pass {@link #selectStrategyFactory()} where Netty's I/O handler factory takes one,
 * or take the NIO factory ready-made from {@link #nioHandlerFactory()}:
 *
 * <pre>{@code
 * // epoll (netty-transport-native-epoll); 0 = let the event array grow as needed
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(
 *     1, EpollIoHandler.newFactory(0, BusyPolling.selectStrategyFactory()));
 * // or NIO
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, BusyPolling.nioHandlerFactory());
 * }</pre>
 *
 * Everything else stays as it is: the datagram channel, the codec and the KCP sessions do not know
 * how their loop waits. Timers still fire on time (a due scheduled task runs on the next turn of
 * the loop, within microseconds), and tasks submitted from other threads run on the next turn
 * without a wake-up. Netty's io_uring handler takes no select strategy, so it has no busy-polling
 * form here.
 *
 * <p>Stateless; the strategy and factories may be shared by any number of event loops.
 */
public final class BusyPolling {
  /** Never blocks: always the number of ready events from a wait with a zero timeout. */
  private static final SelectStrategy NEVER_BLOCK = (selectNow, hasTasks) -> selectNow.get();

  private static final SelectStrategyFactory FACTORY = () -> NEVER_BLOCK;

  private BusyPolling() {}

  /**
   * A select strategy factory whose strategies never block: each turn of the event loop polls for
   * ready events without waiting, processes them, runs the due tasks and timers, and turns again.
   * For {@code EpollIoHandler.newFactory(int, SelectStrategyFactory)} and {@link
   * NioIoHandler#newFactory(SelectorProvider, SelectStrategyFactory)}.
   */
  public static SelectStrategyFactory selectStrategyFactory() {
    return FACTORY;
  }

  /** Netty's NIO I/O handler, with the platform's selector provider, busy polling. */
  public static IoHandlerFactory nioHandlerFactory() {
    return NioIoHandler.newFactory(SelectorProvider.provider(), FACTORY);
  }
}
