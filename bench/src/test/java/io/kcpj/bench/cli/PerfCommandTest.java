package io.kcpj.bench.cli;

import static io.kcpj.bench.cli.KcpjCommandTest.oneErrorLine;
import static io.kcpj.bench.cli.KcpjCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.cli.KcpjCommandTest.Run;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kcpj perf client}'s connection errors through the real command line and real sockets: an
 * unknown host, a refused port and a server that never answers each end in one clear line and a
 * non-zero exit, never a stack trace.
 */
class PerfCommandTest {

  @Test
  void anUnknownHostIsOneLine() {
    Run r = run("perf", "client", "--connect", "nohost.invalid:5000", "--duration", "1s");
    String line = oneErrorLine(r, 2, "kcpj perf client: Invalid value for option '--connect': ");
    assertTrue(line.contains("unknown host 'nohost.invalid' in 'nohost.invalid:5000'"), line);
  }

  @Test
  void aPortWithoutAServerIsRefusedInOneLine() throws Exception {
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // free now: nothing listens on it once closed
    }
    for (String transport : new String[] {"nio", "auto"}) {
      long t0 = System.nanoTime();
      Run r =
          run(
              "perf",
              "client",
              "--connect",
              "127.0.0.1:" + port,
              "--transport",
              transport,
              "--connect-timeout",
              "20s",
              "--duration",
              "1s");
      String line = oneErrorLine(r, 1, "kcpj perf client: connection refused");
      assertEquals(
          "kcpj perf client: connection refused: nothing listens on UDP 127.0.0.1:" + port, line);
      // Refused by the kernel's ICMP answer, not by running out the 20 s timeout.
      assertTrue(System.nanoTime() - t0 < 15_000_000_000L, transport);
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOutInOneLine() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Run r =
          run(
              "perf",
              "client",
              "--connect",
              "127.0.0.1:" + silent.getLocalPort(),
              "--connect-timeout",
              "300ms",
              "--duration",
              "1s");
      String line = oneErrorLine(r, 1, "kcpj perf client: no answer from ");
      assertEquals(
          "kcpj perf client: no answer from 127.0.0.1:"
              + silent.getLocalPort()
              + " within 300ms (is a kcpj perf server or a KCP echo server running there, and is UDP let"
              + " through?)",
          line);
    }
  }

  @Test
  void aPortInUseIsOneLine() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Run r = run("perf", "server", "--listen", "127.0.0.1:" + taken.getLocalPort());
      String line = oneErrorLine(r, 1, "kcpj perf server: cannot bind the socket: ");
      assertTrue(line.toLowerCase(java.util.Locale.ROOT).contains("address already in use"), line);
    }
  }

  @Test
  void badLayerOptionsAreOneLineEach() {
    Run fec = run("perf", "client", "--connect", "127.0.0.1:5000", "--fec", "10");
    String line = oneErrorLine(fec, 2, "kcpj perf client: --fec: bad FEC '10': expected off,");
    assertTrue(line.contains("DATA/PARITY"), line);
    Run cipher = run("perf", "server", "--listen", "127.0.0.1:0", "--crypt", "sm4", "--key", "k");
    line = oneErrorLine(cipher, 2, "kcpj perf server: --crypt: unknown or unsupported packet");
    assertTrue(
        line.contains("(supported: none, xor, aes-128, aes-192, aes, 3des, blowfish)"), line);
    Run noKey = run("perf", "client", "--connect", "127.0.0.1:5000", "--crypt", "aes");
    assertEquals(
        "kcpj perf client: --crypt aes needs --key PASSPHRASE (kcptun's default is \"it's a"
            + " secrect\")",
        oneErrorLine(noKey, 2, "kcpj perf client: --crypt aes needs --key"));
    Run keyAlone = run("perf", "client", "--connect", "127.0.0.1:5000", "--key", "k");
    oneErrorLine(keyAlone, 2, "kcpj perf client: --key needs --crypt METHOD");
  }

  /**
   * Refused before anything binds or connects (a server that ignored the option would run until
   * stopped: the timeout bounds that regression).
   */
  @Test
  @Timeout(30)
  void busyPollingOnIoUringIsOneLine() {
    for (String side : new String[] {"server", "client"}) {
      String[] args =
          side.equals("server")
              ? new String[] {"perf", side, "--listen", "127.0.0.1:0"}
              : new String[] {"perf", side, "--connect", "127.0.0.1:5000"};
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--transport", "io_uring", "--busy-poll"));
      Run r = run(all.toArray(String[]::new));
      // Where the kernel refuses io_uring, that is said first (NativeTransportJarIT's case).
      Assumptions.assumeFalse(r.err().contains("io_uring is not available"), r.err());
      oneErrorLine(
          r,
          2,
          "kcpj perf "
              + side
              + ": busy polling needs --transport nio or epoll: Netty's io_uring event loop takes"
              + " no select strategy");
    }
  }

  static final String KEY = "0123456789abcdef".repeat(4);

  /**
   * Secure sessions take the place of kcp-go's packet encryption and cannot carry its FEC yet: each
   * combination is one usage line and exit 2 before anything binds or connects (the server would
   * otherwise run until stopped: the timeout bounds a regression).
   */
  @Test
  @Timeout(60)
  void secureSessionsWithFecOrCryptAreOneUsageLine() {
    String[][] runs = {
      {"perf", "server", "--listen", "127.0.0.1:0", "--psk", KEY, "--fec", "10/3"},
      {
        "perf",
        "server",
        "--listen",
        "127.0.0.1:0",
        "--server-key",
        KEY,
        "--crypt",
        "aes",
        "--key",
        "k"
      },
      {"perf", "client", "--connect", "127.0.0.1:9", "--psk", KEY, "--fec", "10/3"},
      {"perf", "client", "--connect", "127.0.0.1:9", "--psk", KEY, "--crypt", "aes", "--key", "k"},
    };
    for (String[] args : runs) {
      Run r = run(args);
      String line = oneErrorLine(r, 2, "kcpj perf " + args[1] + ": ");
      assertTrue(line.contains("cannot be combined with --fec or --crypt"), line);
    }
  }
}
