package io.kcpj.core;

import static io.kcpj.core.wire.SegmentHeader.CMD_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.cc.ClassicKcp;
import io.kcpj.core.cc.CongestionControl;
import io.kcpj.core.cc.FlowState;
import io.kcpj.core.cc.NoCongestionWindow;
import io.kcpj.core.wire.SegmentHeader;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A user's own {@link CongestionControl} installed through {@link KcpConfig}: it decides the
 * window, sees every hook, and keeps its state across configuration changes that do not concern it.
 */
class CustomCongestionControlTest {
  static final int CONV = 7;

  /** A fixed window that counts what the engine tells it. */
  static final class FixedWindow implements CongestionControl {
    final int segments;
    int rttSamples;
    int ackAdvances;
    int fastRetransmits;
    int timeouts;
    int flushes;

    FixedWindow(int segments) {
      this.segments = segments;
    }

    @Override
    public int window(int flowWindow, FlowState state) {
      return Math.min(segments, flowWindow);
    }

    @Override
    public void onRttSample(int rttMillis, FlowState state) {
      rttSamples++;
    }

    @Override
    public void onAckAdvanced(FlowState state) {
      ackAdvances++;
    }

    @Override
    public void onFastRetransmit(FlowState state) {
      fastRetransmits++;
    }

    @Override
    public void onTimeout(int window, FlowState state) {
      timeouts++;
    }

    @Override
    public void afterFlush(FlowState state) {
      flushes++;
    }

    @Override
    public int congestionWindow() {
      return segments;
    }

    @Override
    public int slowStartThreshold() {
      return 0;
    }
  }

  static int pushSegments(Captured out) {
    int n = 0;
    for (Captured.Datagram d : out.pushes()) {
      n += d.segments();
    }
    return n;
  }

  @Test
  void aCustomControllerDecidesTheWindowAndSeesEveryHook() {
    Supplier<FixedWindow> three = () -> new FixedWindow(3);
    // fast has nc on: without the custom controller all 10 segments would leave at once.
    KcpConfig cfg = KcpConfig.fast().toBuilder().congestionControl(three).build();
    Captured out = new Captured();
    Kcp k = new Kcp(CONV, cfg, out);
    FixedWindow cc = assertInstanceOf(FixedWindow.class, k.congestionControl());
    assertEquals(3, k.cwnd());
    for (int i = 0; i < 10; i++) {
      k.send(new byte[] {(byte) i}, 0, 1);
    }
    k.update(0);
    assertEquals(3, pushSegments(out), "the controller's window of 3, not nc's 32");
    assertEquals(1, cc.flushes);

    // ACK all three at 50 ms: three RTT samples, one cumulative advance, three more segments.
    out.clear();
    k.update(50);
    for (int sn = 0; sn < 3; sn++) {
      byte[] ack = Captured.segment(CONV, CMD_ACK, 0, 128, 0, sn, sn + 1, new byte[0]);
      k.input(ack, 0, ack.length);
    }
    assertEquals(3, cc.rttSamples);
    assertEquals(3, cc.ackAdvances);
    k.flush();
    assertEquals(3, pushSegments(out));
    assertEquals(3, SegmentHeader.sn(out.pushes().get(0).bytes(), 0));

    // Nothing acknowledged any more: the three time out, once.
    for (int t = 60; t <= 400 && cc.timeouts == 0; t += 10) {
      k.update(t);
    }
    assertEquals(1, cc.timeouts);
    assertEquals(0, cc.fastRetransmits);
  }

  @Test
  void theControllerKeepsItsStateAcrossAnUnrelatedConfigurationChange() {
    Supplier<FixedWindow> supplier = () -> new FixedWindow(4);
    KcpConfig before = KcpConfig.fast().toBuilder().congestionControl(supplier).build();
    Kcp k = new Kcp(CONV, before, new Captured());
    CongestionControl installed = k.congestionControl();
    k.send(new byte[1], 0, 1);
    k.update(0);
    assertEquals(1, ((FixedWindow) installed).flushes);

    // A change of interval, nc or nodelay leaves the controller alone ...
    KcpConfig after = before.toBuilder().interval(20).noCongestionWindow(false).noDelay(2).build();
    after.applyChangesTo(k, before);
    assertSame(installed, k.congestionControl());
    assertEquals(1, ((FixedWindow) installed).flushes, "its state is kept");
    assertEquals(20, k.interval());
    assertEquals(2, k.nodelay());

    // ... a different supplier replaces it, and removing it restores the built-in choice.
    KcpConfig other = after.toBuilder().congestionControl(() -> new FixedWindow(8)).build();
    other.applyChangesTo(k, after);
    assertNotSame(installed, k.congestionControl());
    assertEquals(8, k.cwnd());
    KcpConfig none = other.toBuilder().congestionControl(null).build();
    none.applyChangesTo(k, other);
    assertInstanceOf(ClassicKcp.class, k.congestionControl(), "nc is off in this config");
    KcpConfig.fast().applyChangesTo(k, none);
    assertInstanceOf(NoCongestionWindow.class, k.congestionControl());
  }

  @Test
  void nodelayAppliedAsAChangeStillLeavesAnExplicitMinRto() {
    // minrto equals its old value but nodelay, applied because it changed, resets it in the
    // engine as ikcp_nodelay does: applyChangesTo must set minrto again.
    KcpConfig before = KcpConfig.classic();
    KcpConfig after = KcpConfig.builder().noDelay(1).minRto(100).build();
    assertEquals(before.minRto(), after.minRto());
    Kcp k = new Kcp(CONV, before, new Captured());
    after.applyChangesTo(k, before);
    assertEquals(1, k.nodelay());
    assertEquals(100, k.minRto());
    assertTrue(after.toString().contains("minrto=100"));
  }
}
