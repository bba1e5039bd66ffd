package io.kcpj.bench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every error of the {@code kcpj} command into one line on stderr, {@code kcpj COMMAND: what
 * went wrong}, and a non-zero exit status; the stack trace follows only with {@code --verbose}.
 * Installed as both picocli's parameter exception handler (bad options: exit 2, with a pointer to
 * the command's {@code --help}) and its execution exception handler (errors while running: exit 2
 * for refused input such as a bad profile, 1 for failures such as a peer that does not answer). No
 * state; thread-safe.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final String VERBOSE = "--verbose";

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    StringBuilder line = new StringBuilder(name(cmd)).append(": ").append(ex.getMessage());
    if (ex instanceof UnmatchedArgumentException) {
      List<String> suggestions = ((UnmatchedArgumentException) ex).getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
      }
    }
    line.append(" (see '").append(name(cmd)).append(" --help')");
    err.println(line);
    if (List.of(args).contains(VERBOSE)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    Throwable cause = unwrap(ex);
    boolean verbose = isVerbose(parsed);
    String line = describe(cause);
    boolean unexpected = line == null;
    if (unexpected) {
      line =
          cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
              + (verbose ? "" : " (run with --verbose for the stack trace)");
    }
    err.println(name(cmd) + ": " + line);
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return exitCode(cause);
  }

  /** {@code kcpj perf client}: the command's full name. */
  static String name(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName();
  }

  /** Whether {@code --verbose} was given to any command of the parsed line. */
  static boolean isVerbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(VERBOSE)
          && Boolean.TRUE.equals(p.matchedOptionValue(VERBOSE, false))) {
        return true;
      }
    }
    return false;
  }

  /** The error that a wrapper (execution, completion, reflection) carries. */
  static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof ExecutionException
            || e instanceof CompletionException
            || e instanceof InvocationTargetException
            || e instanceof CommandLine.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The exit status for an error: 2 for refused input, 1 for anything else. */
  static int exitCode(Throwable e) {
    if (e instanceof CommandError) {
      return ((CommandError) e).exitCode();
    }
    return e instanceof IllegalArgumentException ? CommandError.USAGE : CommandError.FAILURE;
  }

  /**
   * One line saying what went wrong, for the errors a user can cause or meet (bad input, unknown
   * host, unusable files and ports); {@code null} for an unexpected error (a bug).
   */
  static String describe(Throwable e) {
    if (e instanceof CommandError || e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    if (e instanceof UncheckedIOException) {
      return e.getMessage() != null ? e.getMessage() : describe(e.getCause());
    }
    if (e instanceof UnknownHostException) {
      return "unknown host: " + e.getMessage();
    }
    if (e instanceof BindException) {
      return "cannot bind the socket: " + e.getMessage();
    }
    if (e instanceof FileSystemException) {
      return file((FileSystemException) e);
    }
    if (e instanceof java.io.IOException && e.getMessage() != null) {
      return e.getMessage();
    }
    return null;
  }

  /** {@link #describe}, or the error's type and message when it is unexpected. */
  static String reason(Throwable e) {
    String d = describe(e);
    return d != null
        ? d
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static String file(FileSystemException e) {
    return "'" + (e.getFile() == null ? "?" : e.getFile()) + "': " + fileReason(e);
  }

  /** Why a file operation failed, without the file's name. */
  static String fileReason(FileSystemException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
      return "in the way: it exists and is not a folder";
    }
    if ("Not a directory".equals(e.getReason())) {
      return "a part of the path is a file, not a folder";
    }
    return e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
  }
}
