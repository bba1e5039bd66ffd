package io.kcpj.bench;

import io.kcpj.bench.cli.KcpjCommand;
import picocli.CommandLine;

/**
 * The {@code kcpj} program's entry point (the jar's main class): runs {@link KcpjCommand} and exits
 * with its status. Run it with {@code -XX:+ExitOnOutOfMemoryError}, as the {@code ./kcpj} launcher
 * does, so that a server out of memory exits instead of living on without its event loop; where the
 * flag was not given, an {@link OutOfMemoryError} that escapes a thread still ends the process.
 */
public final class Kcpj {
  private Kcpj() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (e instanceof OutOfMemoryError) {
            System.err.println("kcpj: out of memory in thread " + thread.getName() + "; exiting");
            Runtime.getRuntime().halt(3);
          }
          System.err.println("kcpj: thread " + thread.getName() + " died: " + e);
        });
    System.exit(newCommandLine().execute(args));
  }

  /** A fresh command line with every subcommand registered (tests drive it directly). */
  public static CommandLine newCommandLine() {
    return KcpjCommand.newCommandLine();
  }
}
