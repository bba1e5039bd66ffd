package io.kcpj.bench.compare;

import io.kcpj.bench.report.RunResult;
import io.kcpj.netem.profile.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A comparison plan — profiles × transports under one workload — and its execution in virtual time.
 * (Runs over the TUN bridge with real sockets and kernel TCP are done by {@code BridgeComparison},
 * which takes the same plan.) Immutable plan; {@link #runVirtual} is deterministic for a seed.
 */
public final class Comparison {
  private final List<Profile> profiles;
  private final List<KcpTransport> kcp;
  private final boolean tcp;
  private final Workload workload;
  private final long seed;

  public Comparison(
      List<Profile> profiles, List<KcpTransport> kcp, boolean tcp, Workload workload, long seed) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("no profile to compare on");
    }
    if (kcp.isEmpty() && !tcp) {
      throw new IllegalArgumentException("no transport to compare");
    }
    this.profiles = List.copyOf(profiles);
    this.kcp = List.copyOf(kcp);
    this.tcp = tcp;
    this.workload = Objects.requireNonNull(workload, "workload");
    this.seed = seed;
  }

  public List<Profile> profiles() {
    return profiles;
  }

  public List<KcpTransport> kcp() {
    return kcp;
  }

  public boolean tcp() {
    return tcp;
  }

  public Workload workload() {
    return workload;
  }

  public long seed() {
    return seed;
  }

  /**
   * Runs every KCP transport on every profile in virtual time (TCP needs the bridge and is not part
   * of a virtual run). Each run's link is seeded with {@code seed} and the profile's index, so
   * every transport on one profile sees the same sequence of link decisions for the same offered
   * packets.
   *
   * @param progress receives one line per finished run (may be a no-op)
   */
  public List<RunResult> runVirtual(Consumer<String> progress) {
    List<RunResult> results = new ArrayList<>();
    int total = profiles.size() * kcp.size();
    int done = 0;
    for (int p = 0; p < profiles.size(); p++) {
      Profile profile = profiles.get(p);
      for (KcpTransport t : kcp) {
        RunResult r = new VirtualKcpRun(profile, t, workload, seed * 1_000_003L + p).run();
        results.add(r);
        done++;
        progress.accept(
            String.format(
                java.util.Locale.ROOT,
                "[%d/%d] %s × %s: mean %.1f ms, p99 %.1f ms, %d undelivered",
                done,
                total,
                profile.name(),
                t.name(),
                r.meanRttMillis(),
                r.rttMillisAt(99),
                r.messagesLost()));
      }
    }
    return results;
  }
}
