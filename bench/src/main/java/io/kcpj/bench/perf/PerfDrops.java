package io.kcpj.bench.perf;

import io.kcpj.netty.KcpDeadLinkException;
import io.kcpj.netty.KcpMessageTooLargeException;
import io.kcpj.netty.KcpSendQueueFullException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@link PerfServer} dropped or failed, counted by cause instead of logged one by one: a
 * hostile or overloaded peer can cause one event per datagram, and a log line (let alone a stack
 * trace) per event would cost the server more than the event itself. {@link #summary} turns the
 * counts since its last call into at most one line per cause.
 *
 * <p>Thread-safe: the counts are {@link LongAdder}s bumped from every event loop; {@link #summary}
 * is meant for one reporting thread at a time.
 */
public final class PerfDrops {

  /** Why something was dropped or failed. */
  public enum Cause {
    /** An echo not written because its session was not writable (send queue above its mark). */
    UNWRITABLE("echoes dropped because the session was not writable (send queue above its mark)"),
    /** A write the session refused (send queue cap, message too large, session closing). */
    REFUSED_WRITE("writes refused by a session"),
    /** A session's own failure, such as a dead link. */
    SESSION_ERROR("session errors"),
    /** An exception in the perf protocol's handler. */
    HANDLER_ERROR("errors in the perf handler"),
    /** An error on a datagram socket, outside any session. */
    SOCKET_ERROR("errors on the datagram socket");

    private final String description;

    Cause(String description) {
      this.description = description;
    }

    /** What the count means, e.g. {@code "writes refused by a session"}. */
    public String description() {
      return description;
    }
  }

  private static final Cause[] CAUSES = Cause.values();

  private final LongAdder[] counts = new LongAdder[CAUSES.length];
  private final long[] reported = new long[CAUSES.length];
  private final AtomicReferenceArray<String> lastError = new AtomicReferenceArray<>(CAUSES.length);

  /** No drops yet. */
  public PerfDrops() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Counts one event of {@code cause}; {@code error} (or null) is kept as the latest example. */
  public void count(Cause cause, Throwable error) {
    counts[cause.ordinal()].increment();
    if (error != null) {
      lastError.set(
          cause.ordinal(),
          error.getClass().getSimpleName()
              + (error.getMessage() == null ? "" : ": " + error.getMessage()));
    }
  }

  /** The cause an exception that reached a session's pipeline counts under. */
  static Cause causeOf(Throwable error) {
    if (error instanceof KcpSendQueueFullException
        || error instanceof KcpMessageTooLargeException
        || error instanceof ClosedChannelException) {
      return Cause.REFUSED_WRITE;
    }
    if (error instanceof KcpDeadLinkException) {
      return Cause.SESSION_ERROR;
    }
    return Cause.HANDLER_ERROR;
  }

  /** Events of {@code cause} since the server started. */
  public long count(Cause cause) {
    return counts[cause.ordinal()].sum();
  }

  /**
   * One line per cause with events since the previous call (none for a quiet cause), e.g. {@code
   * 120 writes refused by a session in the last 10s (latest: KcpSendQueueFullException: ...)};
   * {@code interval} only labels the lines.
   */
  public synchronized List<String> summary(Duration interval) {
    List<String> lines = new ArrayList<>();
    for (Cause c : CAUSES) {
      long now = counts[c.ordinal()].sum();
      long delta = now - reported[c.ordinal()];
      reported[c.ordinal()] = now;
      if (delta > 0) {
        String latest = lastError.get(c.ordinal());
        lines.add(
            String.format(
                Locale.ROOT,
                "%d %s in the last %s%s",
                delta,
                c.description(),
                format(interval),
                latest == null ? "" : " (latest: " + latest + ")"));
      }
    }
    return lines;
  }

  private static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
