package io.kcpj.bench.compare.bridge;

import io.kcpj.netem.tun.Side;
import io.kcpj.netem.tun.TunBridge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What the kernel says about TCP inside a bridge namespace: its congestion control and its own
 * segment counters ({@code /proc/net/snmp}), read by a process started in that namespace.
 */
public final class KernelTcp {
  private KernelTcp() {}

  /** The namespace's default TCP congestion control (e.g. {@code cubic}, {@code bbr}). */
  public static String congestionControl(TunBridge bridge, Side side) throws IOException {
    return run(bridge, side, "cat", "/proc/sys/net/ipv4/tcp_congestion_control").trim();
  }

  /** The namespace's {@code Tcp: RetransSegs} counter (segments retransmitted by the kernel). */
  public static long retransmittedSegments(TunBridge bridge, Side side) throws IOException {
    return snmp(run(bridge, side, "cat", "/proc/net/snmp"), "Tcp", "RetransSegs");
  }

  /** The namespace's {@code Tcp: OutSegs} counter. */
  public static long outSegments(TunBridge bridge, Side side) throws IOException {
    return snmp(run(bridge, side, "cat", "/proc/net/snmp"), "Tcp", "OutSegs");
  }

  /** A field of {@code /proc/net/snmp}: the header line names the fields, the next the values. */
  static long snmp(String text, String group, String field) throws IOException {
    String[] lines = text.split("\n");
    for (int i = 0; i + 1 < lines.length; i++) {
      if (lines[i].startsWith(group + ":") && lines[i + 1].startsWith(group + ":")) {
        String[] names = lines[i].trim().split("\\s+");
        String[] values = lines[i + 1].trim().split("\\s+");
        for (int k = 1; k < names.length && k < values.length; k++) {
          if (names[k].equals(field)) {
            return Long.parseLong(values[k]);
          }
        }
      }
    }
    throw new IOException("no " + group + " " + field + " in /proc/net/snmp");
  }

  private static String run(TunBridge bridge, Side side, String... cmd) throws IOException {
    Process p = bridge.command(side, cmd).redirectErrorStream(true).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", cmd)
                + " in namespace "
                + bridge.namespace(side)
                + " failed: "
                + new String(out, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      p.destroy();
    }
  }
}
