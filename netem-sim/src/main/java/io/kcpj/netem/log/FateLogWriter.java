package io.kcpj.netem.log;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link FateLog} writing one line per packet as CSV or JSON lines. The output depends only on
 * the records (integers and fixed words, no locale, no clock), so two runs with the same seed and
 * the same offered packets in virtual time write byte-identical files.
 *
 * <p>CSV columns (with a header line): {@code time_ns,link,dir,seq,size,fate,delay_ns,deliver_ns,
 * copy,corrupt,reorder}. JSON lines: one object per line with the same names.
 *
 * <p>Not thread-safe: use one writer per thread (in virtual time, one per simulation). The writer
 * owns the underlying {@link Writer} and closes it. I/O errors are rethrown as {@link
 * UncheckedIOException}.
 */
public final class FateLogWriter implements FateLog, Flushable, Closeable {

  /** The line format. */
  public enum Format {
    /** Comma-separated values with a header line. */
    CSV,
    /** One JSON object per line. */
    JSON_LINES;

    /** The format for a file name: {@code .json}/{@code .jsonl} → JSON lines, anything else CSV. */
    public static Format forFileName(String fileName) {
      String f = fileName.toLowerCase(java.util.Locale.ROOT);
      return f.endsWith(".jsonl") || f.endsWith(".json") || f.endsWith(".ndjson")
          ? JSON_LINES
          : CSV;
    }

    String header() {
      return this == CSV
          ? "time_ns,link,dir,seq,size,fate,delay_ns,deliver_ns,copy,corrupt,reorder"
          : null;
    }

    /** One record as a line, without the line terminator. */
    public String format(FateRecord r) {
      StringBuilder sb = new StringBuilder(96);
      append(sb, r);
      return sb.toString();
    }

    void append(StringBuilder sb, FateRecord r) {
      if (this == CSV) {
        sb.append(r.timeNanos())
            .append(',')
            .append(csv(r.link()))
            .append(',')
            .append(r.direction().logName())
            .append(',')
            .append(r.sequence())
            .append(',')
            .append(r.size())
            .append(',')
            .append(r.fate().logName())
            .append(',')
            .append(r.delayNanos())
            .append(',')
            .append(r.deliverNanos())
            .append(',')
            .append(r.copy() ? 1 : 0)
            .append(',')
            .append(r.corrupted() ? 1 : 0)
            .append(',')
            .append(r.reordered() ? 1 : 0);
      } else {
        sb.append("{\"time_ns\":")
            .append(r.timeNanos())
            .append(",\"link\":\"")
            .append(json(r.link()))
            .append('"')
            .append(",\"dir\":\"")
            .append(r.direction().logName())
            .append('"')
            .append(",\"seq\":")
            .append(r.sequence())
            .append(",\"size\":")
            .append(r.size())
            .append(",\"fate\":\"")
            .append(r.fate().logName())
            .append('"')
            .append(",\"delay_ns\":")
            .append(r.delayNanos())
            .append(",\"deliver_ns\":")
            .append(r.deliverNanos())
            .append(",\"copy\":")
            .append(r.copy())
            .append(",\"corrupt\":")
            .append(r.corrupted())
            .append(",\"reorder\":")
            .append(r.reordered())
            .append('}');
      }
    }

    private static String csv(String s) {
      if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
        return s;
      }
      return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String json(String s) {
      StringBuilder sb = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          sb.append('\\').append(c);
        } else if (c < 0x20) {
          sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }
  }

  private final Writer out;
  private final Format format;
  private final StringBuilder line = new StringBuilder(128);
  private long records;

  /** A writer of {@code format} lines to {@code out} (the header, for CSV, is written now). */
  public FateLogWriter(Writer out, Format format) {
    this.out = Objects.requireNonNull(out, "out");
    this.format = Objects.requireNonNull(format, "format");
    String header = format.header();
    if (header != null) {
      write(header);
    }
  }

  /** A CSV log on {@code out}. */
  public static FateLogWriter csv(Writer out) {
    return new FateLogWriter(out, Format.CSV);
  }

  /** A JSON-lines log on {@code out}. */
  public static FateLogWriter jsonLines(Writer out) {
    return new FateLogWriter(out, Format.JSON_LINES);
  }

  /** A log file (UTF-8, replaced if present), CSV or JSON lines by its extension. */
  public static FateLogWriter open(Path file) throws IOException {
    BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    return new FateLogWriter(w, Format.forFileName(file.getFileName().toString()));
  }

  /** The format written. */
  public Format format() {
    return format;
  }

  /** The number of records written. */
  public long records() {
    return records;
  }

  @Override
  public void record(FateRecord record) {
    line.setLength(0);
    format.append(line, record);
    records++;
    write(line);
  }

  private void write(CharSequence s) {
    try {
      out.append(s).append('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
