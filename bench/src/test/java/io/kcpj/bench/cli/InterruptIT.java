package io.kcpj.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.compare.bridge.BridgeComparison;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code kcpj compare}: a real SIGINT to a child JVM running the command. It prints
 * one line, {@code interrupted, partial report in DIR}, and no stack trace; exits 130; leaves a
 * partial report; and no process it started outlives it (over the bridge: the echo server JVM in
 * the server namespace, and the namespaces themselves).
 *
 * <p>The child is started through {@code env --default-signal=INT} so that SIGINT is delivered even
 * when this JVM was started with SIGINT ignored (as background jobs of a non-interactive shell
 * are).
 */
@Tag("slow")
class InterruptIT {

  /**
   * Starts {@code kcpj ARGS} in a child JVM with stdout and stderr into files, as the leader of a
   * process group of its own (as a shell's foreground job is), so Ctrl-C can be sent to the group.
   */
  private static Process start(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("setsid"));
    if (envResetsSignals()) {
      cmd.addAll(List.of("env", "--default-signal=INT"));
    }
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "io.kcpj.bench.Kcpj"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile())
        .start();
  }

  private static boolean envResetsSignals() {
    try {
      Process p =
          new ProcessBuilder("env", "--default-signal=INT", "true")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Waits (bounded) until {@code file}'s text satisfies {@code ready}. */
  private static void await(Path file, Predicate<String> ready, long seconds) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && ready.test(Files.readString(file, StandardCharsets.UTF_8))) {
        return;
      }
      LockSupport.parkNanos(100_000_000L);
    }
    throw new AssertionError("timed out waiting on " + file + ": " + Files.readString(file));
  }

  /** Whether SIGINT is ignored by process {@code pid} (bit 2 of SigIgn in /proc/PID/status). */
  private static boolean ignoresSigint(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseLong(line.substring(7).trim(), 16) & 0x2) != 0;
      }
    }
    return false;
  }

  /**
   * Sends SIGINT to the command's whole process group, as a terminal's Ctrl-C does (the echo server
   * JVM gets it too), waits for the exit, checks the one line and that no child survived.
   */
  private static Path interruptAndCheck(Process p, Path dir) throws Exception {
    Assumptions.assumeFalse(
        ignoresSigint(p.pid()), "the child JVM ignores SIGINT here (no env --default-signal)");
    List<ProcessHandle> children = p.toHandle().descendants().toList();
    Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).start();
    assertEquals(0, kill.waitFor());
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the command ended after SIGINT");
    assertEquals(130, p.exitValue(), "killed by SIGINT: 128 + 2");
    String err = Files.readString(dir.resolve("err.txt"));
    String out = Files.readString(dir.resolve("out.txt"));
    List<String> lines = new ArrayList<>();
    for (String l : err.split("\n")) {
      if (!l.isBlank() && !l.startsWith("[") && !l.startsWith("      ")) {
        lines.add(l); // every line but progress
      }
    }
    assertEquals(1, lines.size(), "one line besides progress: " + err);
    assertTrue(lines.get(0).startsWith("interrupted, partial report in "), err);
    assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    assertFalse(out.contains("Exception"), out);
    for (ProcessHandle c : children) {
      // no grace period: the command waits for its children before it exits
      assertFalse(
          c.isAlive(),
          "child " + c.pid() + " outlived the command: " + c.info().command().orElse("?"));
    }
    Path report = Path.of(lines.get(0).substring("interrupted, partial report in ".length()));
    String html = Files.readString(report.resolve("index.html"));
    assertTrue(html.contains("This report is partial"), html);
    return report;
  }

  @Test
  void ctrlCDuringAVirtualRunLeavesAPartialReportAndOneLine(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    // long enough that it is still running when the signal comes
    Process p =
        start(
            dir,
            "compare",
            "--virtual",
            "-p",
            "very-poor",
            "--modes",
            "fast",
            "--duration",
            "20000s",
            "--sessions",
            "4",
            "-o",
            out.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(out.resolve("latest")) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000_000L);
    }
    assertTrue(Files.exists(out.resolve("latest")), "the run started");
    assertTrue(p.isAlive(), "still running");
    interruptAndCheck(p, dir);
  }

  @Tag("privileged")
  @Test
  void ctrlCOverTheBridgeKillsTheEchoServerAndRemovesTheNamespaces(@TempDir Path dir)
      throws Exception {
    String problem = BridgeComparison.whyUnavailable();
    Assumptions.assumeTrue(problem == null, () -> "TUN bridge not available here: " + problem);
    Process p =
        start(
            dir,
            "compare",
            "-p",
            "3g-lossy,poor",
            "--duration",
            "60s",
            "--sessions",
            "2",
            "-o",
            dir.resolve("out").toString());
    // mid-run: the first profile has started, so the echo server JVM is up
    await(dir.resolve("err.txt"), s -> s.contains("[1/2]"), 180);
    assertTrue(
        p.toHandle()
            .descendants()
            .anyMatch(h -> h.info().commandLine().orElse("").contains("EchoServerMain")),
        "the echo server runs as a child");
    interruptAndCheck(p, dir);
    Process ns = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String list = new String(ns.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ns.waitFor();
    assertFalse(list.contains("kcpj-" + p.pid() + "-"), "namespaces removed: " + list);
  }
}
