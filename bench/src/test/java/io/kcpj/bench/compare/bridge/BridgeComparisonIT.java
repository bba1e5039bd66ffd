package io.kcpj.bench.compare.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.compare.Comparison;
import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.RunResult;
import io.kcpj.netem.profile.Profile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A short real-time comparison across the TUN bridge (root only; CI runs as root): kernel TCP
 * really is kernel TCP under loss — the namespace's own retransmission counter rises — and the
 * run's accounting is consistent.
 */
@Tag("privileged")
class BridgeComparisonIT {

  @Test
  void kernelTcpRetransmitsAcrossALossyBridgeAndEveryMessageIsEchoed() throws Exception {
    String problem = BridgeComparison.whyUnavailable();
    Assumptions.assumeTrue(problem == null, () -> "TUN bridge not available here: " + problem);
    Profile lossy = Profile.parse("delay=20ms,loss=5%");
    Comparison plan =
        new Comparison(
            List.of(lossy, Profile.named("kcp-test")),
            List.of(KcpTransport.preset("fast")),
            true,
            Workload.game(50, 100, 4_000),
            11);
    Map<String, String> info = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    List<RunResult> results = new BridgeComparison(plan, 10_000).run(info, lines::add);
    assertEquals(4, results.size(), "2 profiles x (kcp-fast, tcp)");
    for (RunResult r : results) {
      assertEquals(200, r.messagesSent(), r.transport());
      assertEquals(200, r.messagesEchoed(), r.transport() + " is reliable: every echo arrives");
      assertEquals(200, r.rttMicros().getTotalCount());
      assertTrue(r.wireBytes() > r.goodputBytes(), "headers make wire bytes exceed goodput");
      assertTrue(r.retransmits() > 0, r.transport() + " retransmits on " + r.profile());
    }
    RunResult kcp = results.get(0);
    assertEquals("kcp-fast", kcp.transport());
    // KCP datagrams carry at least 24 + 28 header bytes per 100-byte message each way
    assertTrue(kcp.overhead() > 1.5, "kcp overhead " + kcp.overhead());
    RunResult tcp = results.get(1);
    assertEquals("tcp", tcp.transport());
    assertEquals(200, tcp.messagesSent());
    assertEquals(200, tcp.messagesEchoed(), "TCP is reliable: every echo arrives");
    assertEquals(200, tcp.rttMicros().getTotalCount());
    assertTrue(
        tcp.retransmits() > 0,
        "the kernel's RetransSegs must rise with 5 % loss each way; got " + tcp.retransmits());
    // 40 ms of round-trip delay at least, and the bridge saw the TCP flow's bytes.
    assertTrue(tcp.rttMillisAt(50) >= 40, "median RTT " + tcp.rttMillisAt(50));
    assertTrue(tcp.wireBytes() > tcp.goodputBytes(), "headers make wire bytes exceed goodput");
    assertTrue(info.get("kernel TCP congestion control").length() > 0);
  }
}
