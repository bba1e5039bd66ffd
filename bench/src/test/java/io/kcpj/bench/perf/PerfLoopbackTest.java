package io.kcpj.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A short real-socket run of the perf client against the kcpj perf server. */
class PerfLoopbackTest {
  @Test
  void loadRunAnswersEveryMessageAndReportsServerCpu() throws Exception {
    try (PerfServer server = new PerfServer(new InetSocketAddress("127.0.0.1", 0), KcpConfig.fast(), 100)) {
      PerfClient.Settings s = new PerfClient.Settings(server.localAddress(), 4, 2, 1, 50, 100,
          Duration.ofSeconds(1), Duration.ofMillis(300), KcpConfig.fast(), false, 0, "nio");
      PerfResult r = new PerfClient(s).run();
      assertEquals(200, r.number("sent"), 12, r.toTable());
      assertEquals(r.number("sent"), r.number("received"), r.toTable());
      assertEquals(0, r.number("unanswered"), r.toTable());
      assertEquals(4, r.number("sessions_open_at_end"), r.toTable());
      assertTrue(r.number("rtt_p50_ms") > 0, r.toTable());
      assertTrue(r.number("server_cpu_s") > 0, r.toTable());
      assertTrue(r.number("server_echoed") >= r.number("received") - 10, r.toTable());
      assertTrue(r.toJson().startsWith("{\"mode\":\"load\""), r.toJson());
    }
  }

  @Test
  void bulkRunDeliversBytes() throws Exception {
    try (PerfServer server = new PerfServer(new InetSocketAddress("127.0.0.1", 0), KcpConfig.fast(), 100)) {
      PerfClient.Settings s = new PerfClient.Settings(server.localAddress(), 1, 1, 1, 0, 1376,
          Duration.ofMillis(800), Duration.ofMillis(200), KcpConfig.fast(), true, 0, "nio");
      PerfResult r = new PerfClient(s).run();
      assertTrue(r.number("delivered_bytes") > 1_000_000, r.toTable());
      assertTrue(r.number("goodput_mbit_s") > 1, r.toTable());
    }
  }

  @Test
  void commandLineParsesDurationsAndAddresses() {
    assertEquals(Duration.ofSeconds(30), PerfCommand.duration("30s"));
    assertEquals(Duration.ofMillis(250), PerfCommand.duration("250ms"));
    assertEquals(new InetSocketAddress("127.0.0.1", 4000), PerfCommand.address("127.0.0.1:4000"));
  }
}
