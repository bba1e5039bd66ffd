package io.kcpj.netem.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.net.Endpoint;
import io.kcpj.netem.net.VirtualNetwork;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.TimeUnits;
import io.kcpj.netem.time.VirtualScheduler;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same seed and traffic in virtual time: byte-identical fate log; another seed: another log. */
class FateLogDeterminismTest {
  private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 4000);
  private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 5000);

  /** Every model at once, and a timeline: two-way echo traffic for 20 virtual seconds. */
  private static final Profile EVERYTHING =
      Profile.parse(
          "delay=40ms,jitter=15ms,dist=normal,"
              + "up.loss=ge:0.02:0.3:0.9:0.01,down.loss=4state:0.01:0.3:0.2:0.4:0.005,reorder=5%:3,"
              + "duplicate=2%,corrupt=1%,rate=1mbit,overhead=28,queue=20p:24kb,mtu=1300,"
              + "blackout=5s+1s,down.delay-step=8s+2s:150ms:30ms,up.loss-step=12s+1s:30%,up.rebind=15s");

  private static String run(long seed, FateLogWriter.Format format) {
    StringWriter out = new StringWriter();
    try (FateLogWriter log = new FateLogWriter(out, format)) {
      VirtualScheduler clock = new VirtualScheduler();
      VirtualNetwork net = new VirtualNetwork(clock).fateLog(log);
      Endpoint a = net.endpoint(A);
      Endpoint b = net.endpoint(B);
      b.onReceive((src, data) -> b.send(src, data));
      net.link(A, B, EVERYTHING, seed);
      SplittableRandom traffic = new SplittableRandom(1234); // the same offered packets each run
      long t = 0;
      while (t < TimeUnits.seconds(20)) {
        t += 1 + traffic.nextLong(TimeUnits.millis(10));
        clock.runUntil(t);
        a.send(B, new byte[20 + traffic.nextInt(1400)]);
      }
      clock.runUntilIdle();
    }
    return out.toString();
  }

  @Test
  void sameSeedGivesAByteIdenticalLogAnotherSeedAnotherLog() {
    String csv1 = run(42, FateLogWriter.Format.CSV);
    String csv2 = run(42, FateLogWriter.Format.CSV);
    String csv3 = run(43, FateLogWriter.Format.CSV);
    assertEquals(csv1, csv2);
    assertNotEquals(csv1, csv3);
    String json1 = run(42, FateLogWriter.Format.JSON_LINES);
    assertEquals(json1, run(42, FateLogWriter.Format.JSON_LINES));
    // One CSV header, then one line per record in both formats.
    assertEquals(csv1.lines().count() - 1, json1.lines().count());
    assertTrue(
        csv1.startsWith(
            "time_ns,link,dir,seq,size,fate,delay_ns,deliver_ns,copy,corrupt,reorder\n"));
    // Every fate and flag shows up in this scenario.
    for (String word : new String[] {",delivered,", ",lost,", ",blackout,", ",queue,", ",size,"}) {
      assertTrue(csv1.contains(word), word);
    }
    assertTrue(
        json1.contains("\"copy\":true")
            && json1.contains("\"corrupt\":true")
            && json1.contains("\"reorder\":true"));
  }

  @Test
  void jsonLinesAreWellFormed() {
    String json = run(7, FateLogWriter.Format.JSON_LINES);
    String first = json.lines().findFirst().orElseThrow();
    assertTrue(
        first.matches(
            "\\{\"time_ns\":\\d+,\"link\":\"10\\.0\\.0\\.1:4000-10\\.0\\.0\\.2:5000\","
                + "\"dir\":\"a>b\",\"seq\":0,\"size\":\\d+,\"fate\":\"[a-z]+\",\"delay_ns\":\\d+,"
                + "\"deliver_ns\":-?\\d+,\"copy\":(true|false),\"corrupt\":(true|false),"
                + "\"reorder\":(true|false)\\}"),
        first);
  }

  @Test
  void fileFormatFollowsTheExtension(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("fates.csv");
    Path jsonl = dir.resolve("fates.jsonl");
    try (FateLogWriter w = FateLogWriter.open(csv)) {
      assertEquals(FateLogWriter.Format.CSV, w.format());
    }
    try (FateLogWriter w = FateLogWriter.open(jsonl)) {
      assertEquals(FateLogWriter.Format.JSON_LINES, w.format());
    }
    assertTrue(Files.readString(csv, StandardCharsets.UTF_8).startsWith("time_ns,"));
    assertEquals("", Files.readString(jsonl, StandardCharsets.UTF_8));
  }
}
