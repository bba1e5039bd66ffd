package io.kcpj.bench.perf;

import static io.kcpj.bench.perf.PerfSecureTest.KEY;
import static io.kcpj.bench.perf.PerfSecureTest.clientArgs;
import static io.kcpj.bench.perf.PerfSecureTest.number;
import static io.kcpj.bench.perf.PerfSecureTest.run;
import static io.kcpj.bench.perf.PerfSecureTest.serverWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.cli.KeyOption;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.core.secure.SecureWire;
import io.kcpj.core.secure.noise.X25519KeyPair;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kcpj keygen}, {@code kcpj perf server --server-key} and {@code kcpj perf client --pin}
 * over real UDP on loopback: Noise {@code NK} (pin alone) and {@code NKpsk0} (pin and PSK) carry
 * the echoes through the secure layers; a client pinning another key, or skipping the PSK a server
 * demands, fails with one line and the server counts the refused handshakes; bad keys are one-line
 * usage errors.
 */
class PerfStaticKeyTest {
  /** A fixed server key (tests only) and its public key. */
  static final String SERVER_PRIVATE =
      "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";

  static final String SERVER_PUBLIC =
      HexFormat.of()
          .formatHex(
              X25519KeyPair.fromPrivateKey(HexFormat.of().parseHex(SERVER_PRIVATE)).publicKey());

  /** Another key pair's public key: what a client pinning the wrong server holds. */
  static final String OTHER_PUBLIC =
      HexFormat.of()
          .formatHex(X25519KeyPair.fromPrivateKey(new byte[32]).publicKey()); // not the server's

  static PerfLayers layers(String psk, String serverKey) {
    return new PerfLayers(FecSpec.OFF, null)
        .withPsk(KeyOption.psk(psk))
        .withServerKey(KeyOption.serverKey(serverKey));
  }

  @Test
  void pinnedServerKeyAloneCarriesTheEchoes() throws Exception {
    try (PerfServer server = serverWith(layers(null, SERVER_PRIVATE));
        PerfSecureTest.Relay relay = new PerfSecureTest.Relay(server.localAddress())) {
      int[] exit = {-1};
      String[] outErr = run(clientArgs(relay.address(), "--pin", SERVER_PUBLIC), exit);
      assertEquals(0, exit[0], outErr[1]);
      String json = outErr[0].trim();
      assertTrue(number(json, "received") >= 40, json);
      assertEquals(number(json, "sent"), number(json, "received"), json);
      // The INITIATIONs name suite NK (0x22: NK, AES-GCM), and nothing travels in clear.
      assertTrue(
          relay.seen.stream()
              .anyMatch(d -> d[0] == SecureWire.TYPE_INITIATION && (d[2] & 0xff) == 0x22),
          "no NK INITIATION seen");
      for (byte[] d : relay.seen) {
        assertFalse(PerfSecureTest.looksLikePlainKcp(d), "a plain KCP datagram on the wire");
        assertFalse(PerfSecureTest.hasZeroRun(d), "perf padding in clear on the wire");
      }
      String counters = server.secureCounters().get(0);
      assertTrue(counters.matches("sessions 2 handshakes 2 records [1-9][0-9]* drops 0"), counters);
    }
  }

  @Test
  void pinAndPskTogetherRunNkPsk0() throws Exception {
    try (PerfServer server = serverWith(layers(KEY, SERVER_PRIVATE));
        PerfSecureTest.Relay relay = new PerfSecureTest.Relay(server.localAddress())) {
      int[] exit = {-1};
      String[] outErr =
          run(clientArgs(relay.address(), "--psk", KEY, "--pin", SERVER_PUBLIC), exit);
      assertEquals(0, exit[0], outErr[1]);
      String json = outErr[0].trim();
      assertEquals(number(json, "sent"), number(json, "received"), json);
      assertTrue(
          relay.seen.stream()
              .anyMatch(d -> d[0] == SecureWire.TYPE_INITIATION && (d[2] & 0xff) == 0x32),
          "no NKpsk0 INITIATION seen");
    }
  }

  @Test
  void aWrongPinFailsTheClientWithOneLine() throws Exception {
    try (PerfServer server = serverWith(layers(null, SERVER_PRIVATE))) {
      int[] exit = {-1};
      String[] outErr =
          run(
              clientArgs(server.localAddress(), "--pin", OTHER_PUBLIC, "--connect-timeout", "2s"),
              exit);
      assertEquals(1, exit[0], outErr[0] + outErr[1]);
      String err = outErr[1].trim();
      assertEquals(1, err.lines().count(), err);
      assertTrue(err.contains("no answer from"), err);
      assertTrue(err.contains("--pin"), err);
      assertEquals(0, server.echoed());
      String counters = server.secureCounters().get(0);
      assertTrue(counters.startsWith("sessions 0 handshakes 0 records 0 drops "), counters);
      assertFalse(counters.endsWith(" drops 0"), counters); // the INITIATIONs were refused
    }
  }

