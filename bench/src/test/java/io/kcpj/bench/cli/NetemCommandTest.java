package io.kcpj.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.Kcpj;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kcpj netem ...} through the real command line, with captured output. */
class NetemCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Kcpj.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void netemIsRegisteredAndListsItsTools() {
    Run r = run("netem", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("proxy") && r.out().contains("profiles"), r.out());
    assertTrue(run("--help").out().contains("netem"));
  }

  @Test
  void profilesListsEveryPreset() {
    Run r = run("netem", "profiles");
    assertEquals(0, r.exit());
    for (String name :
        List.of("kcp-test", "3g-lossy", "fast-4g", "very-poor", "congested", "handover")) {
      assertTrue(r.out().contains(name + " "), name);
    }
    assertTrue(r.out().contains("loss=bag:5"), r.out());
  }

  @Test
  void aBadProfileIsReportedWithTheBadToken() {
    Run r =
        run(
            "netem",
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--target",
            "127.0.0.1:9",
            "--profile",
            "delay=10ms,jiter=5ms",
            "--duration",
            "1s");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("unknown key 'jiter' in 'jiter=5ms'"), r.err());
  }

  @Test
  void aBadAddressIsAUsageError() {
    Run r =
        run("netem", "proxy", "--listen", "nowhere", "--target", "127.0.0.1:9", "--profile", "3g");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("HOST:PORT"), r.err());
  }

  @Test
  void theProxyForwardsPrintsCountersAndWritesTheFateLog(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("fates.csv");
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // a free port for the proxy (released just before use)
    }
    InetSocketAddress proxy = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (DatagramSocket echo = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread echoThread = new Thread(() -> echoLoop(echo), "echo");
      echoThread.setDaemon(true);
      echoThread.start();
      Future<Run> command =
          pool.submit(
              () ->
                  run(
                      "netem",
                      "proxy",
                      "--listen",
                      "127.0.0.1:" + port,
                      "--target",
                      "127.0.0.1:" + echo.getLocalPort(),
                      "--profile",
                      "delay=5ms",
                      "--seed",
                      "3",
                      "--log",
                      log.toString(),
                      "--duration",
                      "3s",
                      "--interval",
                      "500ms"));
      client.setSoTimeout(100);
      int echoed = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      byte[] in = new byte[100];
      // The proxy may not be bound yet: resend until five echoes came back.
      while (echoed < 5 && System.nanoTime() < deadline) {
        client.send(new DatagramPacket(new byte[] {(byte) echoed}, 1, proxy));
        try {
          client.receive(new DatagramPacket(in, in.length));
          echoed++;
        } catch (java.net.SocketTimeoutException e) {
          // not bound yet, or not back yet
        }
      }
      assertEquals(5, echoed);
      Run r = command.get(10, TimeUnit.SECONDS);
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.out().startsWith("netem proxy: /127.0.0.1:" + port), r.out());
      assertTrue(r.out().contains("clients=1"), r.out());
      assertTrue(r.out().contains("final: "), r.out());
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      assertTrue(lines.get(0).startsWith("time_ns,link,dir,"));
      assertTrue(lines.size() >= 11, "5 echoes are 10 fates at least: " + lines.size());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void echoLoop(DatagramSocket s) {
    byte[] b = new byte[2048];
    try {
      while (true) {
        DatagramPacket p = new DatagramPacket(b, b.length);
        s.receive(p);
        s.send(new DatagramPacket(b, p.getLength(), p.getSocketAddress()));
      }
    } catch (SocketException closed) {
      // done
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
