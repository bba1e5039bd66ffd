package io.kcpj.bench.sweep;

import io.kcpj.bench.compare.KcpTransport;
import io.kcpj.bench.compare.VirtualKcpRun;
import io.kcpj.bench.compare.Workload;
import io.kcpj.bench.report.RunResult;
import io.kcpj.core.EngineSetting;
import io.kcpj.core.KcpConfig;
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
 * A grid of KCP configurations run on one profile in virtual time. Every configuration sees the
 * same seeded link, so differences come from the configuration alone; results are returned in grid
 * order whatever the parallelism, and are the same for the same seed.
 */
public final class Sweep {
  private final Profile profile;
  private final Workload workload;
  private final long seed;
  private final List<KcpConfig> grid;

  public Sweep(Profile profile, Workload workload, long seed, List<KcpConfig> grid) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.workload = Objects.requireNonNull(workload, "workload");
    this.seed = seed;
    if (grid.isEmpty()) {
      throw new IllegalArgumentException("the grid is empty");
    }
    this.grid = List.copyOf(grid);
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
    List<KcpConfig> out = new ArrayList<>();
    for (int nd : nodelays) {
      for (int iv : intervals) {
        for (int rs : resends) {
          for (boolean nc : ncs) {
            for (int w : windows) {
              out.add(
                  KcpConfig.builder()
                      .noDelay(nd, iv, rs, nc)
                      .windows(w, Math.max(w, EngineSetting.RECEIVE_WINDOW.min()))
                      .mtu(mtu)
                      .build());
            }
          }
        }
      }
    }
    return out;
  }

  public List<KcpConfig> configs() {
    return grid;
  }

  /** Runs the grid on {@code threads} threads; {@code progress} gets "done/total" counts. */
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
      List<Future<RunResult>> futures = new ArrayList<>();
      for (int i = 0; i < grid.size(); i++) {
        KcpConfig c = grid.get(i);
        String name = "cfg" + i;
        futures.add(
            pool.submit(
                () ->
                    new VirtualKcpRun(profile, new KcpTransport(name, c, true), workload, seed)
                        .drainMillis(30_000)
                        .run()));
      }
      List<SweepPoint> points = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          points.add(new SweepPoint(grid.get(i), futures.get(i).get()));
        } catch (ExecutionException e) {
          throw new IllegalStateException("configuration " + grid.get(i) + " failed", e.getCause());
        }
        progress.accept(i + 1);
      }
      return points;
    } finally {
      pool.shutdownNow();
    }
  }
}
