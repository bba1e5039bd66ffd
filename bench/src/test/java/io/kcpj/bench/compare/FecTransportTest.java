package io.kcpj.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.report.RunResult;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.netem.profile.Profile;
import org.junit.jupiter.api.Test;

/**
 * Compare's {@code fec=} specs: parsed, shown, and applied in virtual runs (deterministic: the
 * figures below are what these seeds give, every time).
 */
class FecTransportTest {
  static final Workload GAME = Workload.game(20, 100, 30_000);

  @Test
  void specsTakeFecAnywhere() {
    KcpTransport t = KcpTransport.parse("fast,fec=10/3,wnd=256");
    assertEquals(FecSpec.parse("10/3"), t.fec());
    assertEquals(256, t.config().sendWindow());
    assertEquals("kcp-fast-fec10/3-wnd256", t.name());
    assertTrue(t.compactSettings().endsWith(",fec=10/3"), t.compactSettings());
    assertEquals(t.config(), KcpTransport.parse("x:" + t.spec()).config(), "spec() reads back");
    assertEquals(t.fec(), KcpTransport.parse("x:" + t.spec()).fec());
    KcpTransport adaptive = KcpTransport.parse("thin:fast,fec=10/0-2@10ms");
    assertEquals("thin", adaptive.name());
    assertTrue(adaptive.fec().adaptive() && adaptive.fec().kcpjOnly());
    assertEquals(FecSpec.OFF, KcpTransport.parse("fast").fec());
    assertThrows(IllegalArgumentException.class, () -> KcpTransport.parse("fast,fec=10"));
  }

  @Test
  void fecRecoversInVirtualTimeAndItsBytesAreCounted() {
    Profile lossy = Profile.parse("delay=40ms,jitter=5ms,loss=5%");
    RunResult plain = new VirtualKcpRun(lossy, KcpTransport.parse("fast"), GAME, 7).run();
    RunResult fec = new VirtualKcpRun(lossy, KcpTransport.parse("fast,fec=3/1"), GAME, 7).run();
    assertEquals(plain.messagesSent(), plain.messagesEchoed());
    assertEquals(fec.messagesSent(), fec.messagesEchoed());
    assertTrue(fec.note().startsWith("FEC 3/1: "), fec.note());
    assertTrue(fec.wireBytes() > plain.wireBytes() * 1.3, "parity costs bytes");
    assertTrue(fec.retransmits() < plain.retransmits() * 0.7, "and saves retransmissions");
  }

  /**
   * What loss-adaptive FEC buys a thin stream (20 messages/s each way, 100 bytes): groups closed 10
   * ms after their first datagram give parity in time to beat KCP's retransmission (p99 near the
   * RTT), and the adaptive parity count keeps the bytes near plain KCP's when nothing is lost.
   */
  @Test
  void adaptiveFecCutsAThinStreamsTailAndAdaptsItsCost() {
    Profile clean = Profile.parse("delay=40ms,jitter=5ms");
    Profile lossy = Profile.parse("delay=40ms,jitter=5ms,loss=1%");
    KcpTransport fast = KcpTransport.parse("fast");
    KcpTransport fixed = KcpTransport.parse("fast,fec=10/2@10ms");
    KcpTransport adaptive = KcpTransport.parse("fast,fec=10/0-2@10ms");
    RunResult plainLossy = new VirtualKcpRun(lossy, fast, GAME, 11).run();
    RunResult adaptiveLossy = new VirtualKcpRun(lossy, adaptive, GAME, 11).run();
    RunResult fixedLossy = new VirtualKcpRun(lossy, fixed, GAME, 11).run();
    assertTrue(
        adaptiveLossy.rttMillisAt(99) < plainLossy.rttMillisAt(99) * 0.7,
        "p99 " + adaptiveLossy.rttMillisAt(99) + " vs " + plainLossy.rttMillisAt(99));
    assertTrue(
        adaptiveLossy.wireBytes() < fixedLossy.wireBytes() * 0.8,
        "1 % loss: one parity shard per group, not two");
    RunResult plainClean = new VirtualKcpRun(clean, fast, GAME, 11).run();
    RunResult adaptiveClean = new VirtualKcpRun(clean, adaptive, GAME, 11).run();
    assertTrue(
        adaptiveClean.wireBytes() < plainClean.wireBytes() * 1.25,
        "no loss: (almost) no parity: " + adaptiveClean.note());
  }
}
