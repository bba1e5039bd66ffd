package io.kcpj.core.vectors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parser of {@code ikcp-lossy-vectors.txt}, written by {@code tools/ikcp-diff/harness.c} from the C
 * reference: per scenario its parameters, the event stream (datagrams, receives, unusual input and
 * send results, each with its elapsed time), the periodic state snapshots, the segment headers of
 * the first datagrams and the totals. The file's header documents the format.
 */
final class LossyVectors {

  /** One event of the stream: its token (as in the file, without the time) and its elapsed ms. */
  record Event(long elapsed, String token) {
    @Override
    public String toString() {
      return token + "@" + elapsed;
    }
  }

  /** One scenario of the file. */
  static final class Scenario {
    final String name;

    /** Every key of the S line except name, in file order. */
    final Map<String, Long> params;

    final List<Event> events = new ArrayList<>();

    /** elapsed -> the rest of the Z line after the elapsed ("in=N a=... b=..."). */
    final Map<Long, String> snapshots = new LinkedHashMap<>();

    /** datagram number (1-based) -> "hdr/hdr/..." hex. */
    final Map<Integer, String> headers = new LinkedHashMap<>();

    String totals;
    final int lineNumber;

    Scenario(String name, Map<String, Long> params, int lineNumber) {
      this.name = name;
      this.params = params;
      this.lineNumber = lineNumber;
    }

    long param(String key) {
      Long v = params.get(key);
      if (v == null) {
        throw new IllegalStateException("scenario " + name + " lacks parameter " + key);
      }
      return v;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final String RESOURCE = "/ikcp-lossy-vectors.txt";

  private static List<Scenario> cached;

  /** The scenarios of the resource file (parsed once per JVM; the lists are not modified). */
  static synchronized List<Scenario> load() throws IOException {
    if (cached == null) {
      try (InputStream in = LossyVectors.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IOException(RESOURCE + " is missing from the test resources");
        }
        cached = parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)));
      }
    }
    return cached;
  }

  static List<Scenario> parse(BufferedReader r) throws IOException {
    List<Scenario> scenarios = new ArrayList<>();
    Scenario cur = null;
    long time = 0;
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(" ");
      switch (f[0]) {
        case "S" -> {
          Map<String, Long> params = new LinkedHashMap<>();
          String name = null;
          for (int i = 1; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            if (eq < 0) {
              throw new IOException("line " + n + ": bad parameter " + f[i]);
            }
            String key = f[i].substring(0, eq);
            String value = f[i].substring(eq + 1);
            if (key.equals("name")) {
              name = value;
            } else {
              params.put(key, Long.decode(value));
            }
          }
          cur = new Scenario(name, params, n);
          scenarios.add(cur);
          time = 0;
        }
        case "E" -> {
          requireScenario(cur, n);
          for (int i = 1; i < f.length; i++) {
            if (f[i].startsWith("+")) {
              time += Long.parseLong(f[i].substring(1));
            } else {
              cur.events.add(new Event(time, f[i]));
            }
          }
        }
        case "Z" -> {
          requireScenario(cur, n);
          int sp = line.indexOf(' ', 2);
          cur.snapshots.put(Long.parseLong(line.substring(2, sp)), line.substring(sp + 1));
        }
        case "H" -> {
          requireScenario(cur, n);
          cur.headers.put(Integer.parseInt(f[1]), f[2]);
        }
        case "T" -> {
          requireScenario(cur, n);
          cur.totals = line.substring(2);
        }
        default -> throw new IOException("line " + n + ": unknown record " + f[0]);
      }
    }
    return scenarios;
  }

  private static void requireScenario(Scenario cur, int line) throws IOException {
    if (cur == null) {
      throw new IOException("line " + line + ": record before the first S line");
    }
  }

  private LossyVectors() {}
}
