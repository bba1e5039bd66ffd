package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.core.wire.SegmentHeader;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The codec's limits on an EmbeddedChannel in virtual time: the memory budget, the no-progress
 * timeout (zero window included), and logging that summarises instead of logging each event.
 */
class KcpCodecLimitsTest {
  static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 5001);
  static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 5002);
  static final InetSocketAddress H = new InetSocketAddress("10.0.0.3", 5003);

  final Recorder echo = new Recorder(true);
  final RecordingListener listener = new RecordingListener();
  EmbeddedKcp net;
  KcpServerCodec codec;

  void start(KcpServerCodecBuilder builder) {
    codec = builder.config(KcpConfig.fast()).handler(echo).sessionListener(listener).build();
    net = new EmbeddedKcp(codec);
  }

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.finish();
    }
    LeakCheck.assertNoLeaks();
  }

  KcpChannel session(InetSocketAddress remote) {
    return listener.opened.stream()
        .filter(c -> c.remoteAddress().equals(remote))
        .findFirst()
        .orElseThrow();
  }

  /** Opens a validated session from {@code address} (its echo acknowledged). */
  TestPeer validatedPeer(InetSocketAddress address) {
    TestPeer p = net.peer(new TestPeer(address, 1, KcpConfig.fast()));
    p.send("open");
    net.step(10);
    assertTrue(session(address).isValidated());
    return p;
  }

  void write(KcpChannel ch, int messages, int size) {
    for (int i = 0; i < messages; i++) {
      ch.write(ch.alloc().buffer(size).writeZero(size));
    }
    ch.flush();
    net.channel.runPendingTasks();
  }

  @Test
  void pastTheBudgetTheSessionsHoldingTheMostCloseAndTheRestKeepWorking() {
    int perSegment = (1400 - 24) + MemoryBudget.SEGMENT_OVERHEAD;
    start(new KcpServerCodecBuilder().option(KcpChannelOption.MEMORY_BUDGET, 300L * perSegment));
    TestPeer a = validatedPeer(A);
    TestPeer b = validatedPeer(B);
    TestPeer healthy = validatedPeer(H);
    a.listening = false; // acknowledge nothing from now on: their queues only grow
    b.listening = false;
    write(session(A), 150, 1000);
    assertEquals(150L * perSegment, codec.metrics().bytesHeld());
    write(session(B), 140, 1000);
    assertTrue(session(A).isOpen(), "290 segments fit in 300");
    write(session(B), 20, 1000); // B holds 160, A 150: B, the largest, goes; A stays
    assertEquals(KcpCloseReason.MEMORY_BUDGET, session(B).closeReason());
    assertNull(session(A).closeReason());
    assertEquals(150L * perSegment, codec.metrics().bytesHeld());
    write(session(A), 200, 1000); // A alone above the budget
    assertEquals(KcpCloseReason.MEMORY_BUDGET, session(A).closeReason());
    assertEquals(2, codec.metrics().sessionsClosed(KcpCloseReason.MEMORY_BUDGET));
    healthy.send("still served");
    net.step(20);
    assertEquals(List.of("open", "still served"), healthy.receivedText());
    assertEquals(0, codec.metrics().bytesHeld(), "acknowledged and read: nothing held");
    assertEquals(300L * perSegment, codec.metrics().memoryBudget());
  }

  @Test
  void theDefaultBudgetIsAQuarterOfTheHeap() {
    start(new KcpServerCodecBuilder());
    assertEquals(Runtime.getRuntime().maxMemory() / 4, codec.metrics().memoryBudget());
  }

  /** A WINS segment from the peer advertising {@code window}: it keeps the session from idling. */
  static byte[] windowUpdate(int window) {
    byte[] b = new byte[SegmentHeader.HEADER_SIZE];
    SegmentHeader.write(b, 0, 1, SegmentHeader.CMD_WINS, 0, window, 0, 0, 1, 0);
    return b;
  }

  @Test
  void aZeroWindowPeerWithDataQueuedClosesWithNoProgress() {
    start(new KcpServerCodecBuilder().option(KcpChannelOption.NO_PROGRESS_TIMEOUT_MILLIS, 3_000L));
    TestPeer p = validatedPeer(A);
    p.listening = false;
    net.inject(A, windowUpdate(0)); // the peer's window is full, and stays full
    long queuedAt = net.now();
    write(session(A), 5, 100);
    for (int second = 0; second < 2; second++) {
      net.step(1_000);
      net.inject(A, windowUpdate(0)); // alive, but never a byte of room
    }
    net.step(990);
    assertTrue(session(A).isOpen());
    net.step(20);
    assertEquals(KcpCloseReason.NO_PROGRESS, session(A).closeReason());
    long closedAt = net.now();
    assertTrue(closedAt - queuedAt >= 3_000 && closedAt - queuedAt <= 3_010, "" + closedAt);
  }

  @Test
  void aSilentPeerWithDataInFlightClosesWithNoProgressBeforeItsDeadLink() {
    start(
        new KcpServerCodecBuilder()
            .option(KcpChannelOption.NO_PROGRESS_TIMEOUT_MILLIS, 2_000L)
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 0L));
    TestPeer p = validatedPeer(A);
    p.listening = false;
    write(session(A), 1, 100);
    net.step(2_010);
    assertEquals(KcpCloseReason.NO_PROGRESS, session(A).closeReason());
  }

  @Test
  void aPeerThatKeepsAcknowledgingNeverHitsTheNoProgressTimeout() {
    start(new KcpServerCodecBuilder().option(KcpChannelOption.NO_PROGRESS_TIMEOUT_MILLIS, 500L));
    TestPeer p = validatedPeer(A);
    for (int i = 0; i < 30; i++) {
      write(session(A), 20, 1000); // always something queued
      net.step(100);
    }
    assertTrue(session(A).isOpen());
    assertEquals(601, p.received.size());
  }

  @Test
  void noProgressIsOffForClientsAndWhenSetToZero() {
    assertEquals(
        0L,
        new KcpClientCodecBuilder()
            .build()
            .settings
            .childOptions
            .get(KcpChannelOption.NO_PROGRESS_TIMEOUT_MILLIS));
    assertEquals(
        KcpServerCodecBuilder.DEFAULT_NO_PROGRESS_TIMEOUT_MILLIS,
        new KcpServerCodecBuilder()
            .handler(echo)
            .build()
            .settings
            .childOptions
            .get(KcpChannelOption.NO_PROGRESS_TIMEOUT_MILLIS));
    start(
        new KcpServerCodecBuilder()
            .option(KcpChannelOption.NO_PROGRESS_TIMEOUT_MILLIS, 0L)
            .option(KcpChannelOption.IDLE_TIMEOUT_MILLIS, 0L)
            .option(KcpChannelOption.DEAD_LINK, 1_000));
    TestPeer p = validatedPeer(A);
    p.listening = false;
    write(session(A), 1, 100);
    net.step(120_000);
    assertTrue(session(A).isOpen());
  }

  /** An allocator that fails: delivering a message then throws inside the codec. */
  static final class FailingAllocator extends AbstractByteBufAllocator {
    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      throw new IllegalStateException("no memory for you");
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      throw new IllegalStateException("no memory for you");
    }
  }

  @Test
  void failuresInsideTheCodecAreCountedAndSummarisedNeverLoggedPerDatagram() {
    List<LogRecord> records;
    try (LogCapture log = new LogCapture(Level.INFO)) {
      start(new KcpServerCodecBuilder().option(ChannelOption.ALLOCATOR, new FailingAllocator()));
      TestPeer p = net.peer(new TestPeer(A, 1, KcpConfig.fast()));
      for (int i = 0; i < 1_000; i++) {
        p.send("m" + i);
        net.step(1); // one datagram a millisecond, each fails when its message is delivered
      }
      net.step(20_000);
      records = List.copyOf(log.records);
    }
    KcpCodecMetrics m = codec.metrics();
    long failures = m.datagramsDropped(KcpDropReason.INTERNAL_ERROR) + m.sessionFailures();
    // Undelivered messages fill the session's receive window, then the peer stops sending.
    assertTrue(failures >= 100, failures + " failures");
    // Per cause: one line at once, then at most one per 10 s interval (21 s here): never one per
    // failure. Every line at WARN, with the first exception's message and no stack trace.
    for (String cause : List.of("INTERNAL_ERROR", "while serving a session")) {
      List<LogRecord> lines = records.stream().filter(r -> r.getMessage().contains(cause)).toList();
      assertTrue(
          lines.size() >= 1 && lines.size() <= 3,
          () -> cause + ": " + lines.stream().map(LogRecord::getMessage).toList());
      for (LogRecord r : lines) {
        assertEquals(Level.WARNING, r.getLevel());
        assertNull(r.getThrown(), "no stack trace at WARN");
        assertTrue(r.getMessage().contains("no memory for you"), r.getMessage());
      }
    }
    assertTrue(records.size() <= 6, records.size() + " lines in all");
  }

  @Test
  void aThrowingListenerIsSummarisedToo() {
    List<String> lines;
    try (LogCapture log = new LogCapture(Level.INFO)) {
      codec =
          new KcpServerCodecBuilder()
              .handler(echo)
              .sessionListener(
                  new KcpSessionListener() {
                    @Override
                    public void datagramDropped(
                        InetSocketAddress sender, int conv, KcpDropReason reason) {
                      throw new IllegalStateException("listener bug");
                    }
                  })
              .build();
      net = new EmbeddedKcp(codec);
      for (int i = 0; i < 5_000; i++) {
        net.inject(B, new byte[3]); // malformed, each reported to the listener
      }
      lines = log.messages(Level.INFO);
    }
    assertEquals(5_000, codec.metrics().datagramsDropped(KcpDropReason.MALFORMED));
    assertEquals(1, lines.size(), "" + lines);
    assertTrue(lines.get(0).contains("KcpSessionListener call(s) threw"), lines.get(0));
  }
}
