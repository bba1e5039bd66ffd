package io.kcpj.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.Kcpj;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Progress: rewritten in place on a terminal, whole lines at most every interval otherwise. */
class ProgressTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void withoutATerminalProgressIsWholeLinesAtMostEveryInterval() {
    StringWriter out = new StringWriter();
    AtomicLong clock = new AtomicLong();
    Progress p = new Progress(new PrintWriter(out), false, "sweep", 100, 5 * SECOND, clock::get);
    for (int done = 1; done <= 100; done++) {
      clock.addAndGet(SECOND / 4); // 25 s in all
      p.step(done);
    }
    p.close();
    String log = out.toString();
    assertFalse(log.contains("\r"), log);
    // The first step, one line per 5 s of the 25 s, and the last step.
    assertEquals(
        String.join(
            System.lineSeparator(),
            "sweep: 1/100",
            "sweep: 21/100",
            "sweep: 41/100",
            "sweep: 61/100",
            "sweep: 81/100",
            "sweep: 100/100",
            ""),
        log);
  }

  @Test
  void onATerminalProgressRewritesOneLine() {
    StringWriter out = new StringWriter();
    AtomicLong clock = new AtomicLong();
    Progress p = new Progress(new PrintWriter(out), true, "sweep", 3, 5 * SECOND, clock::get);
    for (int done = 1; done <= 3; done++) {
      clock.addAndGet(SECOND);
      p.step(done);
    }
    assertEquals("\rsweep: 1/3\rsweep: 2/3\rsweep: 3/3" + System.lineSeparator(), out.toString());
  }

  @Test
  void sweepWritesNoCarriageReturnWhenStderrIsNotATerminal(@TempDir Path dir) {
    for (boolean terminal : new boolean[] {false, true}) {
      StringWriter err = new StringWriter();
      CommandLine cl = Kcpj.newCommandLine();
      cl.setOut(new PrintWriter(new StringWriter(), true));
      cl.setErr(new PrintWriter(err, true));
      SweepCommand sweep = cl.getSubcommands().get("sweep").getCommand();
      sweep.terminal = terminal;
      int exit =
          cl.execute(
              "sweep",
              "--nodelay=1",
              "--interval=10,20",
              "--resend=2",
              "--nc=true",
              "--wnd=32",
              "--thin=false",
              "--dup=0",
              "--duration=2s",
              "--out=" + dir.resolve("sweep-" + terminal));
      assertEquals(0, exit, err.toString());
      assertEquals(terminal, err.toString().contains("\r"), err.toString());
      assertTrue(err.toString().contains("sweep: configurations done: 2/2"), err.toString());
    }
  }
}
