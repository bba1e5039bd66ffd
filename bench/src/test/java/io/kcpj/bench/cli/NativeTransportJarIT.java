package io.kcpj.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar on its own ({@code java -jar kcpj.jar}, no class path added) runs {@code kcpj
 * perf} on Netty's native transports: a server and a client in two child JVMs on loopback, with
 * {@code --transport epoll}, {@code io_uring} (skipped, with the server's one-line reason, where
 * the kernel refuses io_uring) and {@code auto} (which must say it chose epoll).
 *
 * <p>It needs {@code bench/target/kcpj.jar}, which exists only after {@code package}: the bench
 * build runs it in its own surefire execution in the {@code integration-test} phase (the jar's path
 * comes in the {@code kcpj.jar} system property), after the shade plugin. Linux on x86_64 or
 * aarch64 only (the platforms whose libraries the jar carries).
 */
@Tag("slow")
class NativeTransportJarIT {
  private static final Pattern LISTENING = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+)");

  private static Path jar;

  @TempDir Path dir;

  @BeforeAll
  static void needsTheJarOnLinux() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    Assumptions.assumeTrue(os.contains("linux"), "native transports are Linux only: " + os);
    Assumptions.assumeTrue(
        arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"),
        "kcpj.jar carries native libraries for x86_64 and aarch64, not " + arch);
    String path = System.getProperty("kcpj.jar");
    Assumptions.assumeTrue(path != null, "kcpj.jar not given (runs after package)");
    jar = Path.of(path);
    assertTrue(Files.isRegularFile(jar), "no jar at " + jar + ": the package phase makes it");
  }

  private Process kcpj(String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile())
        .start();
  }

  private String read(String file) throws IOException {
    Path p = dir.resolve(file);
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }

  /**
   * Starts a perf server on {@code transport} and returns its port, or -1 when the server ended
   * (its reason is in its .err file). Waits (bounded) for the "listening" line.
   */
  private int startServer(Process server, String name) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(read(name + ".out"));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!server.isAlive()) {
        return -1;
      }
      LockSupport.parkNanos(50_000_000L);
    }
    throw new AssertionError("the server did not start: " + read(name + ".err"));
  }

  /**
   * Runs server and client on {@code transport}, each with {@code extra} options; returns the
   * server's line and the JSON.
   */
  private String[] run(String transport, String... extra) throws Exception {
    String name = "server-" + transport;
    List<String> serverArgs =
        new ArrayList<>(List.of("perf", "server", "--listen", "127.0.0.1:0", "--transport"));
    serverArgs.add(transport);
    serverArgs.addAll(List.of(extra));
    Process server = kcpj(name, serverArgs.toArray(String[]::new));
    try {
      int port = startServer(server, name);
      if (port < 0) {
        return new String[] {null, read(name + ".err")};
      }
      List<String> clientArgs =
          new ArrayList<>(
              List.of(
                  "perf",
                  "client",
                  "--connect",
                  "127.0.0.1:" + port,
                  "--transport",
                  transport,
                  "--sessions",
                  "2",
                  "--rate",
                  "50",
                  "--duration",
                  "1s",
                  "--warmup",
                  "300ms",
                  "--json"));
      clientArgs.addAll(List.of(extra));
      Process client = kcpj("client-" + transport, clientArgs.toArray(String[]::new));
      assertTrue(client.waitFor(60, TimeUnit.SECONDS), "the client ended");
      String json = read("client-" + transport + ".out");
      assertEquals(0, client.exitValue(), json + read("client-" + transport + ".err"));
      return new String[] {read(name + ".out"), json};
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void assertAnswered(String json) {
    Matcher sent = Pattern.compile("\"sent\":(\\d+)").matcher(json);
    Matcher received = Pattern.compile("\"received\":(\\d+)").matcher(json);
    assertTrue(sent.find() && received.find(), json);
    assertTrue(Integer.parseInt(sent.group(1)) >= 80, json);
    assertEquals(sent.group(1), received.group(1), json);
  }

  @Test
  void epollRunsFromTheJarAlone() throws Exception {
    String[] r = run("epoll");
    assertTrue(r[0] != null, "the epoll server failed: " + r[1]);
    assertTrue(r[0].contains("transport epoll"), r[0]);
    assertTrue(r[1].contains("\"transport\":\"epoll\""), r[1]);
    assertAnswered(r[1]);
  }

  @Test
  void ioUringRunsFromTheJarAloneWhereTheKernelHasIt() throws Exception {
    String[] r = run("io_uring");
    if (r[0] == null) {
      // Only the kernel may refuse: a jar without the classes says "not on the class path".
      assertTrue(r[1].contains("io_uring is not available on this machine"), r[1]);
      Assumptions.abort("io_uring refused by this kernel: " + r[1].strip());
    }
    assertTrue(r[1].contains("\"transport\":\"io_uring\""), r[1]);
    assertAnswered(r[1]);
  }

  /** The busy-polling event loops ({@code --busy-poll}) on epoll, client and server. */
  @Test
  void epollBusyPollingRunsFromTheJarAndSaysSo() throws Exception {
    String[] r = run("epoll", "--busy-poll");
    assertTrue(r[0] != null, "the busy-polling epoll server failed: " + r[1]);
    assertTrue(r[0].contains("transport epoll (busy polling)"), r[0]);
    assertTrue(r[1].contains("\"transport\":\"epoll (busy polling)\""), r[1]);
    assertAnswered(r[1]);
  }

  @Test
  void autoChoosesEpollAndSaysSo() throws Exception {
    String[] r = run("auto");
    assertTrue(r[0] != null, "the auto server failed: " + r[1]);
    assertTrue(r[0].contains("transport epoll (auto)"), r[0]);
    assertTrue(r[1].contains("\"transport\":\"epoll (auto)\""), r[1]);
    assertAnswered(r[1]);
  }
}
