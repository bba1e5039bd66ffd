package io.kcpj.bench.sweep;

import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.LinkSeeds;
import io.kcpj.bench.compare.VirtualKcpRun;
import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.RunResult;
import io.kcpj.core.EngineSetting;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.netem.profile.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A grid of KCP configurations run on one profile in virtual time, each over several seeds and each
 * seed as several sessions on independent links. Session {@code k} of configuration {@code c} under
 * seed {@code s} runs on a link seeded with {@link LinkSeeds#of(long, Profile, String, int)
 * LinkSeeds.of(s, profile, c's compact text, k)}: by name, as in {@code kcpj compare}. Results come
 * back in grid order whatever the parallelism, and are the same for the same seeds.
 */
public final class Sweep {
  private final Profile profile;
  private final Workload workload;
  private final List<Long> seeds;
  private final int sessions;
  private final List<KcpConfig> grid;
  private final List<FecSpec> fecs;
  private long drainMillis = 15_000;

  public Sweep(
      Profile profile, Workload workload, List<Long> seeds, int sessions, List<KcpConfig> grid) {
    this(profile, workload, seeds, sessions, grid, List.of(FecSpec.OFF));
  }

  /** A sweep of every configuration of {@code grid} with every FEC of {@code fecs}. */
  public Sweep(
      Profile profile,
      Workload workload,
      List<Long> seeds,
      int sessions,
      List<KcpConfig> grid,
      List<FecSpec> fecs) {
    if (fecs.isEmpty()) {
      throw new IllegalArgumentException("at least one FEC (off)");
    }
    this.fecs = List.copyOf(fecs);
    this.profile = Objects.requireNonNull(profile, "profile");
    this.workload = Objects.requireNonNull(workload, "workload");
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("at least one seed");
    }
    this.seeds = List.copyOf(seeds);
    if (sessions < 1) {
      throw new IllegalArgumentException("sessions must be >= 1, got " + sessions);
    }
    this.sessions = sessions;
    if (grid.isEmpty()) {
      throw new IllegalArgumentException("the grid is empty");
    }
    this.grid = List.copyOf(grid);
  }

  /** How long after the last message to wait for echoes (default 15 s, as compare). */
  public Sweep drainMillis(long millis) {
    this.drainMillis = millis;
    return this;
  }

  /**
   * The grid: every combination of the given values (nodelay × interval × resend × nc × window),
   * with send and receive windows equal (receive raised to its floor of 128).
   */
  public static List<KcpConfig> grid(
      List<Integer> nodelays,
      List<Integer> intervals,
      List<Integer> resends,
      List<Boolean> ncs,
      List<Integer> windows,
      int mtu) {
    return grid(
        nodelays, intervals, resends, ncs, windows, mtu, new Latency(false, 0, 0, 0), List.of());
  }

  /**
   * The latency knobs of one grid point (kcpj's additions, {@code docs/latency.md}): thin-stream
   * loss recovery, redundant copies per segment (with copies, repeat ACKs are off on both ends, as
   * in the {@code game} preset), the RTO cap and the ACK delay, in ms.
   */
  public record Latency(boolean thin, int dup, int maxRto, int ackDelay) {}

  /**
   * The grid with the latency knobs: every combination of the classic dimensions × {@code latency}
   * (in order); an empty {@code latency} list means only {@code base}.
   */
  public static List<KcpConfig> grid(
      List<Integer> nodelays,
      List<Integer> intervals,
      List<Integer> resends,
      List<Boolean> ncs,
      List<Integer> windows,
      int mtu,
      Latency base,
      List<Latency> latency) {
    List<Latency> knobs = latency.isEmpty() ? List.of(base) : latency;
    List<KcpConfig> out = new ArrayList<>();
    for (int nd : nodelays) {
      for (int iv : intervals) {
        for (int rs : resends) {
          for (boolean nc : ncs) {
            for (int w : windows) {
              for (Latency l : knobs) {
                out.add(
                    KcpConfig.builder()
                        .noDelay(nd, iv, rs, nc)
                        .windows(w, Math.max(w, EngineSetting.RECEIVE_WINDOW.min()))
                        .mtu(mtu)
                        .set(EngineSetting.THIN_STREAM, l.thin())
                        .set(EngineSetting.REDUNDANCY, l.dup())
                        .set(EngineSetting.REPEAT_ACKS, l.dup() == 0)
                        .set(EngineSetting.MAX_RTO, l.maxRto())
                        .set(EngineSetting.ACK_DELAY, l.ackDelay())
                        .build());
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** Every combination of the latency knobs' values, in order. */
  public static List<Latency> latencyGrid(
      List<Boolean> thin, List<Integer> dup, List<Integer> maxRto, List<Integer> ackDelay) {
    List<Latency> out = new ArrayList<>();
    for (boolean t : thin) {
      for (int d : dup) {
        for (int m : maxRto) {
          for (int a : ackDelay) {
            out.add(new Latency(t, d, m, a));
          }
        }
      }
    }
    return out;
  }

  public List<KcpConfig> configs() {
    return grid;
  }

  /** The FEC values swept (each with every configuration). */
  public List<FecSpec> fecs() {
    return fecs;
  }

  public List<Long> seeds() {
    return seeds;
  }

  /**
   * Runs the grid on {@code threads} threads; {@code progress} gets "configurations done" counts.
   */
  public List<SweepPoint> run(int threads, Consumer<Integer> progress) throws InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, threads),
            r -> {
              Thread t = new Thread(r, "kcpj-sweep");
              t.setDaemon(true);
              return t;
            });
    try {
      List<List<Future<RunResult>>> tasks = new ArrayList<>();
      for (KcpConfig c : grid) {
        for (FecSpec fec : fecs) {
          String label = SweepPoint.label(c, fec);
          KcpTransport t = new KcpTransport(label, c, true, fec);
          for (long seed : seeds) {
            List<Future<RunResult>> parts = new ArrayList<>();
            for (int k = 0; k < sessions; k++) {
              long linkSeed = LinkSeeds.of(seed, profile, label, k);
              parts.add(
                  pool.submit(
                      () ->
                          new VirtualKcpRun(profile, t, workload, linkSeed)
                              .drainMillis(drainMillis)
                              .run()));
            }
            tasks.add(parts);
          }
        }
      }
      List<SweepPoint> points = new ArrayList<>();
      int next = 0;
      for (int i = 0; i < grid.size() * fecs.size(); i++) {
        KcpConfig c = grid.get(i / fecs.size());
        FecSpec fec = fecs.get(i % fecs.size());
        List<RunResult> perSeed = new ArrayList<>();
        for (int s = 0; s < seeds.size(); s++) {
          List<RunResult> sessionsOf = new ArrayList<>();
          for (Future<RunResult> f : tasks.get(next++)) {
            try {
              sessionsOf.add(f.get());
            } catch (ExecutionException e) {
              throw new IllegalStateException(
                  "configuration " + SweepPoint.label(c, fec) + " failed: " + e.getCause(),
                  e.getCause());
            }
          }
          perSeed.add(RunResult.merge(sessionsOf));
        }
        points.add(new SweepPoint(c, fec, perSeed));
        progress.accept(i + 1);
      }
      return points;
    } finally {
      pool.shutdownNow();
    }
  }
}
