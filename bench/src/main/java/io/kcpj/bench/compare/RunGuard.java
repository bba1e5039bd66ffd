package io.kcpj.bench.compare;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a long run does when the user presses Ctrl-C (SIGINT, or SIGTERM): one clean line, {@code
 * interrupted, partial report in DIR}, no stack traces, and no child process left behind.
 *
 * <p>The JVM answers the signal by running its shutdown hooks while the run's own threads keep
 * going until it halts. This guard's hook, in order: marks the run interrupted (the run's threads
 * check {@link #interrupted()} and stop printing); turns off {@code java.util.logging} (Netty's and
 * the TUN bridge's loggers) and any later stack trace on standard error; kills every descendant
 * process of this JVM (the echo server in the bridge's namespace, short-lived {@code ip} helpers)
 * and waits for them; writes the partial report from what has finished, unless the complete report
 * is already written; prints the line. A thread of the run that fails because of the shutdown calls
 * {@link #parkIfInterrupted()} instead of reporting the failure.
 *
 * <p>Thread-safe. Close it when the run ends normally: that removes the hook.
 */
public final class RunGuard implements AutoCloseable {
  private final PrintWriter err;
  private final Supplier<Path> partialReport;
  private final Thread hook;
  private final Object reportLock = new Object();
  private volatile boolean interrupted;
  private volatile boolean closed;
  private Path written;

  /**
   * Installs the shutdown hook.
   *
   * @param err where the one line goes
   * @param partialReport writes the report of what has finished and returns its folder; called
   *     once, on the hook's thread, only if the complete report was not written yet
   */
  public RunGuard(PrintWriter err, Supplier<Path> partialReport) {
    this.err = err;
    this.partialReport = partialReport;
    this.hook = new Thread(this::onShutdown, "kcpj-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Whether the JVM is shutting down under this run (Ctrl-C). */
  public boolean interrupted() {
    return interrupted;
  }

  /**
   * Writes the complete report through {@code writer} unless the run was interrupted (then the hook
   * writes the partial one); returns the folder, or null when interrupted.
   */
  public Path writeReport(Supplier<Path> writer) {
    synchronized (reportLock) {
      if (interrupted) {
        return null;
      }
      written = writer.get();
      return written;
    }
  }

  /**
   * For a thread of the run that caught a failure: if the run was interrupted, the failure is the
   * shutdown's doing, so wait quietly for the JVM to halt (never returns); otherwise return.
   */
  public void parkIfInterrupted() {
    if (!interrupted) {
      return;
    }
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE); // the JVM halts once the shutdown hooks are done
      } catch (InterruptedException e) {
        // keep waiting for the halt
      }
    }
  }

  private void onShutdown() {
    if (closed) {
      return;
    }
    interrupted = true;
    silence();
    killChildren();
    String line;
    synchronized (reportLock) {
      if (written != null) {
        line = "interrupted, report already complete in " + written;
      } else {
        Path dir = null;
        try {
          dir = partialReport.get();
        } catch (RuntimeException e) {
          // reported below in one line
          line = "interrupted; the partial report could not be written: " + e.getMessage();
          err.println(line);
          err.flush();
          return;
        }
        line = "interrupted, partial report in " + dir;
      }
    }
    err.println(line);
    err.flush();
  }

  /** No more log records or stack traces on standard error while the JVM goes down. */
  private static void silence() {
    Logger root = Logger.getLogger("");
    root.setLevel(Level.OFF);
    for (java.util.logging.Handler h : root.getHandlers()) {
      h.setLevel(Level.OFF);
    }
    System.setErr(new java.io.PrintStream(OutputStream.nullOutputStream()));
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {});
  }

  /** Kills every process this JVM started (and theirs), waiting up to 5 s for them to go. */
  static void killChildren() {
    List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
    for (ProcessHandle p : children) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : children) {
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // it is killed with SIGKILL; nothing more to do
      }
    }
  }

  /** Removes the hook (the run ended normally). */
  @Override
  public void close() {
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it does nothing once closed
    }
  }
}
