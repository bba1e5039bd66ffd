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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's files agree with each other: CSV percentiles are the HdrHistogram logs' own. */
class ReportWriterTest {

  static RunResult result(String profile, String transport, long seed, int n, long baseMicros) {
    SplittableRandom r = new SplittableRandom(seed);
    Histogram h = new Histogram(3_600_000_000L, 3);
    for (int i = 0; i < n; i++) {
      h.recordValue(baseMicros + (long) (-Math.log(1 - r.nextDouble()) * baseMicros));
    }
    return RunResult.builder()
        .profile(profile)
        .transport(transport)
        .transportDetail("x,y")
        .mode("virtual")
        .rttMicros(h)
        .messagesSent(n + 3)
        .messagesEchoed(n)
        .goodputBytes(100L * n)
        .wireBytes(150L * n)
        .retransmits(seed)
        .durationMillis(20_000)
        .build();
  }

  @Test
  void csvPercentilesMatchTheHistogramLogs(@TempDir Path dir) throws Exception {
    List<RunResult> results = new ArrayList<>();
    results.add(result("3g-lossy", "kcp-fast", 1, 5_000, 120_000));
    results.add(result("3g-lossy", "tcp", 2, 5_000, 180_000));
    results.add(result("poor", "kcp-fast", 3, 2_000, 400_000));
    results.add(result("poor", "tcp", 4, 2_000, 600_000));
    List<Path> files =
        ReportWriter.write(dir, "test", Map.of("seed", "1"), List.of("a note"), results);
    assertEquals(dir.resolve(ReportWriter.INDEX), files.get(0));

    List<String> lines = Files.readAllLines(dir.resolve(ReportWriter.CSV));
    String[] head = lines.get(0).split(",");
    assertEquals(results.size() + 1, lines.size());
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < head.length; i++) {
      col.put(head[i], i);
    }
    for (int row = 1; row < lines.size(); row++) {
      String[] cells = parseCsvLine(lines.get(row));
      RunResult r = results.get(row - 1);
      Histogram fromLog =
          HistogramLogs.read(dir.resolve("hlog").resolve(HistogramLogs.fileName(r)));
      assertEquals(r.rttMicros().getTotalCount(), fromLog.getTotalCount());
      for (String[] p :
          new String[][] {
            {"rtt_p50_ms", "50"},
            {"rtt_p90_ms", "90"},
            {"rtt_p99_ms", "99"},
            {"rtt_p999_ms", "99.9"}
          }) {
        double expected = fromLog.getValueAtPercentile(Double.parseDouble(p[1])) / 1000.0;
        assertEquals(
            String.format(Locale.ROOT, "%.3f", expected),
            cells[col.get(p[0])],
            p[0] + " of row " + row);
      }
      assertEquals(
          String.format(Locale.ROOT, "%.3f", fromLog.getMaxValue() / 1000.0),
          cells[col.get("rtt_max_ms")]);
      assertEquals(
          String.format(Locale.ROOT, "%.3f", fromLog.getMean() / 1000.0),
          cells[col.get("rtt_mean_ms")]);
      assertEquals("3", cells[col.get("messages_lost")]);
      assertEquals("1.500", cells[col.get("overhead")]);
      assertEquals("x,y", cells[col.get("detail")]);
    }

    for (Path f : files) {
      assertTrue(Files.size(f) > 0, f + " is empty");
      if (f.toString().endsWith(".png")) {
        BufferedImage img = ImageIO.read(f.toFile());
        assertNotNull(img, f + " is not an image");
        assertTrue(img.getWidth() >= 800);
      }
    }
    String index = Files.readString(dir.resolve(ReportWriter.INDEX));
    assertTrue(
        index.contains("results.csv")
            && index.contains("rtt-percentiles__poor.png")
            && index.contains("hlog/poor__tcp.hlog")
            && index.contains("a note"),
        index);
    String json = Files.readString(dir.resolve(ReportWriter.JSON));
    assertTrue(json.contains("\"transport\": \"kcp-fast\""), json);
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
