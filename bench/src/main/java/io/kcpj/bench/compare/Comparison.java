package io.kcpj.bench.compare;

import io.kcpj.bench.report.RunResult;
import io.kcpj.netem.log.FateLog;
import io.kcpj.netem.profile.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A comparison plan — profiles × transports under one workload, each transport as several
 * concurrent sessions on identical per-flow links — and its execution in virtual time. (Runs over
 * the TUN bridge with real sockets and kernel TCP are done by {@code BridgeComparison}, which takes
 * the same plan.)
 *
 * <p>Rows per profile, in this order: {@code floor} (a raw UDP echo over the profile without loss,
 * corruption and blackouts: the path's own round trip), {@code tcp} (bridge only; always ordered,
 * the reference whatever the workload's delivery), then the KCP transports (each must deliver as
 * the workload asks). Each row is the merge of {@link #sessions()} sessions; session {@code k} of
 * transport {@code t} on profile {@code p} runs on a link seeded with {@link LinkSeeds#of(long,
 * Profile, String, int) LinkSeeds.of(seed, p, t, k)} — by name, so the same profile and transport
 * meet the same links in any command.
 *
 * <p>Immutable plan; {@link #runVirtual} is deterministic for a seed whatever the thread count.
 */
public final class Comparison {
  /** The report label of the kernel TCP row. */
  public static final String TCP_LABEL = io.kcpj.bench.report.Row.BASELINE;

  private final List<Profile> profiles;
  private final List<KcpTransport> kcp;
  private final boolean tcp;
  private final boolean floor;
  private final Workload workload;
  private final long seed;
  private final int sessions;
  private final long drainMillis;

  private Comparison(Builder b) {
    if (b.profiles.isEmpty()) {
      throw new IllegalArgumentException("no profile to compare on");
    }
    if (b.kcp.isEmpty() && !b.tcp) {
      throw new IllegalArgumentException("no transport to compare");
    }
    this.workload = Objects.requireNonNull(b.workload, "workload");
    for (KcpTransport t : b.kcp) {
      if (!t.supports(workload.delivery())) {
        throw new IllegalArgumentException(
            t.name()
                + " cannot deliver messages "
                + workload.delivery().label()
                + " ("
                + workload.delivery().meaning()
                + ")");
      }
    }
    // TCP delivers only in order: under another mode it stays as the ordered reference (its row
    // says "ordered"), so the ratios tell what the mode buys against it.
    if (b.sessions < 1 || b.sessions > 1000) {
      throw new IllegalArgumentException("sessions must be in [1, 1000], got " + b.sessions);
    }
    if (workload.kind() == Workload.Kind.BULK && b.sessions != 1) {
      throw new IllegalArgumentException("a bulk transfer runs as one session (--sessions 1)");
    }
    if (b.drainMillis < 0) {
      throw new IllegalArgumentException("drain must be >= 0, got " + b.drainMillis);
    }
    List<String> names = new ArrayList<>();
    for (KcpTransport t : b.kcp) {
      if (names.contains(t.name())
          || t.name().equals(TCP_LABEL)
          || t.name().equals(VirtualFloorRun.LABEL)) {
        throw new IllegalArgumentException(
            "transport name '" + t.name() + "' is used twice (or is reserved: floor, tcp)");
      }
      names.add(t.name());
    }
    this.profiles = List.copyOf(b.profiles);
    this.kcp = List.copyOf(b.kcp);
    this.tcp = b.tcp;
    this.floor = b.floor && workload.kind() != Workload.Kind.BULK;
    this.seed = b.seed;
    this.sessions = b.sessions;
    this.drainMillis = b.drainMillis;
  }

  /** A builder: no floor row, no TCP, seed 1, one session, 15 s drain. */
  public static Builder builder() {
    return new Builder();
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

  /** Whether each profile gets a {@code floor} row (never for bulk transfers). */
  public boolean floor() {
    return floor;
  }

  public Workload workload() {
    return workload;
  }

  public long seed() {
    return seed;
  }

  /** Concurrent sessions per transport and profile, each on its own link. */
  public int sessions() {
    return sessions;
  }

  /** How long after the last scheduled send a session waits for outstanding echoes. */
  public long drainMillis() {
    return drainMillis;
  }

  /** The row labels of each profile, in report order: floor, tcp, then the KCP transports. */
  public List<String> labels(boolean withTcp) {
    List<String> l = new ArrayList<>();
    if (floor) {
      l.add(VirtualFloorRun.LABEL);
    }
    if (tcp && withTcp) {
      l.add(TCP_LABEL);
    }
    for (KcpTransport t : kcp) {
      l.add(t.name());
    }
    return l;
  }

  /** The seed of one session's link. */
  public long linkSeed(Profile profile, String label, int session) {
    return LinkSeeds.of(seed, profile, label, session);
  }

  /** Where per-packet fate logs go: one log per link, or null for none. */
  @FunctionalInterface
  public interface FateLogs {
    /** The log of session {@code session} of {@code label} on {@code profile}, or null. */
    FateLog open(Profile profile, String label, int session);
  }

  /**
   * Runs every row but TCP (it needs the bridge) on every profile in virtual time.
   *
   * @param threads worker threads for the independent sessions
   * @param progress receives one line per finished row (may be a no-op)
   * @param onRow receives each finished row as soon as it is complete (e.g. for a partial report)
   * @param fateLogs per-link fate logs (null for none); called on the worker threads
   */
  public List<RunResult> runVirtual(
      int threads, Consumer<String> progress, Consumer<RunResult> onRow, FateLogs fateLogs)
      throws InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, threads),
            r -> {
              Thread t = new Thread(r, "kcpj-compare-virtual");
              t.setDaemon(true);
              return t;
            });
    try {
      List<String> labels = labels(false);
      List<List<Future<RunResult>>> rows = new ArrayList<>();
      for (Profile p : profiles) {
        for (String label : labels) {
          List<Future<RunResult>> row = new ArrayList<>();
          for (int s = 0; s < sessions; s++) {
            int session = s;
            row.add(pool.submit(() -> runSession(p, label, session, fateLogs)));
          }
          rows.add(row);
        }
      }
      List<RunResult> results = new ArrayList<>();
      int total = rows.size();
      for (int i = 0; i < total; i++) {
        List<RunResult> parts = new ArrayList<>();
        for (Future<RunResult> f : rows.get(i)) {
          try {
            parts.add(f.get());
          } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
              throw (RuntimeException) c;
            }
            throw new IllegalStateException(c);
          }
        }
        RunResult r = RunResult.merge(parts);
        results.add(r);
        onRow.accept(r);
        progress.accept(String.format(Locale.ROOT, "[%d/%d] %s", i + 1, total, line(r)));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private RunResult runSession(Profile p, String label, int session, FateLogs fateLogs) {
    long linkSeed = linkSeed(p, label, session);
    FateLog log = fateLogs == null ? null : fateLogs.open(p, label, session);
    try {
      if (label.equals(VirtualFloorRun.LABEL)) {
        return new VirtualFloorRun(p, workload, linkSeed)
            .drainMillis(drainMillis)
            .fateLog(log)
            .run();
      }
      KcpTransport t = kcp.stream().filter(k -> k.name().equals(label)).findFirst().orElseThrow();
      return new VirtualKcpRun(p, t, workload, linkSeed)
          .drainMillis(drainMillis)
          .fateLog(log)
          .run();
    } finally {
      if (log instanceof AutoCloseable) {
        try {
          ((AutoCloseable) log).close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the fate log failed: " + e.getMessage(), e);
        }
      }
    }
  }

  /** One row as a progress line. */
  public static String line(RunResult r) {
    return String.format(
        Locale.ROOT,
        "%s × %s: %d samples, mean %.1f ms, p99 %s ms, %d undelivered, wire/goodput %.2f",
        r.profile(),
        r.transport(),
        r.latency().count(),
        r.meanRttMillis(),
        io.kcpj.bench.report.Figures.ms(r.rttMillisAt(99)),
        r.messagesLost(),
        r.overhead());
  }

  /** Sets up a {@link Comparison}; not thread-safe. */
  public static final class Builder {
    private List<Profile> profiles = List.of();
    private List<KcpTransport> kcp = List.of();
    private boolean tcp;
    private boolean floor;
    private Workload workload;
    private long seed = 1;
    private int sessions = 1;
    private long drainMillis = 15_000;

    private Builder() {}

    public Builder profiles(List<Profile> profiles) {
      this.profiles = List.copyOf(profiles);
      return this;
    }

    public Builder kcp(List<KcpTransport> kcp) {
      this.kcp = List.copyOf(kcp);
      return this;
    }

    /** Whether kernel TCP is compared (over the bridge only). */
    public Builder tcp(boolean tcp) {
      this.tcp = tcp;
      return this;
    }

    /** Whether each profile gets a {@code floor} row. */
    public Builder floor(boolean floor) {
      this.floor = floor;
      return this;
    }

    public Builder workload(Workload workload) {
      this.workload = workload;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder sessions(int sessions) {
      this.sessions = sessions;
      return this;
    }

    public Builder drainMillis(long drainMillis) {
      this.drainMillis = drainMillis;
      return this;
    }

    public Comparison build() {
      return new Comparison(this);
    }
  }
}
