package io.kcpj.netty;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BusyPolling}: its strategy never asks the loop to block, and a Netty event loop built with
 * it (NIO, and epoll where available) keeps polling while idle yet still runs its timers and the
 * tasks other threads hand it. The KCP echo over such a loop is {@code NettyExamplesTest}'s.
 */
class BusyPollingTest {
  @Test
  void theStrategyAlwaysPollsWithoutWaitingAndReturnsWhatThePollFound() throws Exception {
    SelectStrategy strategy = BusyPolling.selectStrategyFactory().newSelectStrategy();
    AtomicInteger polls = new AtomicInteger();
    for (int ready : new int[] {0, 3, 0}) {
      for (boolean hasTasks : new boolean[] {false, true}) {
        int before = polls.get();
        int answer =
            strategy.calculateStrategy(
                () -> {
                  polls.incrementAndGet();
                  return ready;
                },
                hasTasks);
        assertEquals(
            ready, answer, "the strategy returns the poll's count, never SELECT/BUSY_WAIT");
        assertEquals(before + 1, polls.get(), "one poll per turn");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void anIdleBusyLoopKeepsPollingAndStillRunsTimersAndHandedTasks(String transport)
      throws Exception {
    AtomicLong turns = new AtomicLong();
    SelectStrategyFactory counting =
        () -> {
          SelectStrategy busy = BusyPolling.selectStrategyFactory().newSelectStrategy();
          return (selectNow, hasTasks) -> {
            turns.incrementAndGet();
            return busy.calculateStrategy(selectNow, hasTasks);
          };
        };
    IoHandlerFactory io;
    if (transport.equals("epoll")) {
      Assumptions.assumeTrue(Epoll.isAvailable(), () -> "epoll: " + Epoll.unavailabilityCause());
      io = EpollIoHandler.newFactory(0, counting);
    } else {
      io = NioIoHandler.newFactory(SelectorProvider.provider(), counting);
    }
    MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
    try {
      // a task handed over from this thread runs without the loop being woken
      assertEquals("ran", group.next().submit(() -> "ran").get(5, TimeUnit.SECONDS));
      long start = System.nanoTime();
      long turnsBefore = turns.get();
      ScheduledFuture<Long> timer =
          group.next().schedule(() -> System.nanoTime() - start, 30, TimeUnit.MILLISECONDS);
      long firedAfter = timer.get(5, TimeUnit.SECONDS);
      assertTrue(
          firedAfter >= TimeUnit.MILLISECONDS.toNanos(30), "the timer fired early: " + firedAfter);
      long idleTurns = turns.get() - turnsBefore;
      // A blocking loop turns about twice in these 30 ms (once for the schedule, once to run the
      // timer); one that polls turns thousands of times, even with other processes on the core.
      assertTrue(idleTurns > 100, "the loop slept: " + idleTurns + " turns in 30 ms");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void theReadyMadeNioLoopSpendsItsIdleTimeOnTheCpu() throws Exception {
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, BusyPolling.nioHandlerFactory());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(threads.isThreadCpuTimeSupported(), "no per-thread CPU time here");
    try {
      long loopThread = group.next().submit(() -> Thread.currentThread().getId()).get(5, SECONDS);
      long cpuBefore = threads.getThreadCpuTime(loopThread);
      long start = System.nanoTime();
      long firedAfter =
          group
              .next()
              .schedule(() -> System.nanoTime() - start, 50, TimeUnit.MILLISECONDS)
              .get(5, SECONDS);
      long cpu = threads.getThreadCpuTime(loopThread) - cpuBefore;
      assertTrue(firedAfter >= TimeUnit.MILLISECONDS.toNanos(50), "fired early: " + firedAfter);
      // A loop blocked in its selector uses some µs of CPU in 50 ms; a polling one uses the
      // core for as long as the scheduler gives it (tens of ms here; a few on a loaded machine).
      assertTrue(
          cpu > TimeUnit.MILLISECONDS.toNanos(2),
          "the loop slept: " + cpu / 1000 + " µs of CPU in " + firedAfter / 1000 + " µs");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
