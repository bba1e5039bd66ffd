package io.kcpj.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.report.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kcpj compare --reference-test}: PASS against the C reference's figures, and FAIL off. */
class ReferenceTestTest {

  @Test
  void kcpjPassesTheReferenceTestWithinItsTolerances() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    int status =
        new ReferenceTest(5, List.of()).print(new PrintWriter(sink, true, StandardCharsets.UTF_8));
    String out = sink.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, out);
    assertTrue(out.contains("PASS test-normal") && out.contains("PASS test-fast"), out);
    assertTrue(out.contains("reference test: PASS"), out);
  }

  @Test
  void aModeOffThePublishedFiguresFails() {
    // The default ("classic") mode is far slower than the reference's normal mode: it must fail.
    List<RunResult> classic = ReferenceTest.run("classic", 3);
    ReferenceTest.Published normal = ReferenceTest.PUBLISHED.get(0);
    assertFalse(ReferenceTest.matches(normal, classic));
    List<RunResult> real = ReferenceTest.run("test-normal", 3);
    assertTrue(ReferenceTest.matches(normal, real));
    // Just outside the tolerance on the average fails; just inside passes.
    double avg = ReferenceTest.meanOfAverages(real);
    double max = ReferenceTest.medianOfMaxima(real);
    assertFalse(
        ReferenceTest.matches(
            new ReferenceTest.Published("x", avg / (1 + ReferenceTest.AVERAGE_TOLERANCE) - 1, max),
            real));
    assertTrue(
        ReferenceTest.matches(
            new ReferenceTest.Published("x", avg / (1 + ReferenceTest.AVERAGE_TOLERANCE) + 1, max),
            real));
    // A target bound the mode misses fails the whole test.
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    int status =
        new ReferenceTest(
                2, List.of(new ReferenceTest.Target("test-fast", 50, "an unreachable bound")))
            .print(new PrintWriter(sink, true, StandardCharsets.UTF_8));
    assertEquals(1, status);
    assertTrue(sink.toString(StandardCharsets.UTF_8).contains("FAIL test-fast"));
  }
}
