package io.kcpj.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.Kcpj;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.core.secure.SecureWire;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kcpj perf client|server --psk}: echoes come back through the secure layers over real UDP
 * on loopback, and a relay between the two sees only secure datagrams (no KCP header, no perf
 * message in clear); a wrong key fails the client with one line; bad keys are one-line usage
 * errors.
 */
class PerfSecureTest {
  static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

  @Test
  void secureEchoesArriveAndTheWireCarriesNoPlaintext() throws Exception {
    try (PerfServer server = server(KEY);
        Relay relay = new Relay(server.localAddress())) {
      int[] exit = {-1};
      String[] outErr = run(clientArgs(relay.address(), "--psk", KEY), exit);
      assertEquals(0, exit[0], outErr[1]);
      String json = outErr[0].trim();
      assertTrue(number(json, "received") >= 40, json);
      assertEquals(number(json, "sent"), number(json, "received"), json);
      assertTrue(server.echoed() >= 40, "server echoed " + server.echoed());
      assertFalse(relay.seen.isEmpty());
      for (byte[] d : relay.seen) {
        int type = d[0] & 0xff;
        assertTrue(
            type >= SecureWire.TYPE_INITIATION && type <= SecureWire.TYPE_TRANSPORT,
            "a datagram that is not secure: first byte " + type);
        assertFalse(looksLikePlainKcp(d), "a plain KCP datagram on the wire");
        assertFalse(hasZeroRun(d), "a perf message's zero padding in clear on the wire");
      }
      // The control session and the measured one: two handshakes, records, no drops.
      String counters = server.secureCounters().get(0);
      assertTrue(counters.matches("sessions 2 handshakes 2 records [1-9][0-9]* drops 0"), counters);
    }
  }

  /** The wire checks above can fail: without --psk the relay sees KCP and the padding in clear. */
  @Test
  void theSameRelaySeesPlaintextWithoutPsk() throws Exception {
    try (PerfServer server = server(null);
        Relay relay = new Relay(server.localAddress())) {
      int[] exit = {-1};
      String[] outErr = run(clientArgs(relay.address()), exit);
      assertEquals(0, exit[0], outErr[1]);
      assertTrue(relay.seen.stream().anyMatch(PerfSecureTest::looksLikePlainKcp));
      assertTrue(relay.seen.stream().anyMatch(PerfSecureTest::hasZeroRun));
    }
  }

  @Test
  void aWrongKeyFailsTheClientWithOneLine() throws Exception {
    try (PerfServer server = server(KEY)) {
      int[] exit = {-1};
      String wrong = KEY.substring(0, 62) + "00";
      String[] outErr =
          run(clientArgs(server.localAddress(), "--psk", wrong, "--connect-timeout", "2s"), exit);
      assertEquals(1, exit[0], outErr[0] + outErr[1]);
      String err = outErr[1].trim();
      assertEquals(1, err.lines().count(), err);
      assertTrue(err.contains("no answer from"), err);
      assertEquals(0, server.echoed());
      String counters = server.secureCounters().get(0);
      assertTrue(counters.startsWith("sessions 0 handshakes 0 records 0 drops "), counters);
      assertFalse(counters.endsWith(" drops 0"), counters); // the INITIATIONs were refused
    }
  }

  @Test
  void badKeysAreOneLineUsageErrors(@TempDir Path dir) throws Exception {
    Path good = Files.writeString(dir.resolve("good.key"), KEY + "\n");
    assertEquals(32, io.kcpj.bench.cli.KeyOption.psk("@" + good).length);
    Path shortKey = Files.writeString(dir.resolve("short.key"), "abcd");
    String[][] cases = {
      {"abc", "64 hex digits"},
      {KEY.substring(0, 63) + "g", "hex digits only"},
      {"@" + dir.resolve("missing.key"), "cannot read the key file"},
      {"@" + shortKey, "64 hex digits"},
    };
    for (String[] c : cases) {
      int[] exit = {-1};
      String[] outErr = run(clientArgs(new InetSocketAddress("127.0.0.1", 9), "--psk", c[0]), exit);
      assertEquals(2, exit[0], outErr[1]);
      String err = outErr[1].trim();
      assertTrue(err.contains(c[1]), err);
      assertTrue(err.lines().count() <= 2, err); // the error, and at most picocli's usage hint
      assertFalse(err.contains("Exception"), err);
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  static PerfServer server(String key) throws Exception {
    return serverWith(
        new PerfLayers(FecSpec.OFF, null)
            .withPsk(key == null ? null : io.kcpj.bench.cli.KeyOption.psk(key)));
  }

  static PerfServer serverWith(PerfLayers layers) throws Exception {
    return new PerfServer(
        new InetSocketAddress("127.0.0.1", 0),
        KcpConfig.parse("fast"),
        16,
        PerfTransport.select("nio"),
        1,
        Duration.ZERO,
        layers);
  }

  static String[] clientArgs(InetSocketAddress server, String... more) {
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "perf",
                "client",
                "--connect",
                server.getHostString() + ":" + server.getPort(),
                "--sessions",
                "1",
                "--rate",
                "50",
                "--size",
                "200",
                "--warmup",
                "300ms",
                "--duration",
                "1s",
                "--transport",
                "nio",
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

  static long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9]+)").matcher(json);
    assertTrue(m.find(), key + " in " + json);
    return Long.parseLong(m.group(1));
  }

