package io.kcpj.bench.compare;

import io.kcpj.bench.report.RunResult;
import io.kcpj.netem.log.FateLog;
import io.kcpj.netem.net.Endpoint;
import io.kcpj.netem.net.VirtualNetwork;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.VirtualScheduler;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * The comparison's {@code floor} row for one session in virtual time: a raw UDP echo — each message
 * one datagram, echoed by the server as one datagram of the response size, no retransmission, no
 * ordering — over {@link FloorProfile the profile without loss, corruption or blackouts}. Its RTTs
 * are the path's own round trip at the workload's packet sizes and rate; a duplicate echo counts
 * once (the first). Deterministic for a seed.
 *
 * <p>Wire bytes are the datagrams plus 28 bytes of IPv4 and UDP headers each, as for KCP.
 */
public final class VirtualFloorRun {
  /** The report label of the floor row. */
  public static final String LABEL = io.kcpj.bench.report.Row.FLOOR;

  /** The floor's settings text in reports. */
  public static final String SETTINGS = "raw UDP echo, one datagram each way, no retransmission";

  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final Profile floor;
  private final String profileName;
  private final Workload workload;
  private final long seed;
  private long drainMillis = 60_000;
  private FateLog fateLog;

  /**
   * @param profile the profile as configured; the run uses {@link FloorProfile#of} of it
   */
  public VirtualFloorRun(Profile profile, Workload workload, long seed) {
    Objects.requireNonNull(profile, "profile");
    this.floor = FloorProfile.of(profile);
    this.profileName = profile.name();
    this.workload = Objects.requireNonNull(workload, "workload");
    if (workload.kind() == Workload.Kind.BULK) {
      throw new IllegalArgumentException("a bulk transfer has no floor row (no per-message echo)");
    }
    this.seed = seed;
  }

  /** How long (virtual ms) to wait after the last send for outstanding echoes. Default 60 s. */
  public VirtualFloorRun drainMillis(long millis) {
    this.drainMillis = millis;
    return this;
  }

  /** Records the link's per-packet fates into {@code log} ({@code null}: no log). */
  public VirtualFloorRun fateLog(FateLog log) {
    this.fateLog = log;
    return this;
  }

  /** The datagram size of an echo: the response size, at most what one datagram carries here. */
  static int echoSize(Workload w) {
    return Math.min(Math.max(w.responseSize(), EchoMessage.HEADER), MAX_DATAGRAM);
  }

  /** The largest floor datagram: one unfragmented IPv4 packet on a 1500-byte MTU. */
  public static final int MAX_DATAGRAM = 1472;

  /** Runs the session and returns its result. */
  public RunResult run() {
    VirtualScheduler clock = new VirtualScheduler();
    VirtualNetwork net = new VirtualNetwork(clock).fateLog(fateLog);
    InetSocketAddress clientAddr = new InetSocketAddress("192.0.2.1", 40000);
    InetSocketAddress serverAddr = new InetSocketAddress("192.0.2.2", 4000);
    Endpoint client = net.endpoint(clientAddr);
    Endpoint server = net.endpoint(serverAddr);
    net.link(clientAddr, serverAddr, floor, seed);

    int total = workload.messageCount();
    int requestSize = Math.min(workload.size(), MAX_DATAGRAM);
    int responseSize = echoSize(workload);
    boolean[] received = new boolean[total];
    Histogram rtt = new Histogram(3_600_000_000L, 3);
    long[] wire = {0};
    long[] goodput = {0};
    int[] echoed = {0};
    byte[] reply = new byte[responseSize];
    server.onReceive(
        (src, data) -> {
          goodput[0] += data.length;
          System.arraycopy(data, 0, reply, 0, EchoMessage.HEADER);
          wire[0] += responseSize + VirtualKcpRun.IP_UDP_HEADERS;
          server.send(src, reply, 0, responseSize);
        });
    client.onReceive(
        (src, data) -> {
          int seq = EchoMessage.seq(data, 0);
          if (seq >= 0 && seq < total && !received[seq]) {
            received[seq] = true; // a duplicate echo counts once
            goodput[0] += data.length;
            long scheduled = workload.scheduledNanos(seq);
            rtt.recordValue(Math.max(0, (clock.nowNanos() - scheduled) / 1000));
            echoed[0]++;
          }
        });
    byte[] msg = new byte[requestSize];
    int[] sent = {0};
    Runnable sendNext =
        new Runnable() {
          @Override
          public void run() {
            EchoMessage.write(msg, msg.length, sent[0]);
            wire[0] += msg.length + VirtualKcpRun.IP_UDP_HEADERS;
            client.send(serverAddr, msg, 0, msg.length);
            sent[0]++;
            if (sent[0] < total) {
              clock.schedule(workload.scheduledNanos(sent[0]), this);
            }
          }
        };
    clock.schedule(workload.scheduledNanos(0), sendNext);
    long limit = workload.scheduledNanos(total - 1) + drainMillis * NANOS_PER_MILLI;
    clock.runUntil(() -> sent[0] == total && echoed[0] >= total, limit);
    return RunResult.builder()
        .profile(profileName)
        .transport(LABEL)
        .transportDetail(SETTINGS + "; path: " + spec(floor))
        .config("raw-udp-echo")
        .delivery("unreliable")
        .mode("virtual")
        .rttMicros(rtt)
        .messagesSent(sent[0])
        .messagesEchoed(echoed[0])
        .goodputBytes(goodput[0])
        .wireBytes(wire[0])
        .retransmits(0)
        .durationMillis(clock.nowNanos() / NANOS_PER_MILLI)
        .build();
  }

  private static String spec(Profile p) {
    String s = p.toSpec();
    return s.isEmpty() ? "ideal" : s;
  }
}
