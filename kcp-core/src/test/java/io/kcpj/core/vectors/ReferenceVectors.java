package io.kcpj.core.vectors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser of {@code ikcp-vectors.txt}: the exact datagrams, input results, received messages and
 * state snapshots the C reference produced for each scripted scenario.
 */
final class ReferenceVectors {

  /** One datagram handed to the output callback. */
  record Datagram(int index, String direction, int sentAt, byte[] bytes) {}

  /** One "ikcp_input(dest, Dn) -> status" line. */
  record InputEvent(int t, String destination, int datagram, int status) {}

  /** One "ikcp_recv(B) -> N bytes" line. */
  record RecvEvent(int t, String endpoint, int bytes, String equalsWhat) {}

  /** All the reference recorded about one scenario. */
  static final class Scenario {
    final int number;
    final List<Datagram> datagrams = new ArrayList<>();
    final List<InputEvent> inputs = new ArrayList<>();
    final List<RecvEvent> recvs = new ArrayList<>();

    /** t -> endpoint ("A"/"B") -> field -> value, for "after t=X updates". */
    final Map<Integer, Map<String, Map<String, Long>>> statesAfterUpdate = new LinkedHashMap<>();

    final Map<String, Map<String, Long>> finalState = new HashMap<>();
    int totalDatagrams = -1;

    Scenario(int number) {
      this.number = number;
    }
  }

  private static final Pattern SCENARIO = Pattern.compile("^# SCENARIO (\\d+):.*");
  private static final Pattern DATAGRAM_HEAD =
      Pattern.compile("^# D(\\d+)\\s+(A->B|B->A)\\s+sent_t=(\\d+)\\s+len=(\\d+)\\s*$");
  private static final Pattern DATAGRAM = Pattern.compile("^D(\\d+) ([0-9a-f]+)$");
  private static final Pattern AFTER = Pattern.compile("^# after t=(\\d+) updates:$");
  private static final Pattern STATE = Pattern.compile("^#\\s+([AB]): (.*)$");
  private static final Pattern INPUT =
      Pattern.compile("^# t=(\\d+)\\s+ikcp_input\\(([AB]), D(\\d+)\\) -> (-?\\d+)$");
  private static final Pattern RECV =
      Pattern.compile("^# t=(\\d+)\\s+ikcp_recv\\(([AB])\\) -> (\\d+) bytes, == (.*)$");
  private static final Pattern FINAL = Pattern.compile("^# final state:$");
  private static final Pattern END = Pattern.compile("^# end of run .*: (\\d+) datagrams total.*$");

  static List<Scenario> load() throws IOException {
    try (InputStream in = ReferenceVectors.class.getResourceAsStream("/ikcp-vectors.txt")) {
      if (in == null) {
        throw new IOException("ikcp-vectors.txt is missing from the test resources");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)));
    }
  }

  private static List<Scenario> parse(BufferedReader r) throws IOException {
    List<Scenario> scenarios = new ArrayList<>();
    Scenario cur = null;
    String pendingDirection = null;
    int pendingSentAt = -1;
    int pendingLen = -1;
    int pendingIndex = -1;
    Map<String, Map<String, Long>> stateTarget = null;
    String line;
    while ((line = r.readLine()) != null) {
      Matcher m;
      if ((m = SCENARIO.matcher(line)).matches()) {
        cur = new Scenario(Integer.parseInt(m.group(1)));
        scenarios.add(cur);
        stateTarget = null;
      } else if (cur == null) {
        continue;
      } else if ((m = DATAGRAM_HEAD.matcher(line)).matches()) {
        pendingIndex = Integer.parseInt(m.group(1));
        pendingDirection = m.group(2);
        pendingSentAt = Integer.parseInt(m.group(3));
        pendingLen = Integer.parseInt(m.group(4));
      } else if ((m = DATAGRAM.matcher(line)).matches()) {
        int index = Integer.parseInt(m.group(1));
        if (index != pendingIndex) {
          throw new IOException("datagram D" + index + " without its header line");
        }
        byte[] bytes = hex(m.group(2));
        if (bytes.length != pendingLen) {
          throw new IOException(
              "D" + index + " has " + bytes.length + " bytes, header says " + pendingLen);
        }
        cur.datagrams.add(new Datagram(index, pendingDirection, pendingSentAt, bytes));
      } else if ((m = AFTER.matcher(line)).matches()) {
        stateTarget = new HashMap<>();
        cur.statesAfterUpdate.put(Integer.parseInt(m.group(1)), stateTarget);
      } else if (FINAL.matcher(line).matches()) {
        stateTarget = cur.finalState;
      } else if (stateTarget != null && (m = STATE.matcher(line)).matches()) {
        stateTarget.put(m.group(1), fields(m.group(2)));
      } else if ((m = INPUT.matcher(line)).matches()) {
        cur.inputs.add(
            new InputEvent(
                Integer.parseInt(m.group(1)),
                m.group(2),
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4))));
        stateTarget = null;
      } else if ((m = RECV.matcher(line)).matches()) {
        cur.recvs.add(
            new RecvEvent(
                Integer.parseInt(m.group(1)),
                m.group(2),
                Integer.parseInt(m.group(3)),
                m.group(4)));
        stateTarget = null;
      } else if ((m = END.matcher(line)).matches()) {
        cur.totalDatagrams = Integer.parseInt(m.group(1));
      } else if (!line.startsWith("#   ")) {
        stateTarget = null;
      }
    }
    return scenarios;
  }

  private static Map<String, Long> fields(String s) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String kv : s.trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
    }
    return m;
  }

  static byte[] hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  private ReferenceVectors() {}
}