  /**
   * Parses as plain KCP: a chain of 24-byte segment headers (little-endian), each with a command
   * 81..84 and a length that, with the others, covers the datagram exactly.
   */
  static boolean looksLikePlainKcp(byte[] d) {
    int at = 0;
    while (at + 24 <= d.length) {
      int cmd = d[at + 4] & 0xff;
      if (cmd < 81 || cmd > 84) {
        return false;
      }
      long len =
          (d[at + 20] & 0xffL)
              | (d[at + 21] & 0xffL) << 8
              | (d[at + 22] & 0xffL) << 16
              | (d[at + 23] & 0xffL) << 24;
      at += 24;
      if (len > d.length - at) {
        return false;
      }
      at += (int) len;
    }
    return at == d.length && at > 0;
  }

  /** 48 zero bytes in a row: a perf message's padding (random ciphertext has none). */
  static boolean hasZeroRun(byte[] d) {
    int run = 0;
    for (byte b : d) {
      run = b == 0 ? run + 1 : 0;
      if (run >= 48) {
        return true;
      }
    }
    return false;
  }

  /**
   * A UDP relay on loopback between a client and the server, keeping a copy of each datagram. Each
   * client socket (the perf client has a control socket and session sockets) gets its own socket
   * towards the server, as a NAT gives it its own port, so that answers go back to the socket that
   * asked.
   */
  static final class Relay implements AutoCloseable {
    final ConcurrentLinkedQueue<byte[]> seen = new ConcurrentLinkedQueue<>();
    final DatagramSocket front;
    final InetSocketAddress server;
    final java.util.Map<SocketAddress, DatagramSocket> backs =
        new java.util.concurrent.ConcurrentHashMap<>();

    Relay(InetSocketAddress server) throws SocketException {
      this.server = server;
      front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      daemon(
          () -> {
            byte[] buf = new byte[65_536];
            while (true) {
              DatagramPacket p = new DatagramPacket(buf, buf.length);
              front.receive(p);
              byte[] d = Arrays.copyOfRange(buf, 0, p.getLength());
              seen.add(d);
              back(p.getSocketAddress()).send(new DatagramPacket(d, d.length, server));
            }
          },
          "relay-up");
    }

    /** The socket towards the server for {@code client}, with its pump back to the client. */
    private DatagramSocket back(SocketAddress client) throws SocketException {
      DatagramSocket b = backs.get(client);
      if (b == null) {
        DatagramSocket fresh =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        backs.put(client, fresh);
        daemon(
            () -> {
              byte[] buf = new byte[65_536];
              while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                fresh.receive(p);
                byte[] d = Arrays.copyOfRange(buf, 0, p.getLength());
                seen.add(d);
                front.send(new DatagramPacket(d, d.length, client));
              }
            },
            "relay-down");
        b = fresh;
      }
      return b;
    }

    InetSocketAddress address() {
      return (InetSocketAddress) front.getLocalSocketAddress();
    }

    /** A pump that runs until its socket closes. */
    interface Pump {
      void run() throws java.io.IOException;
    }

    private static void daemon(Pump pump, String name) {
      Thread t =
          new Thread(
              () -> {
                try {
                  pump.run();
                } catch (java.io.IOException closed) {
                  // the relay is closing
                }
              },
              name);
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() {
      front.close(); // the pumps end on the closed sockets' exceptions (daemon threads)
      backs.values().forEach(DatagramSocket::close);
    }
  }
}
