package io.kcpj.bench.cli;

import io.kcpj.netem.log.FateLogWriter;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.proxy.ProxyCounters;
import io.kcpj.netem.proxy.UdpProxy;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kcpj netem}: the weak-network simulator's command-line tools.
 *
 * <ul>
 *   <li>{@code kcpj netem proxy --listen 127.0.0.1:9000 --target 127.0.0.1:9001 --profile 3g-lossy
 *       [--seed N] [--log fates.csv] [--duration 60s] [--quiet]}: a UDP proxy that impairs the
 *       traffic of any UDP program (see {@link UdpProxy}); prints live counters every second and
 *       stops on Ctrl-C or after {@code --duration}.
 *   <li>{@code kcpj netem profiles}: the presets, their values and their sources.
 * </ul>
 *
 * <p>Each invocation owns what it opens (sockets, the fate-log file) and closes it before
 * returning. Output goes to picocli's configured writers, so tests can capture it.
 */
@Command(
    name = "netem",
    mixinStandardHelpOptions = true,
    description = "Weak-network simulator tools: a UDP proxy and the profile presets.",
    subcommands = {
      NetemCommand.ProxyCommand.class,
      NetemCommand.ProfilesCommand.class,
      CommandLine.HelpCommand.class
    })
public final class NetemCommand implements Runnable {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code kcpj netem proxy}. */
  @Command(
      name = "proxy",
      mixinStandardHelpOptions = true,
      description = {
        "Forward UDP between clients and a target through a simulated link.",
        "Each client address gets its own mapping (its own upstream port and link); the"
            + " client's packets take the profile's 'up' direction, the target's replies"
            + " 'down'. Prints live counters; stops on Ctrl-C or after --duration."
      },
      footerHeading = "%nValues:%n",
      footer = {KcpjCommand.DURATIONS, KcpjCommand.PROFILES})
  static final class ProxyCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--listen",
        required = true,
        paramLabel = "HOST:PORT",
        converter = Converters.HostPort.class,
        description = "Where clients send (the proxy's own address).")
    InetSocketAddress listen;

    @Option(
        names = "--target",
        required = true,
        paramLabel = "HOST:PORT",
        converter = Converters.HostPort.class,
        description = "Where to forward (the server's address).")
    InetSocketAddress target;

    @Option(
        names = "--profile",
        required = true,
        paramLabel = "PROFILE",
        description =
            "A preset (see 'kcpj netem profiles'), compact text such as"
                + " 'delay=100ms,jitter=20ms,loss=1%%,rate=1mbit', or @file.")
    String profile;

    @Option(
        names = "--seed",
        paramLabel = "N",
        defaultValue = "1",
        description = "Seed of the random draws. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
        names = "--log",
        paramLabel = "FILE",
        description =
            "Write every packet's fate: CSV, or JSON lines if FILE ends in .jsonl. Default: none.")
    Path log;

    @Option(
        names = "--duration",
        paramLabel = "DURATION",
        converter = Converters.Time.class,
        description = "Stop after this long (e.g. 60s). Default: run until Ctrl-C.")
    Duration duration;

    @Option(
        names = "--interval",
        paramLabel = "DURATION",
        defaultValue = "1s",
        converter = Converters.Time.class,
        description = "How often to print the live counters. Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--quiet", description = "Print no live counters, only the final ones.")
    boolean quiet;

    @Override
    public Integer call() throws IOException, InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Profile p = CompareCommand.profile(profile);
      if (interval.isZero() || interval.isNegative()) {
        throw CommandError.usage("--interval must be above 0", null);
      }
      long intervalNanos = interval.toNanos();
      Long durationNanos = duration == null ? null : duration.toNanos();
      FateLogWriter fateLog;
      try {
        fateLog = log == null ? null : FateLogWriter.open(log);
      } catch (IOException e) {
        throw CommandError.usage(
            "cannot write the fate log '" + log + "': " + ErrorReporter.reason(e), e);
      }
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch finished = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                stop.countDown();
                try {
                  finished.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "kcpj-netem-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      UdpProxy proxy = null;
      try {
        proxy =
            UdpProxy.builder()
                .listen(listen)
                .target(target)
                .profile(p)
                .seed(seed)
                .fateLog(fateLog)
                .start();
        out.printf(
            "netem proxy: %s -> %s, profile %s, seed %d%s%n",
            proxy.localAddress(), target, p, seed, log == null ? "" : ", fate log " + log);
        out.flush();
        long start = System.nanoTime();
        while (true) {
          long wait = intervalNanos;
          if (durationNanos != null) {
            wait = Math.min(wait, start + durationNanos - System.nanoTime());
          }
          if (wait <= 0 || stop.await(wait, TimeUnit.NANOSECONDS)) {
            break;
          }
          if (proxy.failure() != null) {
            break;
          }
          if (!quiet
              && System.nanoTime() - start
                  < (durationNanos == null ? Long.MAX_VALUE : durationNanos)) {
            out.println(proxy.counters().summary());
            out.flush();
          }
        }
        proxy.close();
        ProxyCounters c = proxy.counters();
        out.println("final: " + c.summary());
        out.println("  up   " + c.up().summary());
        out.println("  down " + c.down().summary());
        out.flush();
        if (proxy.failure() != null) {
          err.println("kcpj netem proxy: stopped on error: " + proxy.failure());
          err.flush();
          return 1;
        }
        return 0;
      } finally {
        if (proxy != null) {
          proxy.close();
        }
        if (fateLog != null) {
          fateLog.close();
        }
        finished.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it waits for 'finished'
        }
      }
    }
  }

  /** {@code kcpj netem profiles}. */
  @Command(
      name = "profiles",
      mixinStandardHelpOptions = true,
      description = "List the preset profiles with their values and sources.")
  static final class ProfilesCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      for (String name : Profile.presetNames()) {
        Profile p = Profile.named(name);
        out.printf("%-16s %s%n%-16s   source: %s%n", name, p.toSpec(), "", p.source());
      }
      out.flush();
    }
  }
}
