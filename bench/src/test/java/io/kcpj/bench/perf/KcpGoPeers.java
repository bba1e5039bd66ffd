package io.kcpj.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The kcp-go peers of {@code interop/kcpgo/} for bench's tests: built once per JVM into {@code
 * target/kcpgo} (offline, GOPATH mode, Debian's packages), or the test is skipped with the reason
 * when Go or kcp-go's sources are absent.
 */
final class KcpGoPeers {
  private static Path bin;

  private KcpGoPeers() {}

  /** The directory of the built peers; skips the calling test when they cannot be built. */
  static synchronized Path bin() throws Exception {
    if (bin != null) {
      return bin;
    }
    Path root = Paths.get("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("interop/kcpgo/build.sh"))) {
      root = root.getParent();
    }
    Assumptions.assumeTrue(root != null, "interop/kcpgo/build.sh not found");
    Assumptions.assumeTrue(onPath("go"), "go is not installed: apt-get install golang-go");
    Assumptions.assumeTrue(
        Files.isDirectory(Paths.get("/usr/share/gocode/src/github.com/xtaci/kcp-go")),
        "kcp-go sources are not installed: apt-get install golang-github-xtaci-kcp-dev");
    Path out = Paths.get("target", "kcpgo").toAbsolutePath();
    Process build =
        new ProcessBuilder(
                "bash", root.resolve("interop/kcpgo/build.sh").toString(), out.toString())
            .redirectErrorStream(true)
            .start();
    String text = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(build.waitFor(300, TimeUnit.SECONDS), "go build timed out");
    assertEquals(0, build.exitValue(), () -> "building the kcp-go peers failed:\n" + text);
    bin = out;
    return bin;
  }

  /** A running kcp-go echo server and the address it listens on. */
  record Server(Process process, InetSocketAddress address, BufferedReader out)
      implements AutoCloseable {
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts {@code kcpgo-echoserver} on loopback with {@code flags} and waits until it listens. */
  static Server echoServer(List<String> flags) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                bin().resolve("kcpgo-echoserver").toString(),
                "-listen",
                "127.0.0.1:0",
                "-timeout",
                "120s"));
    cmd.addAll(flags);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return out.readLine();
                  } catch (IOException e) {
                    return "read failed: " + e;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    assertTrue(first != null && first.startsWith("LISTENING "), "unexpected first line: " + first);
    String[] hp = first.substring("LISTENING ".length()).split(":");
    return new Server(p, new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), out);
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Paths.get(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
