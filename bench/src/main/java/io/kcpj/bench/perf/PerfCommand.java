package io.kcpj.bench.perf;

import io.kcpj.bench.cli.Quantities;
import io.kcpj.core.KcpConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kcpj perf}: an iperf-like client and server for KCP over real UDP sockets, speaking {@link
 * PerfProtocol}. The server echoes; the client reports RTT percentiles from the scheduled send
 * time, messages/s, goodput, wire bytes, retransmits and CPU time (the server's own).
 */
@Command(
    name = "perf",
    mixinStandardHelpOptions = true,
    description = "iperf-like KCP client/server over real UDP sockets.",
    subcommands = {PerfCommand.Server.class, PerfCommand.Client.class})
public final class PerfCommand implements Runnable {
  static final String TRANSPORTS =
      "nio; epoll or io_uring (each needs Netty's native jars for it "
          + "on the class path, see bench/peers/run-comparison.sh); or auto (epoll if available, "
          + "else nio).";

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected HOST:PORT, got " + hostPort);
    }
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** {@code kcpj perf server}: echoes until interrupted. */
  @Command(name = "server", mixinStandardHelpOptions = true, description = "Run the echo server.")
  static final class Server implements Callable<Integer> {
    @Option(names = "--listen", defaultValue = "0.0.0.0:4000", description = "HOST:PORT to bind.")
    String listen;

    @Option(
        names = "--mode",
        defaultValue = "fast",
        description = "KCP settings: a preset and key=value pairs, e.g. fast,wnd=256.")
    String mode;

    @Option(
        names = "--max-sessions",
        defaultValue = "20000",
        description = "Sessions open at once, per thread (per datagram channel).")
    int maxSessions;

    @Option(names = "--transport", defaultValue = "nio", description = TRANSPORTS)
    String transport;

    @Option(
        names = "--threads",
        defaultValue = "1",
        description =
            "Datagram channels bound to the port with SO_REUSEPORT, each on its own "
                + "event loop with its own codec (> 1 needs --transport epoll or io_uring).")
    int threads;

    @Option(
        names = "--read-coalescing",
        defaultValue = "0",
        description =
            "Read coalescing (e.g. 1ms, 500us; 0: off): after a burst of two or more "
                + "datagrams that drained the socket, pause reading for up to this long, so that one "
                + "wake-up reads many datagrams: less CPU per message under load for at most this "
                + "much added latency. See KcpCodecBuilder.readCoalescing.")
    String readCoalescing;

    @Override
    public Integer call() throws Exception {
      PerfTransport t = PerfTransport.select(transport);
      Duration pause = Quantities.duration(readCoalescing);
      try (PerfServer server =
          new PerfServer(address(listen), KcpConfig.parse(mode), maxSessions, t, threads, pause)) {
        System.out.println(
            "kcpj perf server listening on "
                + server.localAddress()
                + " mode "
                + mode
                + " transport "
                + t.name
                + " threads "
                + threads
                + " read-coalescing "
                + pause);
        System.out.flush();
        new CountDownLatch(1).await(); // until the process is stopped
      }
      return 0;
    }
  }

  /** {@code kcpj perf client}: runs one measurement and prints it. */
  @Command(name = "client", mixinStandardHelpOptions = true, description = "Run a measurement.")
  static final class Client implements Callable<Integer> {
    @Option(names = "--connect", required = true, description = "Server HOST:PORT.")
    String connect;

    @Option(names = "--sessions", defaultValue = "1")
    int sessions;

    @Option(
        names = "--sockets",
        defaultValue = "0",
        description = "Client UDP sockets the sessions share (0: one per session).")
    int sockets;

    @Option(names = "--threads", defaultValue = "1", description = "Client event loops.")
    int threads;

    @Option(names = "--rate", defaultValue = "20", description = "Messages per second per session.")
    double rate;

    @Option(names = "--size", defaultValue = "100", description = "Message size in bytes (>= 16).")
    int size;

    @Option(names = "--duration", defaultValue = "30s")
    String duration;

    @Option(names = "--warmup", defaultValue = "3s")
    String warmup;

    @Option(
        names = "--warmup-rate",
        defaultValue = "0",
        description =
            "Messages per second per session during the warm-up (0: the --rate). A "
                + "higher rate lets a server's JIT compile its hot paths before a slow workload is "
                + "measured; the warm-up is never measured.")
    double warmupRate;

    @Option(
        names = "--settle",
        defaultValue = "0s",
        description =
            "Time at the measured --rate after the warm-up and before the measured "
                + "window (not measured). After a fast --warmup-rate it lets a server's JIT adapt to "
                + "the slower pattern (recompiles, idle-timer paths) before the window opens.")
    String settle;

    @Option(names = "--mode", defaultValue = "fast")
    String mode;

    @Option(
        names = "--conv",
        defaultValue = "0",
        description =
            "Conv of every session (0: random per session). Sessions on different "
                + "sockets may share one conv.")
    int conv;

    @Option(names = "--transport", defaultValue = "nio", description = TRANSPORTS)
    String transport;

    @Option(names = "--bulk", description = "Measure the goodput of one session instead.")
    boolean bulk;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (size < PerfProtocol.HEADER) {
        throw new IllegalArgumentException("--size must be at least " + PerfProtocol.HEADER);
      }
      if (warmupRate < 0 || Double.isNaN(warmupRate)) {
        throw new IllegalArgumentException("--warmup-rate must be >= 0, got " + warmupRate);
      }
      int n = bulk ? 1 : sessions;
      PerfClient.Settings settings =
          new PerfClient.Settings(
              address(connect),
              n,
              sockets <= 0 ? n : Math.min(sockets, n),
              threads,
              rate,
              bulk && size == 100 ? 1376 : size,
              Quantities.duration(duration),
              Quantities.duration(warmup),
              KcpConfig.parse(mode),
              bulk,
              conv,
              transport,
              warmupRate > 0 ? warmupRate : rate,
              Quantities.duration(settle));
      PerfResult result = new PerfClient(settings).run();
      System.out.print(json ? result.toJson() + System.lineSeparator() : result.toTable());
      return 0;
    }
  }
}
