package io.kcpj.core.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.Kcp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the scripted scenarios of {@code ikcp-vectors.txt} through two engines on the same
 * virtual clock and event order as the C program that produced the file, and checks every emitted
 * datagram byte for byte, every input status, every received message and every recorded state
 * field.
 */
class ReferenceVectorTest {

  private static final int CONV = 0x11223344;
  private static final int ONE_WAY_DELAY = 20;

  /** What our engines did during one scenario. */
  static final class Run {
    final List<ReferenceVectors.Datagram> datagrams = new ArrayList<>();
    final List<ReferenceVectors.InputEvent> inputs = new ArrayList<>();
    final List<ReferenceVectors.RecvEvent> recvs = new ArrayList<>();
    final Map<Integer, Map<String, Map<String, Long>>> states = new LinkedHashMap<>();
    Map<String, Map<String, Long>> finalState;
  }

  static Run replay(int scenario) {
    Run run = new Run();
    int[] clock = {0};
    Kcp[] a = new Kcp[1];
    Kcp[] b = new Kcp[1];
    a[0] = new Kcp(CONV, dg -> record(run, "A->B", clock[0], dg));
    b[0] = new Kcp(CONV, dg -> record(run, "B->A", clock[0], dg));
    for (Kcp k : new Kcp[] {a[0], b[0]}) {
      k.setMtu(1400);
      if (scenario == 1) {
        k.setNoDelay(1, 10, 2, true);
      }
    }
    byte[] m = new byte[3000];
    for (int i = 0; i < m.length; i++) {
      m[i] = (byte) (i % 251);
    }
    int delivered = 0;
    byte[] rbuf = new byte[8192];
    for (int t = 1000; t <= 3000; t += 10) {
      clock[0] = t;
      if (t == 1000) {
        assertEquals(5, a[0].send("hello".getBytes(StandardCharsets.US_ASCII), 0, 5));
        assertEquals(3000, a[0].send(m, 0, m.length));
      }
      // (a) deliver every datagram whose one-way delay has elapsed, in emission order
      while (delivered < run.datagrams.size()
          && run.datagrams.get(delivered).sentAt() + ONE_WAY_DELAY <= t) {
        ReferenceVectors.Datagram d = run.datagrams.get(delivered++);
        boolean toB = d.direction().equals("A->B");
        int status = (toB ? b[0] : a[0]).input(d.bytes(), 0, d.bytes().length);
        run.inputs.add(new ReferenceVectors.InputEvent(t, toB ? "B" : "A", d.index(), status));
      }
      // (b) receive everything on B
      while (true) {
        int n = b[0].recv(rbuf, 0, rbuf.length);
        if (n < 0) {
          break;
        }
        String what =
            n == 5 && new String(rbuf, 0, 5, StandardCharsets.US_ASCII).equals("hello")
                ? "\"hello\""
                : (n == 3000 && equalsPrefix(rbuf, m) ? "M" : "?");
        run.recvs.add(new ReferenceVectors.RecvEvent(t, "B", n, what));
      }
      // (c) update both
      int before = run.datagrams.size();
      a[0].update(t);
      b[0].update(t);
      if (run.datagrams.size() > before || t == 1000) {
        Map<String, Map<String, Long>> s = new HashMap<>();
        s.put("A", state(a[0]));
        s.put("B", state(b[0]));
        run.states.put(t, s);
      }
    }
    run.finalState = new HashMap<>();
    run.finalState.put("A", state(a[0]));
    run.finalState.put("B", state(b[0]));
    return run;
  }

  private static boolean equalsPrefix(byte[] buf, byte[] expected) {
    for (int i = 0; i < expected.length; i++) {
      if (buf[i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static void record(Run run, String direction, int t, ByteBuffer dg) {
    byte[] copy = new byte[dg.remaining()];
    dg.get(copy);
    run.datagrams.add(new ReferenceVectors.Datagram(run.datagrams.size() + 1, direction, t, copy));
  }

  static Map<String, Long> state(Kcp k) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("snd_una", Integer.toUnsignedLong(k.sndUna()));
    m.put("snd_nxt", Integer.toUnsignedLong(k.sndNxt()));
    m.put("rcv_nxt", Integer.toUnsignedLong(k.rcvNxt()));
    m.put("rx_srtt", (long) k.srtt());
    m.put("rx_rttval", (long) k.rttVar());
    m.put("rx_rto", (long) k.rto());
    m.put("cwnd", (long) k.cwnd());
    m.put("ssthresh", (long) k.ssthresh());
    m.put("rmt_wnd", (long) k.remoteWindow());
    m.put("nsnd_buf", (long) k.sendBufferSize());
    m.put("nsnd_que", (long) k.sendQueueSize());
    m.put("nrcv_buf", (long) k.receiveBufferSize());
    m.put("nrcv_que", (long) k.receiveQueueSize());
    m.put("xmit", (long) k.timeoutRetransmissions());
    return m;
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioMatchesTheReference() throws Exception {
    List<ReferenceVectors.Scenario> scenarios = ReferenceVectors.load();
    assertEquals(2, scenarios.size(), "scenarios in the vector file");
    return scenarios.stream()
        .map(s -> DynamicTest.dynamicTest("scenario " + s.number, () -> check(s)));
  }

  private static void check(ReferenceVectors.Scenario expected) {
    Run run = replay(expected.number);
    assertTrue(expected.datagrams.size() >= 5, "the file lists datagrams");
    assertEquals(expected.totalDatagrams, expected.datagrams.size(), "file is self-consistent");

    assertEquals(expected.datagrams.size(), run.datagrams.size(), "number of datagrams emitted");
    for (int i = 0; i < expected.datagrams.size(); i++) {
      ReferenceVectors.Datagram e = expected.datagrams.get(i);
      ReferenceVectors.Datagram g = run.datagrams.get(i);
      String where = "scenario " + expected.number + " D" + e.index();
      assertEquals(e.direction(), g.direction(), where + " direction");
      assertEquals(e.sentAt(), g.sentAt(), where + " sent_t");
      assertArrayEquals(e.bytes(), g.bytes(), where + " bytes");
    }

    assertEquals(expected.inputs, run.inputs, "input calls and their status");
    assertEquals(expected.recvs, run.recvs, "messages received");

    assertTrue(!expected.statesAfterUpdate.isEmpty(), "the file lists states");
    for (Map.Entry<Integer, Map<String, Map<String, Long>>> e :
        expected.statesAfterUpdate.entrySet()) {
      Map<String, Map<String, Long>> got = run.states.get(e.getKey());
      assertTrue(got != null, "no state recorded at t=" + e.getKey());
      for (String who : new String[] {"A", "B"}) {
        assertEquals(
            e.getValue().get(who),
            got.get(who),
            "scenario " + expected.number + " state of " + who + " after t=" + e.getKey());
      }
    }
    for (String who : new String[] {"A", "B"}) {
      assertEquals(
          expected.finalState.get(who),
          run.finalState.get(who),
          "scenario " + expected.number + " final state of " + who);
    }
  }

  @Test
  void parserReadsWhatTheFileStates() throws Exception {
    List<ReferenceVectors.Scenario> scenarios = ReferenceVectors.load();
    assertEquals(5, scenarios.get(0).datagrams.size());
    assertEquals(7, scenarios.get(1).datagrams.size());
    assertEquals(54L, scenarios.get(0).finalState.get("A").get("rx_rto"));
    assertEquals(4L, scenarios.get(1).finalState.get("A").get("cwnd"));
    assertEquals(14, scenarios.get(0).finalState.get("A").size());
  }
}
