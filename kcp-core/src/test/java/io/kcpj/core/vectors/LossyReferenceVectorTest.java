package io.kcpj.core.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential check against the C reference under loss, reordering, duplication and window
 * pressure: replays every scenario of {@code ikcp-lossy-vectors.txt} (written by {@code
 * tools/ikcp-diff/harness.c} linked with skywind3000/kcp {@code ikcp.c}) through {@link
 * io.kcpj.core.Kcp} and requires the same datagrams (length and CRC32 of every one, segment headers
 * of the first 50), at the same times, the same receive sizes, the same input and send results, the
 * same state snapshots and totals. A failure names the first differing event and decodes both
 * sides' datagram there.
 */
class LossyReferenceVectorTest {

  private static final int CONTEXT = 6;

  @TestFactory
  Stream<DynamicTest> everyScenarioMatchesTheReference() throws Exception {
    List<LossyVectors.Scenario> scenarios = LossyVectors.load();
    assertTrue(scenarios.size() >= 30, "scenarios in the vector file: " + scenarios.size());
    return scenarios.stream().map(s -> DynamicTest.dynamicTest(s.name, () -> check(s)));
  }

  static void check(LossyVectors.Scenario expected) {
    selfConsistent(expected);
    LossyReplay.Run got = LossyReplay.replay(expected);
    List<String> problems = new ArrayList<>();
    long firstAt = Long.MAX_VALUE;

    // 1. the event stream
    int n = Math.min(expected.events.size(), got.events.size());
    int i = 0;
    while (i < n && expected.events.get(i).equals(got.events.get(i))) {
      i++;
    }
    if (i < n || expected.events.size() != got.events.size()) {
      long at =
          i < expected.events.size()
              ? expected.events.get(i).elapsed()
              : got.events.get(i).elapsed();
      firstAt = Math.min(firstAt, at);
      problems.add(describeEventMismatch(expected, got, i));
    }

    // 2. state snapshots, in time order
    for (Map.Entry<Long, String> e : expected.snapshots.entrySet()) {
      String mine = got.snapshots.get(e.getKey());
      if (!e.getValue().equals(mine)) {
        firstAt = Math.min(firstAt, e.getKey());
        problems.add(
            describeSnapshotMismatch(e.getKey(), e.getValue(), mine, expected.param("t0")));
        break;
      }
    }
    if (problems.isEmpty() && got.snapshots.size() != expected.snapshots.size()) {
      problems.add(
          "snapshot count: expected "
              + expected.snapshots.size()
              + ", got "
              + got.snapshots.size());
    }

    // 3. segment headers of the first datagrams
    for (Map.Entry<Integer, String> h : expected.headers.entrySet()) {
      int k = h.getKey();
      String mine =
          k <= got.datagrams.size()
              ? LossyReplay.headers(got.datagrams.get(k - 1).bytes())
              : "(not emitted)";
      if (!h.getValue().equals(mine)) {
        problems.add(
            "segment headers of D"
                + k
                + " differ:\n  C:\n"
                + LossyReplay.decodeHeaders(h.getValue())
                + "  Java:\n"
                + (k <= got.datagrams.size()
                    ? LossyReplay.decodeDatagram(got.datagrams.get(k - 1).bytes())
                    : "    -\n"));
        break;
      }
    }

    // 4. totals
    if (!expected.totals.equals(got.totals)) {
      problems.add("totals:\n  C:    " + expected.totals + "\n  Java: " + got.totals);
    }
    if (got.failure != null) {
      problems.add(0, "the Java replay stopped " + got.failure);
    }
    if (!problems.isEmpty()) {
      fail(
          "scenario "
              + expected.name
              + " diverges from the C reference"
              + (firstAt != Long.MAX_VALUE
                  ? " (first at elapsed "
                      + firstAt
                      + " ms, clock "
                      + Long.toUnsignedString((expected.param("t0") + firstAt) & 0xffffffffL)
                      + ")"
                  : "")
              + ":\n"
              + String.join("\n", problems));
    }
  }

  /** The file agrees with itself: the totals line matches the events and snapshots. */
  private static void selfConsistent(LossyVectors.Scenario s) {
    long datagrams = s.events.stream().filter(e -> isDatagram(e.token())).count();
    long zeroInputs = 0;
    for (String z : s.snapshots.values()) {
      zeroInputs += Long.parseLong(z.substring(3, z.indexOf(' ')));
    }
    long otherInputs = s.events.stream().filter(e -> e.token().startsWith("I")).count();
    long recvA = s.events.stream().filter(e -> e.token().startsWith("A")).count();
    long recvB = s.events.stream().filter(e -> e.token().startsWith("B")).count();
    String head =
        "datagrams="
            + datagrams
            + " inputs="
            + (zeroInputs + otherInputs)
            + " recvA="
            + recvA
            + " recvB="
            + recvB
            + " ";
    assertTrue(
        s.totals != null && s.totals.startsWith(head),
        "vector file inconsistent for "
            + s.name
            + ": totals '"
            + s.totals
            + "' vs counted '"
            + head
            + "'");
    assertEquals(Math.min(50, datagrams), s.headers.size(), "H lines of " + s.name);
    long dur = s.param("dur");
    long snap = s.param("snap");
    assertEquals(dur / snap + 1, s.snapshots.size(), "Z lines of " + s.name);
  }

