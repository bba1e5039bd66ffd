package io.kcpj.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.Kcpj;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code kcpj} command as a newcomer meets it: help for every command, every option described
 * with its default, one grammar for sizes and durations, and every error one line.
 */
class KcpjCommandTest {

  record Run(int exit, String out, String err) {
    /** stderr's lines. */
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Kcpj.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Asserts a failed run printed exactly one line, starting with {@code prefix}, no trace. */
  static String oneErrorLine(Run r, int exit, String prefix) {
    assertEquals(exit, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), "one line:\n" + r.err());
    String line = r.errLines().get(0);
    assertTrue(line.startsWith(prefix), line);
    assertFalse(r.err().contains("\tat "), r.err());
    return line;
  }

  private static List<CommandLine> allCommands(CommandLine root) {
    List<CommandLine> all = new ArrayList<>();
    all.add(root);
    for (CommandLine sub : root.getSubcommands().values()) {
      if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        all.addAll(allCommands(sub));
      }
    }
    return all;
  }

  @Test
  void everyOptionOfEveryCommandHasADescriptionAndShowsItsDefault() {
    List<String> problems = new ArrayList<>();
    int options = 0;
    for (CommandLine cl : allCommands(Kcpj.newCommandLine())) {
      CommandSpec spec = cl.getCommandSpec();
      for (OptionSpec o : spec.options()) {
        options++;
        String name = spec.qualifiedName() + " " + o.longestName();
        String description = String.join(" ", o.description()).trim();
        if (description.isEmpty()) {
          problems.add(name + ": no description");
          continue;
        }
        if (o.usageHelp() || o.versionHelp() || o.required() || o.typeInfo().isBoolean()) {
          continue; // flags and required options have no default to show
        }
        if (o.defaultValue() != null) {
          // picocli interpolates ${DEFAULT-VALUE}: the description as --help prints it.
          if (!description.contains("Default: " + o.defaultValue())) {
            problems.add(name + ": default " + o.defaultValue() + " not shown in: " + description);
          }
        } else if (!description.toLowerCase(java.util.Locale.ROOT).contains("default")) {
          problems.add(name + ": no default value and no word on what happens without it");
        }
      }
    }
    assertTrue(options > 60, "walked " + options + " options");
    assertEquals(List.of(), problems);
  }

  @Test
  void helpWorksForEveryCommand() {
    for (String[] args :
        new String[][] {
          {"help"},
          {"help", "compare"},
          {"help", "sweep"},
          {"help", "perf"},
          {"help", "netem"},
          {"perf", "help", "client"},
          {"perf", "help", "server"},
          {"netem", "help", "proxy"},
          {"compare", "--help"}
        }) {
      Run r = run(args);
      assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.out().startsWith("Usage: kcpj"), String.join(" ", args) + ": " + r.out());
    }
    Run compare = run("help", "compare");
    assertTrue(compare.out().contains("--size=SIZE"), compare.out());
    assertTrue(compare.out().contains("Default: 100"), compare.out());
    assertTrue(compare.out().contains("kb = 1,000"), compare.out());
    assertTrue(compare.out().contains("kib = 1,024"), compare.out());
    assertTrue(compare.out().contains("a bare number is refused, except 0"), compare.out());
    Run top = run("--help");
    for (String sub : List.of("compare", "sweep", "perf", "netem", "help")) {
      assertTrue(top.out().contains("  " + sub + " "), sub + " in\n" + top.out());
    }
  }

  @Test
  void sizesAndDurationsFollowTheOneGrammar() {
    CommandLine cl = Kcpj.newCommandLine();
    cl.parseArgs("compare", "--size", "64kb", "--response-size", "2KiB", "--duration", "1.5m");
    CompareCommand c = cl.getSubcommands().get("compare").getCommand();
    assertEquals(64_000, c.size);
    assertEquals(2_048, c.responseSize);
    assertEquals(Duration.ofSeconds(90), c.duration);
    assertEquals(1_000_000, c.bulkSize, "the default 1mb");

    cl = Kcpj.newCommandLine();
    cl.parseArgs("sweep", "--size", "1kib", "--mtu", "1.2kb", "--duration", "500ms");
    SweepCommand s = cl.getSubcommands().get("sweep").getCommand();
    assertEquals(1_024, s.size);
    assertEquals(1_200, s.mtu);
    assertEquals(Duration.ofMillis(500), s.duration);

    cl = Kcpj.newCommandLine();
    cl.parseArgs("perf", "client", "--connect", "127.0.0.1:9", "--size", "1kb", "--warmup", "0");
    PerfCommand.Client p =
        cl.getSubcommands().get("perf").getSubcommands().get("client").getCommand();
    assertEquals(1_000, p.size);
    assertEquals(Duration.ZERO, p.warmup);
    assertEquals(Duration.ofSeconds(5), p.connectTimeout);
  }

  @Test
  void aBareDurationIsRefusedInOneLineNamingTheUnits() {
    for (String[] args :
        new String[][] {
          {"compare", "--duration", "30"},
          {"sweep", "--duration", "30"},
          {"perf", "client", "--connect", "127.0.0.1:9", "--duration", "30"},
          {"perf", "server", "--read-coalescing", "1"},
          {
            "netem",
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--target",
            "127.0.0.1:9",
            "--profile",
            "3g",
            "--duration",
            "30"
          }
        }) {
      Run r = run(args);
      String line = oneErrorLine(r, 2, "kcpj ");
      assertTrue(
          line.contains("bad duration '") && line.contains("(units: ns, us, ms, s, m, h)"), line);
      assertTrue(line.endsWith("--help')"), line);
    }
  }

  @Test
  void badValuesAreOneLineWithExitTwo(@TempDir Path dir) throws Exception {
    String out = "--out=" + dir.resolve("report");
    String line =
        oneErrorLine(run("compare", "--virtual", "--size", "64k", out), 2, "kcpj compare");
    assertTrue(line.contains("64kb (k = 1,000) or 64kib (k = 1,024)"), line);

    line =
        oneErrorLine(
            run("compare", "--virtual", "--profile", "delay=10ms,jiter=5ms", out),
            2,
            "kcpj compare: bad --profile 'delay=10ms,jiter=5ms': unknown key 'jiter'");
    assertTrue(line.contains("did you mean 'jitter'?"), line);

    oneErrorLine(
        run("compare", "--virtual", "--profile", "@" + dir.resolve("missing.profile"), out),
        2,
        "kcpj compare: bad --profile '@");

    line =
        oneErrorLine(
            run("compare", "--virtual", "--kcp", "fast,nodelay=7", out),
            2,
            "kcpj compare: bad --kcp 'fast,nodelay=7': ");
    assertTrue(line.contains("nodelay"), line);

    oneErrorLine(
        run("compare", "--virtual", "--modes", "warp", out), 2, "kcpj compare: bad --modes");
    line =
        oneErrorLine(run("compare", "--virtual", "--workload", "stream", out), 2, "kcpj compare");
    assertTrue(line.contains("game, rpc, bulk"), line);
    line = oneErrorLine(run("compare", "--sise", "100"), 2, "kcpj compare: Unknown option");
    assertTrue(line.contains("did you mean --size?"), line);
    oneErrorLine(run("sweep", "--profile", "nosuch"), 2, "kcpj sweep: bad --profile 'nosuch'");
    oneErrorLine(run("perf", "server", "--mode", "fast,wnd=x"), 2, "kcpj perf server: bad --mode");
    oneErrorLine(
        run("perf", "client", "--connect", "127.0.0.1:9", "--size", "8"),
        2,
        "kcpj perf client: --size must be at least 16 bytes");
  }

  @Test
  void anUnwritableReportFolderIsRefusedBeforeTheRun(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    String line =
        oneErrorLine(
            run("compare", "--virtual", "--out", file.resolve("report").toString()),
            2,
            "kcpj compare: cannot write the report to '" + file.resolve("report") + "': ");
    assertTrue(line.endsWith("': a part of the path is a file, not a folder"), line);
    assertEquals(
        "kcpj sweep: cannot write the report to '"
            + file
            + "': in the way: it exists and is not a folder",
        oneErrorLine(run("sweep", "--out", file.toString()), 2, "kcpj sweep"));
  }

  @Test
  void anUnwritableFateLogIsOneLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    String line =
        oneErrorLine(
            run(
                "netem",
                "proxy",
                "--listen",
                "127.0.0.1:0",
                "--target",
                "127.0.0.1:9",
                "--profile",
                "3g",
                "--log",
                file.resolve("fates.csv").toString(),
                "--duration",
                "1s"),
            2,
            "kcpj netem proxy: cannot write the fate log '" + file.resolve("fates.csv") + "': ");
    assertTrue(line.contains("not a folder"), line);
  }

  @Test
  void verboseAddsTheStackTrace() {
    Run quiet = run("compare", "--virtual", "--kcp", "nodelay=7");
    assertEquals(1, quiet.errLines().size(), quiet.err());
    Run verbose = run("compare", "--virtual", "--kcp", "nodelay=7", "--verbose");
    assertEquals(2, verbose.exit());
    assertEquals(quiet.errLines().get(0), verbose.errLines().get(0));
    assertTrue(verbose.err().contains("\tat io.kcpj."), verbose.err());
    Run global = run("--verbose", "compare", "--virtual", "--kcp", "nodelay=7");
    assertTrue(global.err().contains("\tat io.kcpj."), "--verbose before the command too");
  }

  /** A command with a bug. */
  @CommandLine.Command(name = "buggy")
  static final class Buggy implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("boom");
    }
  }

  @Test
  void anUnexpectedErrorIsOneLineWithAHintAndExitOne() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Buggy());
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler(new ErrorReporter());
    Run r = new Run(cl.execute(), "", err.toString());
    String line = oneErrorLine(r, 1, "buggy: IllegalStateException: boom");
    assertTrue(line.endsWith("(run with --verbose for the stack trace)"), line);
  }
}
