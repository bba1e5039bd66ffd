package io.kcpj.bench.cli;

/**
 * An error a command reports to its user as one line (its message) and an exit status: {@link
 * #USAGE} (2) for input the command refuses, {@link #FAILURE} (1) for a run that failed (a peer
 * that does not answer, a file that cannot be written). {@link ErrorReporter} prints it; the cause,
 * if any, is shown only with {@code --verbose}. Immutable.
 */
public final class CommandError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The exit status of bad input (picocli's usage status). */
  public static final int USAGE = 2;

  /** The exit status of a failed run. */
  public static final int FAILURE = 1;

  /** The process's exit status for this error. */
  private final int exitCode;

  private CommandError(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Bad input: exit status {@link #USAGE}. */
  public static CommandError usage(String message, Throwable cause) {
    return new CommandError(USAGE, message, cause);
  }

  /** A failed run: exit status {@link #FAILURE}. */
  public static CommandError failure(String message, Throwable cause) {
    return new CommandError(FAILURE, message, cause);
  }

  /** The process's exit status for this error. */
  public int exitCode() {
    return exitCode;
  }
}
