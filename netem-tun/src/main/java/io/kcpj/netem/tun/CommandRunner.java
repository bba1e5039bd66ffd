package io.kcpj.netem.tun;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short external command (an {@code ip} invocation), captures its combined stdout and
 * stderr, and turns a failure into a {@link TunException} that quotes the command line, its exit
 * status and its output. Stateless; any thread.
 */
final class CommandRunner {

  private static final long TIMEOUT_SECONDS = 30;

  private CommandRunner() {}

  /**
   * Runs {@code command} and returns its output.
   *
   * @throws TunException if it cannot be started, exits non-zero, or runs longer than 30 s
   */
  static String run(List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new TunException(
          "could not run `" + String.join(" ", command) + "`: " + e.getMessage(), e);
    }
    try {
      process.getOutputStream().close();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new TunException(
            "`" + String.join(" ", command) + "` did not finish within " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new TunException(
            "`"
                + String.join(" ", command)
                + "` failed with exit status "
                + process.exitValue()
                + (output.isEmpty() ? "" : ": " + output));
      }
      return output;
    } catch (IOException e) {
      process.destroyForcibly();
      throw new TunException(
          "could not read the output of `" + String.join(" ", command) + "`: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TunException("interrupted while running `" + String.join(" ", command) + "`", e);
    }
  }
}