  /** A server holding a PSK and a key refuses NK: the pin cannot stand in for the PSK. */
  @Test
  void aPinWithoutThePskTheServerDemandsIsRefused() throws Exception {
    try (PerfServer server = serverWith(layers(KEY, SERVER_PRIVATE))) {
      int[] exit = {-1};
      String[] outErr =
          run(
              clientArgs(server.localAddress(), "--pin", SERVER_PUBLIC, "--connect-timeout", "2s"),
              exit);
      assertEquals(1, exit[0], outErr[0] + outErr[1]);
      assertEquals(1, outErr[1].trim().lines().count(), outErr[1]);
      assertEquals(0, server.echoed());
      assertFalse(server.secureCounters().get(0).endsWith(" drops 0"));
    }
  }

  @Test
  void keygenWritesAnOwnerOnlyKeyFileWhosePublicKeyTheServerPrints(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("server.key");
    int[] exit = {-1};
    String[] outErr = run(new String[] {"keygen", "--out", file.toString()}, exit);
    assertEquals(0, exit[0], outErr[1]);
    String out = outErr[0].trim();
    assertTrue(out.matches("public-key [0-9a-f]{64}"), out);
    String pub = out.substring("public-key ".length());
    byte[] priv = KeyOption.serverKey("@" + file);
    assertArrayEquals(HexFormat.of().parseHex(pub), X25519KeyPair.fromPrivateKey(priv).publicKey());
    if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class)
        != null) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
    // --public derives the same public key; the existing file is never overwritten.
    outErr = run(new String[] {"keygen", "--public", "@" + file}, exit);
    assertEquals(0, exit[0], outErr[1]);
    assertEquals("public-key " + pub, outErr[0].trim());
    String before = Files.readString(file);
    outErr = run(new String[] {"keygen", "--out", file.toString()}, exit);
    assertEquals(2, exit[0], outErr[0]);
    assertTrue(outErr[1].contains("exists"), outErr[1]);
    assertEquals(before, Files.readString(file));
    // Without --out both keys are printed, and they match.
    outErr = run(new String[] {"keygen"}, exit);
    assertEquals(0, exit[0], outErr[1]);
    String[] lines = outErr[0].trim().split("\\R");
    assertEquals(2, lines.length, outErr[0]);
    assertTrue(lines[0].matches("private-key [0-9a-f]{64}"), lines[0]);
    assertEquals(
        lines[1],
        "public-key "
            + HexFormat.of()
                .formatHex(
                    X25519KeyPair.fromPrivateKey(
                            HexFormat.of().parseHex(lines[0].substring("private-key ".length())))
                        .publicKey()));
    assertEquals(pub, HexFormat.of().formatHex(layers(null, "@" + file).serverPublicKey()));
  }

  @Test
  void badKeysAreOneLineUsageErrors(@TempDir Path dir) throws Exception {
    Path shortKey = Files.writeString(dir.resolve("short.key"), "abcd");
    String zeroPoint = "00".repeat(32); // a low-order point: no handshake could ever complete
    String[][] cases = {
      {"--pin", "abc", "--pin: the key must be 64 hex digits"},
      {"--pin", SERVER_PUBLIC.substring(0, 63) + "x", "hex digits only"},
      {"--pin", "@" + dir.resolve("missing.key"), "cannot read the key file"},
      {"--pin", "@" + shortKey, "64 hex digits"},
      {"--pin", zeroPoint, "--pin: the server public key is not a usable X25519 public key"},
    };
    for (String[] c : cases) {
      int[] exit = {-1};
      String[] outErr = run(clientArgs(new InetSocketAddress("127.0.0.1", 9), c[0], c[1]), exit);
      assertEquals(2, exit[0], outErr[1]);
      String err = outErr[1].trim();
      assertTrue(err.contains(c[2]), err);
      assertTrue(err.lines().count() <= 2, err); // the error, and at most picocli's usage hint
      assertFalse(err.contains("Exception"), err);
    }
    String[][] serverCases = {
      {"abc", "--server-key: the key must be 64 hex digits"},
      {"@" + dir.resolve("missing.key"), "--server-key @"},
    };
    for (String[] c : serverCases) {
      int[] exit = {-1};
      String[] outErr =
          run(
              new String[] {"perf", "server", "--listen", "127.0.0.1:0", "--server-key", c[0]},
              exit);
      assertEquals(2, exit[0], outErr[1]);
      String err = outErr[1].trim();
      assertTrue(err.contains(c[1]), err);
      assertTrue(err.lines().count() <= 2, err);
      assertFalse(err.contains("Exception"), err);
    }
  }
}
