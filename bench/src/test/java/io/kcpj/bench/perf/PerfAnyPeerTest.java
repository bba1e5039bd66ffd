package io.kcpj.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.Kcpj;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.crypt.CryptConfig;
import io.kcpj.core.crypt.CryptMethod;
import io.kcpj.core.fec.FecSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code kcpj perf} with peers that are not kcpj: the client against kcp-go's plain echo server
 * (client-side figures only, said in the JSON), with and without FEC and encryption; kcp-go's
 * client against {@code kcpj perf server}, which echoes what is not its own protocol.
 */
@Tag("interop")
class PerfAnyPeerTest {

  static String[] clientArgs(InetSocketAddress server, String... more) {
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "perf",
                "client",
                "--connect",
                server.getHostString() + ":" + server.getPort(),
                "--sessions",
                "2",
                "--rate",
                "50",
                "--size",
                "200",
                "--warmup",
                "300ms",
                "--duration",
                "1s",
                "--json"));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  static String[] run(String[] args, int[] exit) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Kcpj.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    exit[0] = cl.execute(args);
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void perfClientAgainstKcpGosPlainEchoServer() throws Exception {
    try (KcpGoPeers.Server go =
        KcpGoPeers.echoServer(List.of("-mode", "fast", "-check-length=false"))) {
      int[] exit = {-1};
      long t0 = System.nanoTime();
      String[] outErr = run(clientArgs(go.address()), exit);
      assertEquals(0, exit[0], outErr[1]);
      String json = outErr[0].trim();
      assertTrue(json.startsWith("{\"mode\":\"load\",\"protocol\":\"kcp\","), json);
      assertTrue(json.contains(",\"server_stats\":false,\"note\":"), json);
      assertTrue(json.contains("client-side figures only"), json);
      assertTrue(!json.contains("server_cpu"), json);
      assertTrue(number(json, "received") >= 90, json);
      assertEquals(number(json, "sent"), number(json, "received"), json);
      assertTrue(number(json, "rtt_p50_ms") > 0, json);
      assertTrue(outErr[1].isEmpty(), outErr[1]);
      // The STATS probe costs about 2 s, not the 15 s a STATS request used to wait.
      assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }
  }

  @Test
  void perfClientWithFecAndAesAgainstKcpGoWithTheSame() throws Exception {
    try (KcpGoPeers.Server go =
        KcpGoPeers.echoServer(
            List.of(
                "-mode",
                "fast",
                "-check-length=false",
                "-fec",
                "10/3",
                "-crypt",
                "aes",
                "-key",
                "perf key"))) {
      int[] exit = {-1};
      String[] outErr =
          run(
              clientArgs(go.address(), "--fec", "10/3", "--crypt", "aes", "--key", "perf key"),
              exit);
      assertEquals(0, exit[0], outErr[1]);
      String json = outErr[0].trim();
      assertTrue(json.contains("\"server_stats\":false"), json);
      assertEquals(number(json, "sent"), number(json, "received"), json);
    }
  }

  @Test
  void kcpGosClientAgainstKcpjPerfServerWithFecAndAes() throws Exception {
    PerfLayers layers =
        new PerfLayers(
            FecSpec.parse("10/3"), CryptConfig.fromPassphrase(CryptMethod.AES_256, "perf key"));
    try (PerfServer server =
        new PerfServer(
            new InetSocketAddress("127.0.0.1", 0),
            KcpConfig.parse("fast,wnd=128"),
            10,
            PerfTransport.nio(),
            1,
            Duration.ZERO,
            layers)) {
      Process p =
          new ProcessBuilder(
                  KcpGoPeers.bin().resolve("kcpgo-echoclient").toString(),
                  "-connect",
                  "127.0.0.1:" + server.localAddress().getPort(),
                  "-count",
                  "300",
                  "-mode",
                  "fast",
                  "-fec",
                  "10/3",
                  "-crypt",
                  "aes",
                  "-key",
                  "perf key",
                  "-timeout",
                  "60s")
              .redirectErrorStream(true)
              .start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(70, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), text);
      assertTrue(text.startsWith("OK 300 "), text);
      assertTrue(server.echoed() >= 300, "every message echoed: " + server.echoed());
      for (PerfDrops.Cause c : PerfDrops.Cause.values()) {
        assertEquals(0, server.drops().count(c), c.toString());
      }
      var layerCounters = server.codec().metrics().layerCounters();
      assertTrue(
          layerCounters.fecDataShardsSent > 0 && layerCounters.sealed > 0, "" + layerCounters);
    }
  }

  static double number(String json, String key) {
    int at = json.indexOf("\"" + key + "\":");
    assertTrue(at >= 0, key + " in " + json);
    int from = at + key.length() + 3;
    int to = from;
    while (to < json.length() && "0123456789.-".indexOf(json.charAt(to)) >= 0) {
      to++;
    }
    return Double.parseDouble(json.substring(from, to));
  }
}
