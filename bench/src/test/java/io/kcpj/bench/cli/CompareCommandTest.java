package io.kcpj.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.Kcpj;
import io.kcpj.bench.compare.CompareRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kcpj compare --virtual}: reproducible, seeded by name, and its report is complete. */
class CompareCommandTest {
  /** The CSV header the issue fixes, verbatim. */
  static final String HEADER =
      "profile,transport,config,samples,undelivered,mean_ms,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,"
          + "p99_ci_low_ms,p99_ci_high_ms,mean_excess_ms,p50_excess_ms,p99_excess_ms,"
          + "wire_per_goodput,retransmits";

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
    String[] args = {
      "--virtual", "--profile=3g-lossy,poor", "--duration=10s", "--sessions=3", "--seed=7"
    };
    assertEquals(0, run(dir.resolve("a"), args));
    assertEquals(0, run(dir.resolve("b"), args));
    Path a = dir.resolve("a/latest");
    String csvA = Files.readString(a.resolve("results.csv"));
    assertEquals(csvA, Files.readString(dir.resolve("b/latest/results.csv")));
    assertTrue(csvA.startsWith(HEADER + ","), "the fixed columns first, in order");
    assertEquals(11, csvA.split("\n").length, "header + 2 profiles x (floor + 4 modes)");
    assertTrue(csvA.contains("\npoor,floor,raw-udp-echo,600,0,"), csvA);
    assertEquals(
        0,
        run(
            dir.resolve("c"),
            "--virtual",
            "--profile=3g-lossy,poor",
            "--duration=10s",
            "--sessions=3",
            "--seed=8"));
    assertNotEquals(csvA, Files.readString(dir.resolve("c/latest/results.csv")));
    for (String f :
        new String[] {
          "index.html",
          "index.md",
          "results.json",
          "overhead.png",
          "rtt-p99.png",
          "p99-excess.png",
          "rtt-percentiles__poor.png",
          "hlog/poor__kcp-fast.hlog",
          "hlog/poor__floor.hlog"
        }) {
      assertTrue(Files.size(a.resolve(f)) > 0, f);
    }
    String json = Files.readString(a.resolve("results.json"));
    assertTrue(
        json.contains(
            "\"command\": \"kcpj compare --virtual --profile=3g-lossy,poor --duration=10s"
                + " --sessions=3 --seed=7 --out="),
        "the real argument list is recorded: " + json);
  }

  @Test
  void everyRunWritesAFreshFolderAndLatestPointsAtTheNewest(@TempDir Path dir) throws Exception {
    String[] args = {
      "--virtual", "-p", "kcp-test", "--modes", "fast", "--count=20", "--sessions=1"
    };
    assertEquals(0, run(dir, args));
    assertEquals(0, run(dir, args));
    List<Path> runs;
    try (Stream<Path> s = Files.list(dir)) {
      runs = s.filter(p -> !p.getFileName().toString().equals("latest")).sorted().toList();
    }
    assertEquals(2, runs.size(), "two runs, two folders: " + runs);
    assertTrue(Files.isSymbolicLink(dir.resolve("latest")));
    assertEquals(runs.get(1).toRealPath(), dir.resolve("latest").toRealPath());
    assertTrue(
        runs.get(0)
            .getFileName()
            .toString()
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ.*"));
  }

  @Test
  void theDefaultsGiveAtLeastFiveThousandSamplesPerRow(@TempDir Path dir) throws Exception {
    assertEquals(0, run(dir, "--virtual", "-p", "kcp-test", "--modes", "fast"));
    List<String> lines = Files.readAllLines(dir.resolve("latest/results.csv"));
    for (String line : lines.subList(1, lines.size())) {
      // the quoted config column may hold commas: drop quoted parts before splitting
      long samples = Long.parseLong(line.replaceAll("\"[^\"]*\"", "q").split(",")[3]);
      assertTrue(samples >= 5_000, line);
    }
    String md = Files.readString(dir.resolve("latest/index.md"));
    assertTrue(md.contains("10 per transport and profile"), md);
    assertTrue(md.contains("game 20 Hz, 100 B messages echoed, 600 messages"), "30 s by default");
  }

  @Test
  void theSameProfileMeetsTheSameLinksAloneOrInAList(@TempDir Path dir) throws Exception {
    String[] common = {"--virtual", "--modes=fast", "--duration=5s", "--sessions=2", "--fate-logs"};
    assertEquals(0, run(dir.resolve("alone"), concat(common, "--profile=poor")));
    assertEquals(
        0, run(dir.resolve("list"), concat(common, "--profile=3g-lossy,poor", "--kcp=normal")));
    for (String label : new String[] {"floor", "kcp-fast"}) {
      for (int s = 0; s < 2; s++) {
        String name = CompareRun.fateLogName("poor", label, s);
        byte[] alone = Files.readAllBytes(dir.resolve("alone/latest/fates").resolve(name));
        byte[] list = Files.readAllBytes(dir.resolve("list/latest/fates").resolve(name));
        assertTrue(alone.length > 1000, name + " has fates");
        assertEquals(
            new String(alone, StandardCharsets.UTF_8),
            new String(list, StandardCharsets.UTF_8),
            name + ": the same fates in -p poor and in -p 3g-lossy,poor");
      }
    }
    String s0 = Files.readString(dir.resolve("alone/latest/fates/poor__kcp-fast__s0.csv"));
    String s1 = Files.readString(dir.resolve("alone/latest/fates/poor__kcp-fast__s1.csv"));
    assertNotEquals(s0, s1, "each session has a link of its own");
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
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
  void aCompactProfileIsNamedByItsText(@TempDir Path dir) throws Exception {
    assertEquals(
        0,
        run(
            dir,
            "--virtual",
            "-p",
            "delay=30ms,loss=2%",
            "--modes=fast",
            "--count=20",
            "--sessions=1"));
    String csv = Files.readString(dir.resolve("latest/results.csv"));
    assertTrue(csv.contains("\"delay=30ms,loss=2%\",floor,"), csv);
    assertTrue(!csv.contains("custom"), csv);
  }

  @Test
  void badArgumentsGiveAClearErrorAndNonZeroExit(@TempDir Path dir) {
    assertEquals(2, run(dir, "--virtual", "--profile=nosuchprofile"));
    assertEquals(2, run(dir, "--virtual", "--kcp=nodelay=7"));
    assertEquals(2, run(dir, "--virtual", "--workload=stream"));
    assertEquals(2, run(dir, "--virtual", "--sessions=0"));
    assertEquals(
        2, run(dir, "--virtual", "--delivery=unordered"), "KCP cannot deliver unordered yet");
    assertEquals(2, run(dir, "--virtual", "--delivery=whatever"));
  }
}
