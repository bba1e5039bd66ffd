package io.kcpj.bench.compare.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.compare.Comparison;
import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.RunResult;
import io.kcpj.netem.profile.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short real-time comparison across the TUN bridge (root only; CI runs as root): kernel TCP
 * really is kernel TCP under loss — the namespace's own retransmission counter rises —, every row
 * runs as several sessions, the floor row sees the path without its loss, and the run's accounting
 * is consistent.
 */
@Tag("privileged")
class BridgeComparisonIT {

  @Test
  void everyRowRunsItsSessionsAndTheFloorSeesTheLosslessPath(@TempDir Path dir) throws Exception {
    String problem = BridgeComparison.whyUnavailable();
    Assumptions.assumeTrue(problem == null, () -> "TUN bridge not available here: " + problem);
    Profile lossy = Profile.parse("delay=20ms,loss=5%");
    Comparison plan =
        Comparison.builder()
            .profiles(List.of(lossy, Profile.named("kcp-test")))
            .kcp(List.of(KcpTransport.preset("fast")))
            .tcp(true)
            .floor(true)
            .workload(Workload.game(50, 100, 4_000))
            .seed(11)
            .sessions(2)
            .drainMillis(10_000)
            .build();
    Map<String, String> info = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    List<RunResult> rows = new ArrayList<>();
    List<RunResult> results = new BridgeComparison(plan).run(info, rows::add, lines::add, dir);
    assertEquals(6, results.size(), "2 profiles x (floor, tcp, kcp-fast)");
    assertEquals(results, rows, "every row is handed on as it finishes");
    for (RunResult r : results) {
      assertEquals(2, r.sessions(), r.transport());
      assertEquals(400, r.messagesSent(), r.transport() + ": 2 sessions x 200 messages");
      assertTrue(r.wireBytes() > r.goodputBytes(), "headers make wire bytes exceed goodput");
    }
    RunResult floor = results.get(0);
    assertEquals("floor", floor.transport());
    assertEquals(400, floor.messagesEchoed(), "the floor's path has no loss");
    assertEquals(0, floor.retransmits());
    assertTrue(floor.rttMillisAt(50) >= 40, "the floor keeps the delay: " + floor.rttMillisAt(50));
    RunResult tcp = results.get(1);
    assertEquals("tcp", tcp.transport());
    assertEquals(400, tcp.messagesEchoed(), "TCP is reliable: every echo arrives");
    assertTrue(
        tcp.retransmits() > 0,
        "the kernel's RetransSegs must rise with 5 % loss each way; got " + tcp.retransmits());
    assertTrue(tcp.rttMillisAt(50) >= 40, "median RTT " + tcp.rttMillisAt(50));
    RunResult kcp = results.get(2);
    assertEquals("kcp-fast", kcp.transport());
    assertEquals(400, kcp.messagesEchoed(), "KCP is reliable: every echo arrives");
    assertTrue(kcp.retransmits() > 0, "kcp-fast retransmits under 5 % loss");
    // KCP datagrams carry at least 24 + 28 header bytes per 100-byte message each way
    assertTrue(kcp.overhead() > 1.5, "kcp overhead " + kcp.overhead());
    assertTrue(info.get("kernel TCP congestion control").length() > 0);
    assertTrue(Files.exists(dir.resolve(BridgeComparison.SERVER_LOG)));
  }
}
