package io.kcpj.bench.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long run on stderr, in the form that suits where stderr goes. On a terminal one
 * line rewritten in place with {@code \r} (at most ten times a second); otherwise (a log file, a
 * pipe, CI) whole lines: the first step, then at most one line every {@code interval}, and the last
 * step, so a log holds a few readable lines instead of carriage returns. Thread-safe ({@link #step}
 * may be called from worker threads).
 */
final class Progress {
  private static final long TERMINAL_REFRESH_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final boolean terminal;
  private final String label;
  private final int total;
  private final long intervalNanos;
  private final LongSupplier clock;
  private long lastPrinted = Long.MIN_VALUE;
  private boolean dirtyLine;

  /**
   * Progress of {@code total} steps labelled {@code label} ({@code "sweep"}); on a terminal ({@code
   * terminal}) or not; lines at most every {@code intervalNanos} of {@code clock} (nanoseconds)
   * when not.
   */
  Progress(
      PrintWriter err,
      boolean terminal,
      String label,
      int total,
      long intervalNanos,
      LongSupplier clock) {
    this.err = err;
    this.terminal = terminal;
    this.label = label;
    this.total = total;
    this.intervalNanos = intervalNanos;
    this.clock = clock;
  }

  /** Whether stderr is probably a terminal: the JVM has a console. */
  static boolean stderrIsTerminal() {
    return System.console() != null;
  }

  /** Reports that {@code done} of the steps are finished. */
  synchronized void step(int done) {
    long now = clock.getAsLong();
    boolean last = done >= total;
    long every = terminal ? TERMINAL_REFRESH_NANOS : intervalNanos;
    if (!last && lastPrinted != Long.MIN_VALUE && now - lastPrinted < every) {
      return;
    }
    lastPrinted = now;
    String text = String.format(Locale.ROOT, "%s: %d/%d", label, done, total);
    if (terminal) {
      err.print("\r" + text);
      dirtyLine = !last;
      if (last) {
        err.println();
      }
    } else {
      err.println(text);
    }
    err.flush();
  }

  /** Ends an unfinished terminal line (after an error), so the next output starts on its own. */
  synchronized void close() {
    if (dirtyLine) {
      err.println();
      err.flush();
      dirtyLine = false;
    }
  }
}
