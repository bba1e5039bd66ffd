package io.kcpj.core.kcpgo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code kcpgo/vectors.txt} is exactly what kcp-go prints today: runs {@code
 * interop/kcpgo/vectors.sh --stdout} (Go and Debian's kcp-go source required, else skipped) and
 * compares. Catches a hand-edited resource or a generator changed without regenerating.
 */
@Tag("interop")
class KcpGoVectorsFreshTest {

  @Test
  void committedVectorsAreWhatKcpGoPrints() throws Exception {
    Path root = repositoryRoot();
    Path script = root.resolve("interop/kcpgo/vectors.sh");
    Assumptions.assumeTrue(Files.exists(script), "interop/kcpgo/vectors.sh not found");
    Assumptions.assumeTrue(
        onPath("go"), "go is not installed: apt-get install golang-go golang-github-xtaci-kcp-dev");
    Assumptions.assumeTrue(
        Files.isDirectory(Paths.get("/usr/share/gocode/src/github.com/xtaci/kcp-go")),
        "kcp-go sources are not installed: apt-get install golang-github-xtaci-kcp-dev");
    Path build = Paths.get("target", "kcpgo-vectors").toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--stdout");
    pb.environment().put("KCPGO_VECTORS_BUILD", build.toString());
    pb.redirectError(
        ProcessBuilder.Redirect.to(build.resolveSibling("kcpgo-vectors.err").toFile()));
    Files.createDirectories(build);
    Process p = pb.start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "vectors.sh timed out");
    assertEquals(0, p.exitValue(), "vectors.sh failed, see target/kcpgo-vectors.err");
    String committed;
    try (InputStream in = getClass().getResourceAsStream("/kcpgo/vectors.txt")) {
      committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(
        committed.equals(printed),
        "kcp-core/src/test/resources/kcpgo/vectors.txt differs from kcp-go's output: "
            + "regenerate it with interop/kcpgo/vectors.sh");
  }

  static Path repositoryRoot() {
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("interop")) && Files.exists(p.resolve("pom.xml"))) {
        return p;
      }
    }
    return Paths.get("").toAbsolutePath();
  }

  static boolean onPath(String command) {
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
