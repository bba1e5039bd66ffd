package io.kcpj.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's files agree with each other: every latency and excess figure of the CSV is
 * recomputed here from the {@code .hlog} files alone, with an independent method (the samples
 * listed and sorted, undelivered ones appended as +∞).
 */
class ReportWriterTest {

  static RunResult result(
      String profile, String transport, long seed, int n, int undelivered, long baseMicros) {
    SplittableRandom r = new SplittableRandom(seed);
    Histogram h = new Histogram(3_600_000_000L, 3);
    for (int i = 0; i < n; i++) {
      h.recordValue(baseMicros + (long) (-Math.log(1 - r.nextDouble()) * baseMicros / 4));
    }
    return RunResult.builder()
        .profile(profile)
        .transport(transport)
        .transportDetail("x,y")
        .config("nodelay=1")
        .mode("virtual")
        .sessions(3)
        .rttMicros(h)
        .messagesSent(n + undelivered)
        .messagesEchoed(n)
        .goodputBytes(100L * n)
        .wireBytes(150L * n)
        .retransmits(seed)
        .durationMillis(20_000)
        .build();
  }

  /** Every sample of a log, sorted, each as its bucket's highest equivalent value, +∞ appended. */
  static List<Double> samples(Latency l) {
    List<Double> v = new ArrayList<>();
    Histogram h = l.histogram();
    for (HistogramIterationValue x : h.recordedValues()) {
      for (long i = 0; i < x.getCountAtValueIteratedTo(); i++) {
        v.add((double) h.highestEquivalentValue(x.getValueIteratedTo()));
      }
    }
    for (long i = 0; i < l.undelivered(); i++) {
      v.add(Double.POSITIVE_INFINITY);
    }
    return v;
  }

  /** The p-th percentile of a sorted list, rank ceil(p·n/100) computed in integers. */
  static double oracle(List<Double> sorted, int perMille) {
    long n = sorted.size();
    long rank = Math.max(1, (perMille * n + 999) / 1000);
    return sorted.get((int) rank - 1) / 1000.0;
  }

  static String csv(double ms) {
    return Double.isInfinite(ms) ? "inf" : String.format(Locale.ROOT, "%.3f", ms);
  }

