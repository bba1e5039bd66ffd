package io.kcpj.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.report.RunResult;
import io.kcpj.core.secure.Suite;
import io.kcpj.netem.profile.Profile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Compare's {@code secure=} specs: parsed, named, read back, and applied in virtual runs, where the
 * secure row pays the handshake's round trip and 26 bytes per record (deterministic: the same seed
 * gives the same figures).
 */
class SecureTransportTest {
  static final Workload GAME = Workload.game(20, 100, 20_000);
  static final Profile PATH = Profile.parse("delay=40ms,jitter=5ms,loss=1%");

  @Test
  void specsTakeSecureAnywhereAndNameTheRow() {
    KcpTransport t = KcpTransport.parse("game,secure=psk");
    assertEquals("kcp-game+secure", t.name());
    assertEquals(Suite.NN_PSK0_AES_GCM, t.secure().suite());
    assertEquals(t.config(), KcpTransport.parse("game").config(), "the engine's settings");
    KcpTransport back = KcpTransport.parse("x:" + t.spec());
    assertEquals(t.secure(), back.secure(), "spec() reads back: " + t.spec());
    assertEquals(t.config(), back.config());
    assertTrue(t.compactSettings().endsWith(",secure=psk"), t.compactSettings());

    KcpTransport both = KcpTransport.parse("fast,secure=nkpsk0-chacha,fec=10/3");
    assertEquals("kcp-fast-fec10/3+secure-nkpsk0-chacha", both.name());
    assertEquals(Suite.NK_PSK0_CHACHA_POLY, both.secure().suite());
    assertTrue(both.fec().enabled());
    assertEquals(Suite.NK_AES_GCM, KcpTransport.parse("mine:fast,secure=nk").secure().suite());
    assertEquals("mine", KcpTransport.parse("mine:fast,secure=nk").name());
    assertNull(KcpTransport.parse("game").secure());
    assertThrows(IllegalArgumentException.class, () -> KcpTransport.parse("game,secure=tls"));
    assertThrows(IllegalArgumentException.class, () -> KcpTransport.parse("game,secure=psk-des"));
  }

  @Test
  void theSecureRowCostsBytesPerRecordAndAHandshakeRoundTrip() {
    RunResult plain = new VirtualKcpRun(PATH, KcpTransport.parse("game"), GAME, 3).run();
    RunResult secure =
        new VirtualKcpRun(PATH, KcpTransport.parse("game,secure=psk"), GAME, 3).run();
    assertEquals(plain.messagesSent(), plain.messagesEchoed());
    assertEquals(secure.messagesSent(), secure.messagesEchoed(), secure.note());
    assertEquals("kcp-game+secure", secure.transport());
    // Every datagram carries a 26-byte record overhead; game's datagrams are small (a 100-byte
    // message, or an ACK), so that is well over 10 % more bytes.
    assertTrue(
        secure.wireBytes() > plain.wireBytes() * 1.10,
        "secure " + secure.wireBytes() + " vs plain " + plain.wireBytes());
    // The handshake took one round trip of the path (80 ms +- jitter) before the first datagram.
    Matcher m = Pattern.compile("handshake ([0-9]+) ms").matcher(secure.note());
    assertTrue(m.find(), secure.note());
    long handshake = Long.parseLong(m.group(1));
    assertTrue(handshake >= 70 && handshake <= 100, secure.note());
    assertTrue(secure.note().contains("Noise_NNpsk0_25519_AESGCM_SHA256"), secure.note());
    assertTrue(secure.note().contains(" 0 dropped"), secure.note());
    // ... which the first message's RTT includes: the worst RTT is at least plain's worst-case
    // floor plus the handshake.
    assertTrue(
        secure.rttMillisAt(100) >= 80 + handshake - 10,
        "max RTT " + secure.rttMillisAt(100) + " with a " + handshake + " ms handshake");
    RunResult again = new VirtualKcpRun(PATH, KcpTransport.parse("game,secure=psk"), GAME, 3).run();
    assertEquals(secure.wireBytes(), again.wireBytes(), "deterministic");
    assertEquals(secure.rttMillisAt(99), again.rttMillisAt(99));
  }

  @Test
  void everyPatternAndFecUnderneathDeliverEverything() {
    for (String spec :
        new String[] {"game,secure=nk", "game,secure=nkpsk0-chacha", "fast,fec=10/3,secure=psk"}) {
      RunResult r = new VirtualKcpRun(PATH, KcpTransport.parse(spec), GAME, 5).run();
      assertEquals(r.messagesSent(), r.messagesEchoed(), spec + ": " + r.note());
      assertTrue(r.note().contains(" 0 dropped"), spec + ": " + r.note());
    }
  }
}
