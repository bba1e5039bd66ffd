package io.kcpj.bench.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * One HdrHistogram log ({@code .hlog}) per profile × transport: the delivered messages' RTT
 * histogram in microseconds, readable by HdrHistogram's own tools ({@code HistogramLogProcessor})
 * and by {@link #read(Path)}, plus a comment line {@code #kcpj undelivered=N sent=M} with the
 * messages never echoed (HdrHistogram's tools skip comments; {@link #readLatency(Path)} reads both,
 * so every percentile of the reports can be recomputed from the logs alone).
 */
public final class HistogramLogs {
  private HistogramLogs() {}

  /** The log's file name for a result. */
  public static String fileName(RunResult r) {
    return Names.slug(r.profile()) + "__" + Names.slug(r.transport()) + ".hlog";
  }

  public static void write(Path file, RunResult r) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        PrintStream ps = new PrintStream(out, false, StandardCharsets.UTF_8)) {
      HistogramLogWriter w = new HistogramLogWriter(ps);
      w.outputComment(
          "kcpj RTT histogram, microseconds: profile="
              + r.profile()
              + " transport="
              + r.transport()
              + " mode="
              + r.mode());
      w.outputComment(
          "kcpj undelivered="
              + r.messagesLost()
              + " sent="
              + r.latency().count()
              + " (undelivered"
              + " messages count as +infinity in the percentiles)");
      w.outputLogFormatVersion();
      w.outputStartTime(0);
      w.outputLegend();
      Histogram h = r.rttMicros().copy();
      h.setStartTimeStamp(0);
      h.setEndTimeStamp(Math.max(1, r.durationMillis()));
      h.setTag(Names.slug(r.transport()));
      w.outputIntervalHistogram(h);
    }
  }

  /** The histogram and the undelivered count of a log written by {@link #write}. */
  public static Latency readLatency(Path file) throws IOException {
    long undelivered = -1;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith(UNDELIVERED)) {
        String n = line.substring(UNDELIVERED.length()).split(" ", 2)[0];
        undelivered = Long.parseLong(n);
        break;
      }
    }
    if (undelivered < 0) {
      throw new IOException("no '" + UNDELIVERED + "' comment in " + file);
    }
    return new Latency(read(file), undelivered);
  }

  private static final String UNDELIVERED = "#kcpj undelivered=";

  /** All histograms of a log, merged into one. */
  public static Histogram read(Path file) throws IOException {
    List<Histogram> parts = new ArrayList<>();
    try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
      EncodableHistogram e;
      while ((e = reader.nextIntervalHistogram()) != null) {
        parts.add((Histogram) e);
      }
    }
    if (parts.isEmpty()) {
      throw new IOException("no histogram in " + file);
    }
    Histogram total = new Histogram(parts.get(0).getNumberOfSignificantValueDigits());
    for (Histogram h : parts) {
      total.add(h);
    }
    return total;
  }
}