  @Test
  void everyLatencyAndExcessColumnIsRecomputedFromTheHistogramLogs(@TempDir Path dir)
      throws Exception {
    List<RunResult> results = new ArrayList<>();
    results.add(result("3g-lossy", "floor", 1, 5_000, 0, 100_000));
    results.add(result("3g-lossy", "tcp", 2, 5_000, 0, 180_000));
    results.add(result("3g-lossy", "kcp-fast", 3, 5_000, 40, 120_000)); // 0.8 %: p99 finite
    results.add(result("poor", "floor", 4, 2_000, 0, 400_000));
    results.add(result("poor", "kcp-normal", 5, 2_000, 30, 600_000)); // 1.5 %: p99 infinite
    ReportModel model = ReportModel.of("test", Map.of("seed", "1"), List.of("a note"), results);
    List<Path> files = ReportWriter.write(dir, model);
    assertEquals(dir.resolve(ReportWriter.HTML), files.get(0));

    List<String> lines = Files.readAllLines(dir.resolve(ReportWriter.CSV));
    assertTrue(lines.get(0).startsWith(ReportColumns.FIXED_HEADER + ","), lines.get(0));
    assertEquals(results.size() + 1, lines.size());
    String[] head = lines.get(0).split(",");
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < head.length; i++) {
      col.put(head[i], i);
    }
    Map<String, List<Double>> floors = new HashMap<>();
    Map<String, Latency> floorLogs = new HashMap<>();
    for (int row = 1; row < lines.size(); row++) {
      String[] cells = parseCsvLine(lines.get(row));
      RunResult r = results.get(row - 1);
      Latency fromLog =
          HistogramLogs.readLatency(dir.resolve("hlog").resolve(HistogramLogs.fileName(r)));
      List<Double> sorted = samples(fromLog);
      assertEquals(r.messagesSent(), sorted.size(), "samples = every message sent");
      assertEquals(Long.toString(sorted.size()), cells[col.get("samples")]);
      assertEquals(Long.toString(r.messagesLost()), cells[col.get("undelivered")]);
      int[][] pcts = {{500, col.get("p50_ms")}, {900, col.get("p90_ms")}, {990, col.get("p99_ms")}};
      for (int[] p : pcts) {
        assertEquals(csv(oracle(sorted, p[0])), cells[p[1]], head[p[1]] + " of row " + row);
      }
      assertEquals(csv(oracle(sorted, 999)), cells[col.get("p999_ms")]);
      assertEquals(csv(sorted.get(sorted.size() - 1) / 1000.0), cells[col.get("max_ms")]);
      assertEquals(
          String.format(Locale.ROOT, "%.3f", fromLog.histogram().getMean() / 1000.0),
          cells[col.get("mean_ms")],
          "mean over the delivered messages");
      if (r.transport().equals("floor")) {
        floors.put(r.profile(), sorted);
        floorLogs.put(r.profile(), fromLog);
        assertEquals("", cells[col.get("p99_excess_ms")], "no excess for the floor itself");
        assertEquals("", cells[col.get("mean_excess_ms")]);
      } else {
        List<Double> f = floors.get(r.profile());
        for (String[] e : new String[][] {{"p50_excess_ms", "500"}, {"p99_excess_ms", "990"}}) {
          int pm = Integer.parseInt(e[1]);
          assertEquals(
              csv(oracle(sorted, pm) - oracle(f, pm)), cells[col.get(e[0])], e[0] + " row " + row);
        }
        assertEquals(
            String.format(
                Locale.ROOT,
                "%.3f",
                (fromLog.histogram().getMean() - floorLogs.get(r.profile()).histogram().getMean())
                    / 1000.0),
            cells[col.get("mean_excess_ms")]);
      }
      assertEquals("1.500", cells[col.get("wire_per_goodput")]);
      assertEquals("nodelay=1", cells[col.get("config")]);
      assertEquals("x,y", cells[col.get("detail")]);
      assertEquals("3", cells[col.get("sessions")]);
    }
    String[] fast = parseCsvLine(lines.get(3));
    assertTrue(!fast[col.get("p99_ms")].equals("inf"), "0.8 % undelivered keeps p99 finite");
    assertEquals("inf", fast[col.get("max_ms")], "but the maximum is infinite");
    assertTrue(!fast[col.get("p99_excess_vs_tcp")].isEmpty(), "a ratio to TCP where TCP ran");
    String[] normal = parseCsvLine(lines.get(5));
    assertEquals("inf", normal[col.get("p99_ms")], "1.5 % undelivered: p99 is +inf");
    assertEquals("inf", normal[col.get("p99_ci_high_ms")]);
    assertEquals("inf", normal[col.get("p99_excess_ms")]);
    assertEquals("", normal[col.get("p99_excess_vs_tcp")], "no TCP on poor: no ratio");

    for (Path f : files) {
      assertTrue(Files.size(f) > 0, f + " is empty");
      if (f.toString().endsWith(".png")) {
        BufferedImage img = ImageIO.read(f.toFile());
        assertNotNull(img, f + " is not an image");
        assertTrue(img.getWidth() >= 800);
      }
    }
    String md = Files.readString(dir.resolve(ReportWriter.INDEX));
    String html = Files.readString(dir.resolve(ReportWriter.HTML));
    for (String index : List.of(md, html)) {
      assertTrue(
          index.contains("results.csv")
              && index.contains("rtt-percentiles__poor.png")
              && index.contains("p99-excess.png")
              && index.contains("hlog/poor__kcp-normal.hlog")
              && index.contains("a note"),
          index);
      assertTrue(index.indexOf("Summary") < index.indexOf("How to read"), "summary first");
    }
    assertTrue(html.contains("<b>3g-lossy</b> → kcp-fast"), html);
    assertTrue(html.contains("kcp-normal: p99 ∞"), "the summary says why a row is out");
    String json = Files.readString(dir.resolve(ReportWriter.JSON));
    assertTrue(json.contains("\"transport\": \"kcp-fast\""), json);
    assertTrue(json.contains("\"p99_ms\": \"inf\""), json);
  }

  /** Minimal RFC 4180 line parser for the test. */
  static String[] parseCsvLine(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out.toArray(new String[0]);
  }
}
