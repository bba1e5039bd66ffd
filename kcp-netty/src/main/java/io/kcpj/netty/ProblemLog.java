package io.kcpj.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.logging.InternalLogLevel;
import io.netty.util.internal.logging.InternalLogger;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a codec logs about trouble: never a line per datagram or per session, at most one summary
 * line per cause per interval. The first event of a cause after a quiet interval is logged at once;
 * later ones are counted and summarised when the interval ends ("1,234 datagrams dropped
 * (SESSION_LIMIT) in the last 10 s"). Failures carry their first exception's message; its stack
 * trace is logged once per cause, at DEBUG level.
 *
 * <p>Causes and levels: openings refused ({@link KcpDropReason#SESSION_LIMIT}, {@link
 * KcpDropReason#SOURCE_LIMIT}), sessions closed by the memory budget and failures inside the codec
 * or a listener at WARN; evictions, no-progress closes and datagrams cut by the anti-amplification
 * limit at INFO; other drops and unvalidated timeouts at DEBUG. Everything is counted in {@link
 * KcpCodecMetrics} whatever is logged.
 *
 * <p>Event-loop confined; one per codec.
 */
final class ProblemLog {
  /** Causes that are neither a drop nor a close. */
  enum Failure {
    LISTENER_ERROR("KcpSessionListener call(s) threw"),
    SESSION_FAILURE("failure(s) inside the codec while serving a session (the session was kept)"),
    REGISTRATION_FAILED("session registration(s) failed"),
    UNKNOWN_OPTION("session option(s) not recognised by a session's config"),
    HALF_CLOSURE_WITHOUT_SIGNAL(
        "session(s) opened with ChannelOption.ALLOW_HALF_CLOSURE true, which has no effect here:"
            + " plain KCP has no end-of-output signal (half-close needs kcpj's secure sessions)"),
    WITHHELD(
        "datagram(s) cut or withheld by the anti-amplification limit (an unvalidated peer receives"
            + " at most 3x what it sent; see KcpChannelOption.ANTI_AMPLIFICATION)");

    final String what;

    Failure(String what) {
      this.what = what;
    }
  }

  private final InternalLogger logger;
  private final long intervalMillis;
  private final Entry[] drops = new Entry[KcpDropReason.values().length];
  private final Entry[] closes = new Entry[KcpCloseReason.values().length];
  private final Entry[] failures = new Entry[Failure.values().length];
  private EventExecutor executor;
  private LongSupplier clock;
  private Object source = "kcp codec";

  ProblemLog(InternalLogger logger, long intervalMillis) {
    this.logger = logger;
    this.intervalMillis = intervalMillis;
  }

  /**
   * Binds the log to its codec's event loop and clock (ms), and names the codec's channel in every
   * line.
   */
  void attach(EventExecutor executor, LongSupplier clockMillis, Object source) {
    this.executor = executor;
    this.clock = clockMillis;
    this.source = source;
  }

  void dropped(KcpDropReason reason, long nowMillis) {
    InternalLogLevel level;
    switch (reason) {
      case SESSION_LIMIT, SOURCE_LIMIT -> level = InternalLogLevel.WARN;
      case INTERNAL_ERROR -> level = InternalLogLevel.WARN;
      case DATA_AFTER_PEER_END -> level = InternalLogLevel.INFO; // a peer breaking the protocol
      default -> level = InternalLogLevel.DEBUG;
    }
    report(drops, reason.ordinal(), level, "datagram(s) dropped (" + reason + ")", null, nowMillis);
  }

  /** An INTERNAL_ERROR drop with the exception that caused it. */
  void failedOnDatagram(RuntimeException e, long nowMillis) {
    report(
        drops,
        KcpDropReason.INTERNAL_ERROR.ordinal(),
        InternalLogLevel.WARN,
        "datagram(s) dropped (INTERNAL_ERROR: the codec failed on them)",
        e,
        nowMillis);
  }

  void closed(KcpCloseReason reason, long nowMillis) {
    InternalLogLevel level;
    switch (reason) {
      case MEMORY_BUDGET -> level = InternalLogLevel.WARN;
      case EVICTED, NO_PROGRESS -> level = InternalLogLevel.INFO;
      case UNVALIDATED_TIMEOUT -> level = InternalLogLevel.DEBUG;
      default -> {
        return; // ordinary ends of sessions are not trouble
      }
    }
    report(closes, reason.ordinal(), level, "session(s) closed (" + reason + ")", null, nowMillis);
  }

  /** The anti-amplification limit cut or withheld a datagram. */
  void withheld(long nowMillis) {
    report(
        failures,
        Failure.WITHHELD.ordinal(),
        InternalLogLevel.INFO,
        Failure.WITHHELD.what,
        null,
        nowMillis);
  }

  void failed(Failure failure, Throwable cause, long nowMillis) {
    report(failures, failure.ordinal(), InternalLogLevel.WARN, failure.what, cause, nowMillis);
  }

  private void report(
      Entry[] entries,
      int index,
      InternalLogLevel level,
      String what,
      Throwable cause,
      long nowMillis) {
    if (!logger.isEnabled(level)) {
      return;
    }
    Entry e = entries[index];
    if (e == null) {
      e = entries[index] = new Entry(level, what);
    }
    e.count++;
    if (e.first == null && cause != null) {
      e.first = cause;
    }
    if (e.summaryPending) {
      return;
    }
    long due = e.lastLineMillis == Long.MIN_VALUE ? nowMillis : e.lastLineMillis + intervalMillis;
    if (due <= nowMillis || executor == null) {
      e.emit(nowMillis);
    } else {
      e.summaryPending = true;
      Entry pending = e;
      executor.schedule(
          () -> {
            pending.summaryPending = false;
            pending.emit(clock.getAsLong());
          },
          due - nowMillis,
          TimeUnit.MILLISECONDS);
    }
  }

  /** One cause's count since its last line. */
  private final class Entry {
    final InternalLogLevel level;
    final String what;
    long count;
    Throwable first;
    boolean stackTraceLogged;
    boolean summaryPending;
    long lastLineMillis = Long.MIN_VALUE;

    Entry(InternalLogLevel level, String what) {
      this.level = level;
      this.what = what;
    }

    void emit(long nowMillis) {
      long since = lastLineMillis;
      lastLineMillis = nowMillis;
      if (count == 0) {
        return;
      }
      String line =
          source
              + ": "
              + String.format(Locale.ROOT, "%,d", count)
              + " "
              + what
              + (since == Long.MIN_VALUE ? "" : " in the last " + duration(nowMillis - since))
              + (first == null ? "" : "; first: " + first)
              + (first != null && !stackTraceLogged ? " (stack trace at DEBUG level)" : "");
      logger.log(level, line);
      if (first != null && !stackTraceLogged) {
        stackTraceLogged = true;
        logger.debug("{}: first of the {}", source, what, first);
      }
      count = 0;
      first = null;
    }
  }

  private static String duration(long millis) {
    return millis >= 10_000 ? Math.round(millis / 1000.0) + " s" : millis + " ms";
  }
}
