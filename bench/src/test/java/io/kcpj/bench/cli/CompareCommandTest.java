package io.kcpj.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.Kcpj;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kcpj compare --virtual}: reproducible, and its report is complete. */
class CompareCommandTest {

  private static int run(Path out, String... args) {
    CommandLine cl = Kcpj.newCommandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    String[] all = new String[args.length + 2];
    all[0] = "compare";
    System.arraycopy(args, 0, all, 1, args.length);
    all[all.length - 1] = "--out=" + out;
    return cl.execute(all);
  }

  @Test
  void sameSeedGivesTheSameCsvAndAnotherSeedDoesNot(@TempDir Path dir) throws Exception {
    String[] args = {"--virtual", "--profile=3g-lossy,poor", "--duration=10s", "--seed=7"};
    assertEquals(0, run(dir.resolve("a"), args));
    assertEquals(0, run(dir.resolve("b"), args));
    String a = Files.readString(dir.resolve("a/results.csv"));
    String b = Files.readString(dir.resolve("b/results.csv"));
    assertEquals(a, b);
    assertEquals(7, a.split("\n").length, "header + 2 profiles x 3 modes");
    assertEquals(
        0,
        run(
            dir.resolve("c"),
            "--virtual",
            "--profile=3g-lossy,poor",
            "--duration=10s",
            "--seed=8"));
    assertNotEquals(a, Files.readString(dir.resolve("c/results.csv")));
    for (String f :
        new String[] {
          "index.md",
          "results.json",
          "overhead.png",
          "rtt-percentiles__poor.png",
          "hlog/poor__kcp-fast.hlog"
        }) {
      assertTrue(Files.size(dir.resolve("a").resolve(f)) > 0, f);
    }
  }

  @Test
  void aCompactProfileKeepsItsCommasAndAPresetListIsSplit() {
    assertEquals(
        java.util.List.of("delay=30ms,loss=2%"), CompareCommand.profileSpecs("delay=30ms,loss=2%"));
    assertEquals(
        java.util.List.of("3g-lossy", "poor"), CompareCommand.profileSpecs("3g-lossy, poor"));
    assertEquals(java.util.List.of("@my.profile"), CompareCommand.profileSpecs("@my.profile"));
  }

  @Test
  void badArgumentsGiveAClearErrorAndNonZeroExit(@TempDir Path dir) {
    assertEquals(2, run(dir, "--virtual", "--profile=nosuchprofile"));
    assertEquals(2, run(dir, "--virtual", "--kcp=nodelay=7"));
    assertEquals(2, run(dir, "--virtual", "--workload=stream"));
  }
}