  private static boolean isDatagram(String token) {
    return token.startsWith("a") || token.startsWith("b");
  }

  private static String describeEventMismatch(
      LossyVectors.Scenario expected, LossyReplay.Run got, int i) {
    List<LossyVectors.Event> exp = expected.events;
    List<LossyVectors.Event> mine = got.events;
    int datagram = 1;
    for (int k = 0; k < i; k++) {
      if (isDatagram(exp.get(k).token())) {
        datagram++;
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("first differing event #")
        .append(i + 1)
        .append(" (the next datagram is D")
        .append(datagram)
        .append("):\n");
    sb.append("  C:    ").append(i < exp.size() ? exp.get(i) : "(end of stream)").append('\n');
    sb.append("  Java: ").append(i < mine.size() ? mine.get(i) : "(end of stream)").append('\n');
    sb.append("  agreed before: ").append(exp.subList(Math.max(0, i - CONTEXT), i)).append('\n');
    sb.append("  C next:    ")
        .append(exp.subList(i, Math.min(exp.size(), i + CONTEXT)))
        .append('\n');
    sb.append("  Java next: ")
        .append(mine.subList(i, Math.min(mine.size(), i + CONTEXT)))
        .append('\n');
    sb.append(
        "  (tokens: aL.C/bL.C datagram from A/B of L bytes with CRC32 C, AN/BN recv of N"
            + " bytes, IR input status, saR/sbR send result; @elapsed ms)\n");
    boolean cDatagram = i < exp.size() && isDatagram(exp.get(i).token());
    boolean javaDatagram = i < mine.size() && isDatagram(mine.get(i).token());
    if (javaDatagram && datagram <= got.datagrams.size()) {
      LossyReplay.Datagram d = got.datagrams.get(datagram - 1);
      sb.append("  Java D")
          .append(datagram)
          .append(d.from() == 0 ? " A->B" : " B->A")
          .append(" elapsed=")
          .append(d.elapsed())
          .append(" clock=")
          .append(Integer.toUnsignedString(d.clock()))
          .append(" len=")
          .append(d.bytes().length)
          .append(":\n")
          .append(LossyReplay.decodeDatagram(d.bytes()));
    }
    if (cDatagram) {
      String hdr = expected.headers.get(datagram);
      if (hdr != null) {
        sb.append("  C D").append(datagram).append(":\n").append(LossyReplay.decodeHeaders(hdr));
      } else {
        sb.append("  C D")
            .append(datagram)
            .append(": only its length and CRC32 are recorded; ")
            .append("print it with: tools/ikcp-diff/build.sh REFDIR && ")
            .append("/tmp/ikcp-diff-build/harness tools/ikcp-diff/scenarios.txt --dump ")
            .append(expected.name)
            .append(' ')
            .append(datagram)
            .append(" 1\n");
      }
    }
    return sb.toString();
  }

  private static String describeSnapshotMismatch(long at, String expected, String got, long t0) {
    StringBuilder sb = new StringBuilder();
    sb.append("state after elapsed ").append(at).append(" ms differs:\n");
    sb.append("  C:    Z ").append(at).append(' ').append(expected).append('\n');
    sb.append("  Java: Z ").append(at).append(' ').append(got).append('\n');
    if (got == null) {
      return sb.toString();
    }
    String[] e = expected.split(" ");
    String[] g = got.split(" ");
    for (int k = 0; k < Math.min(e.length, g.length); k++) {
      if (e[k].equals(g[k])) {
        continue;
      }
      if (e[k].startsWith("in=")) {
        sb.append("  inputs returning 0 since the previous snapshot: C ")
            .append(e[k].substring(3))
            .append(", Java ")
            .append(g[k].substring(3))
            .append('\n');
        continue;
      }
      String who = e[k].substring(0, 1).toUpperCase();
      String[] ev = e[k].substring(2).split(",");
      String[] gv = g[k].substring(2).split(",");
      for (int f = 0; f < Math.min(ev.length, gv.length); f++) {
        if (!ev[f].equals(gv[f])) {
          sb.append("  ")
              .append(who)
              .append('.')
              .append(LossyReplay.FIELDS[f])
              .append(": C ")
              .append(ev[f])
              .append(", Java ")
              .append(gv[f])
              .append('\n');
        }
      }
    }
    return sb.toString();
  }

  @Test
  void parserReadsTheFormat() throws Exception {
    String text =
        String.join(
            "\n",
            "# comment",
            "S name=x seed=5 t0=10",
            "E +10 a24.ff B7 +5 I-1",
            "E sa-2",
            "Z 0 in=3 a=1 b=2",
            "H 1 00/11",
            "T datagrams=1");
    List<LossyVectors.Scenario> s = LossyVectors.parse(new BufferedReader(new StringReader(text)));
    assertEquals(1, s.size());
    assertEquals(5L, s.get(0).param("seed"));
    assertEquals(
        List.of(
            new LossyVectors.Event(10, "a24.ff"),
            new LossyVectors.Event(10, "B7"),
            new LossyVectors.Event(15, "I-1"),
            new LossyVectors.Event(15, "sa-2")),
        s.get(0).events);
    assertEquals("in=3 a=1 b=2", s.get(0).snapshots.get(0L));
    assertEquals("00/11", s.get(0).headers.get(1));
    assertEquals("datagrams=1", s.get(0).totals);
  }

  @Test
  void theFileCoversTheRequiredGround() throws Exception {
    List<LossyVectors.Scenario> scenarios = LossyVectors.load();
    Set<String> names = new HashSet<>();
    long datagrams = 0;
    Set<String> covered = new HashSet<>();
    for (LossyVectors.Scenario s : scenarios) {
      assertTrue(names.add(s.name), "duplicate scenario name " + s.name);
      datagrams += s.events.stream().filter(e -> isDatagram(e.token())).count();
      for (String p : new String[] {"a", "b"}) {
        long nd = s.param(p + ".nd");
        boolean sends = s.param(p + ".msgs") > 0;
        mark(covered, "classic", nd == 0 && s.param(p + ".nc") == 0 && sends);
        mark(
            covered,
            "fast",
            nd == 1 && s.param(p + ".nc") == 1 && s.param(p + ".rs") == 2 && sends);
        mark(
            covered,
            "nodelay2+minrto10+rs1",
            nd == 2 && s.param(p + ".minrto") == 10 && s.param(p + ".rs") == 1 && sends);
        mark(covered, "stream", s.param(p + ".stream") != 0 && sends);
        mark(covered, "mtu<=300", s.param(p + ".mtu") <= 300 && sends);
        mark(covered, "fastlimit", s.param(p + ".fl") != 5 && s.param(p + ".rs") > 0);
        mark(covered, "small send window", s.param(p + ".swnd") <= 8 && sends);
        mark(
            covered,
            "reader stalled > 7 s",
            s.param(p + ".stall1") - s.param(p + ".stall0") > 7000);
        mark(covered, "slow reader", s.param(p + ".rlim") > 0);
        mark(
            covered,
            "update paused >= 10 s",
            s.param(p + ".pause1") - s.param(p + ".pause0") >= 10000);
        mark(covered, "reconfigured", s.param(p + ".cat") > 0);
        mark(covered, "application flush", s.param(p + ".flush") != 0);
        mark(covered, "check-driven updates", s.param(p + ".chk") != 0);
      }
      mark(covered, "clock from 0xfffff000", s.param("t0") >= 0xfffff000L);
      mark(covered, "loss >= 20 %", s.param("ab.loss") >= 200 && s.param("ba.loss") >= 200);
      mark(covered, "duplicates", s.param("ab.dup") > 0 && s.param("ba.dup") > 0);
      mark(covered, "reordering", s.param("ab.dmax") - s.param("ab.dmin") >= 100);
      mark(covered, "damaged datagrams", s.param("ab.corrupt") > 0 && s.param("ba.corrupt") > 0);
      mark(covered, "1 ms steps", s.param("step") == 1);
      mark(covered, "input errors", s.events.stream().anyMatch(e -> e.token().startsWith("I-")));
      mark(covered, "WASK sent", segs(s, "segsA", 2) + segs(s, "segsB", 2) > 0);
      mark(covered, "WINS sent", segs(s, "segsA", 3) + segs(s, "segsB", 3) > 0);
    }
    Set<String> required =
        Set.of(
            "classic",
            "fast",
            "nodelay2+minrto10+rs1",
            "stream",
            "mtu<=300",
            "fastlimit",
            "small send window",
            "reader stalled > 7 s",
            "slow reader",
            "update paused >= 10 s",
            "reconfigured",
            "clock from 0xfffff000",
            "loss >= 20 %",
            "duplicates",
            "reordering",
            "damaged datagrams",
            "1 ms steps",
            "input errors",
            "WASK sent",
            "WINS sent",
            "application flush",
            "check-driven updates");
    Set<String> missing = new HashSet<>(required);
    missing.removeAll(covered);
    assertTrue(missing.isEmpty(), "not covered: " + missing);
    assertTrue(datagrams >= 50_000, "datagrams in the file: " + datagrams);
  }

  /** Field {@code index} of "key=P/A/K/N" in the totals line. */
  private static long segs(LossyVectors.Scenario s, String key, int index) {
    for (String kv : s.totals.split(" ")) {
      if (kv.startsWith(key + "=")) {
        return Long.parseLong(kv.substring(key.length() + 1).split("/")[index]);
      }
    }
    throw new IllegalStateException("no " + key + " in the totals of " + s.name);
  }

  private static void mark(Set<String> covered, String what, boolean yes) {
    if (yes) {
      covered.add(what);
    }
  }
}
