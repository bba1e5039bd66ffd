package io.kcpj.bench.sweep;

import io.kcpj.bench.report.RunResult;
import io.kcpj.core.KcpConfig;

/** One configuration of a sweep and what it achieved: its p99 RTT and wire overhead. */
public record SweepPoint(KcpConfig config, RunResult result) {
  /** 99th-percentile RTT in ms (infinite when nothing was delivered). */
  public double p99Millis() {
    double v = result.rttMillisAt(99);
    return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
  }

  /** Wire bytes per goodput byte. */
  public double overhead() {
    return result.goodputBytes() == 0 ? Double.POSITIVE_INFINITY : result.overhead();
  }

  /** Whether every message was delivered. */
  public boolean complete() {
    return result.messagesLost() == 0;
  }

  /** Whether this point is at least as good in both and better in one. */
  public boolean dominates(SweepPoint o) {
    return p99Millis() <= o.p99Millis()
        && overhead() <= o.overhead()
        && (p99Millis() < o.p99Millis() || overhead() < o.overhead());
  }

  /** The compact config text, e.g. {@code nodelay=1,interval=10,resend=2,nc=true,wnd=128}. */
  public String label() {
    KcpConfig c = config;
    return "nodelay="
        + c.nodelay()
        + ",interval="
        + c.interval()
        + ",resend="
        + c.fastResend()
        + ",nc="
        + c.noCongestionWindow()
        + ",sndwnd="
        + c.sendWindow()
        + ",rcvwnd="
        + c.receiveWindow();
  }
}
