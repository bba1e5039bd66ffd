package io.kcpj.bench.cli;

import io.kcpj.bench.perf.PerfClient;
import io.kcpj.bench.perf.PerfLayers;
import io.kcpj.bench.perf.PerfProtocol;
import io.kcpj.bench.perf.PerfResult;
import io.kcpj.bench.perf.PerfServer;
import io.kcpj.bench.perf.PerfTransport;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.crypt.CryptConfig;
import io.kcpj.core.crypt.CryptMethod;
import io.kcpj.core.fec.FecSpec;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kcpj perf}: an iperf-like client and server for KCP over real UDP sockets, speaking {@link
 * PerfProtocol}. The server echoes; the client reports RTT percentiles from the scheduled send
 * time, messages/s, goodput, wire bytes, retransmits and CPU time (the server's own). The protocol
 * and the client and server themselves live in {@code io.kcpj.bench.perf}; these are their command
 * lines.
 */
@Command(
    name = "perf",
    mixinStandardHelpOptions = true,
    description = "iperf-like KCP client/server over real UDP sockets.",
    subcommands = {
      PerfCommand.Server.class,
      PerfCommand.Client.class,
      CommandLine.HelpCommand.class
    })
public final class PerfCommand implements Runnable {
  static final String TRANSPORTS =
      "nio; epoll or io_uring (Linux; kcpj.jar carries both for x86_64 and aarch64); or auto"
          + " (the first available of epoll, io_uring, nio; the report says which). Default:"
          + " ${DEFAULT-VALUE}.";

  static final String BUSY_POLL =
      "Event loops that never sleep (nio or epoll): each keeps a CPU core at 100 %, for the"
          + " lowest latency on a thin stream. Give it to both client and server, and only where"
          + " each busy event loop has a core of its own. See io.kcpj.netty.BusyPolling.";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final String FEC_HELP =
      "FEC: kcp-go's DATA/PARITY shards (e.g. 10/3; a kcp-go peer needs the same), kcpj's"
          + " loss-adaptive DATA/MIN-MAX (10/1-3: a kcp-go peer set to 10/3 reads it), optionally"
          + " @DEADLINE to close a thin stream's groups early (10/1-3@20ms: kcpj peers only)."
          + " Default: ${DEFAULT-VALUE}.";

  static final String CRYPT_HELP =
      "kcp-go's packet encryption, kcptun's names: aes, aes-128, aes-192, xor, none, 3des,"
          + " blowfish (with --key). Not authenticated. Default: off.";

  static final String KEY_HELP =
      "The --crypt passphrase; the key is derived as kcptun does (PBKDF2-HMAC-SHA1, salt kcp-go,"
          + " 4096 iterations). Default: none (required with --crypt).";

  static final String PSK_HELP =
      "Secure sessions (kcpj's, authenticated encryption with a Noise NNpsk0 handshake) under the"
          + " KCP codecs, with this 32-byte pre-shared key: 64 hex digits, or @FILE holding them."
          + " Both ends need the same key. With --server-key / --pin as well: Noise NKpsk0 (both"
          + " must hold). Not with --fec or --crypt. Default: off (plain KCP on the wire).";

  static final String SERVER_KEY_HELP =
      "Secure sessions authenticated by this server's static X25519 private key (64 hex digits,"
          + " or @FILE holding them; create one with kcpj keygen --out FILE). Clients pin the"
          + " public key, which the server prints when it starts (Noise NK; NKpsk0 with --psk:"
          + " clients then need both, while clients with --psk alone still connect with NNpsk0)."
          + " Default: none.";

  static final String PIN_HELP =
      "Secure sessions with the server authenticated by its static X25519 public key, pinned"
          + " here (64 hex digits, or @FILE holding them: kcpj keygen prints it, and so does kcpj"
          + " perf server --server-key). A server holding another key never answers: the client"
          + " fails with one line. Noise NK; NKpsk0 with --psk. Default: none.";

  /** {@code --fec}, {@code --crypt}, {@code --key} parsed, or a usage error naming the option. */
  static PerfLayers layers(String fec, String crypt, String key) {
    FecSpec f;
    try {
      f = FecSpec.parse(fec);
    } catch (IllegalArgumentException e) {
      throw CommandError.usage("--fec: " + e.getMessage(), e);
    }
    if (crypt == null) {
      if (key != null) {
        throw CommandError.usage("--key needs --crypt METHOD", null);
      }
      return new PerfLayers(f, null);
    }
    CryptMethod m;
    try {
      m = CryptMethod.parse(crypt);
    } catch (IllegalArgumentException e) {
      throw CommandError.usage("--crypt: " + e.getMessage(), e);
    }
    if (key == null || key.isEmpty()) {
      throw CommandError.usage(
          "--crypt " + crypt + " needs --key PASSPHRASE (kcptun's default is \"it's a secrect\")",
          null);
    }
    return new PerfLayers(f, CryptConfig.fromPassphrase(m, key));
  }

  /**
   * The layers with the secure options added, or a usage error when they conflict with {@code
   * --fec} or {@code --crypt} (secure sessions are not combinable with either).
   */
  static PerfLayers secure(Supplier<PerfLayers> withKeys) {
    try {
      return withKeys.get();
    } catch (IllegalArgumentException e) {
      throw CommandError.usage(e.getMessage(), e);
    }
  }

  /** {@code --mode} parsed, or a usage error naming the option. */
  static KcpConfig mode(String mode) {
    try {
      return KcpConfig.parse(mode);
    } catch (IllegalArgumentException e) {
      throw CommandError.usage("bad --mode '" + mode + "': " + e.getMessage(), e);
    }
  }

  /** {@code kcpj perf server}: echoes until interrupted. */
  @Command(
      name = "server",
      mixinStandardHelpOptions = true,
      description = {
        "Run the echo server until stopped (Ctrl-C). It answers kcpj perf clients and echoes"
            + " every other message, so any KCP echo client can use it.",
        "Echoes that a session cannot take (its send queue is full) and errors in the handlers are"
            + " counted, not logged one by one: one summary line per cause per --drop-summary."
      },
      footerHeading = "%nValues:%n",
      footer = {KcpjCommand.DURATIONS, KcpjCommand.KCP_SPECS})
  static final class Server implements Callable<Integer> {
    @Option(
        names = "--listen",
        paramLabel = "HOST:PORT",
        defaultValue = "0.0.0.0:4000",
        converter = Converters.HostPort.class,
        description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    InetSocketAddress listen;

    @Option(
        names = "--mode",
        paramLabel = "SPEC",
        defaultValue = "fast",
        description =
            "KCP settings: a preset and key=value pairs, e.g. fast,wnd=256. Default:"
                + " ${DEFAULT-VALUE}.")
    String mode;

    @Option(
        names = "--max-sessions",
        paramLabel = "N",
        defaultValue = "20000",
        description =
            "Sessions open at once, per thread (per datagram channel). Default: ${DEFAULT-VALUE}.")
    int maxSessions;

    @Option(
        names = "--transport",
        paramLabel = "NAME",
        defaultValue = "nio",
        description = TRANSPORTS)
    String transport;

    @Option(names = "--busy-poll", description = BUSY_POLL)
    boolean busyPoll;

    @Option(
        names = "--threads",
        paramLabel = "N",
        defaultValue = "1",
        description =
            "Datagram channels bound to the port with SO_REUSEPORT, each on its own event loop"
                + " with its own codec (> 1 needs --transport epoll or io_uring). Default:"
                + " ${DEFAULT-VALUE}.")
    int threads;

    @Option(
        names = "--read-coalescing",
        paramLabel = "DURATION",
        defaultValue = "0",
        converter = Converters.Time.class,
        description =
            "Read coalescing (e.g. 1ms, 500us; 0: off): after a burst of two or more datagrams"
                + " that drained the socket, pause reading for up to this long, so that one"
                + " wake-up reads many datagrams: less CPU per message under load for at most"
                + " this much added latency. See KcpCodecBuilder.readCoalescing. Default:"
                + " ${DEFAULT-VALUE} (off).")
    Duration readCoalescing;

    @Option(
        names = "--drop-summary",
        paramLabel = "DURATION",
        defaultValue = "10s",
        converter = Converters.Time.class,
        description =
            "How often to print what was dropped or failed (one line per cause, only when"
                + " something was). Default: ${DEFAULT-VALUE}.")
    Duration dropSummary;

    @Option(names = "--fec", paramLabel = "D/P", defaultValue = "off", description = FEC_HELP)
    String fec;

    @Option(names = "--crypt", paramLabel = "METHOD", description = CRYPT_HELP)
    String crypt;

    @Option(names = "--key", paramLabel = "PASSPHRASE", description = KEY_HELP)
    String key;

    @Option(names = "--psk", paramLabel = "KEY", description = PSK_HELP)
    String psk;

    @Option(names = "--server-key", paramLabel = "KEY", description = SERVER_KEY_HELP)
    String serverKey;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (dropSummary.isZero() || dropSummary.isNegative()) {
        throw CommandError.usage("--drop-summary must be above 0", null);
      }
      PerfTransport t = PerfTransport.select(transport);
      if (busyPoll) {
        t = t.withBusyPolling();
      }
      KcpConfig config = mode(mode);
      PerfLayers plain = layers(fec, crypt, key);
      byte[] pskBytes = KeyOption.psk(psk);
      byte[] serverKeyBytes = KeyOption.serverKey(serverKey);
      PerfLayers layers = secure(() -> plain.withPsk(pskBytes).withServerKey(serverKeyBytes));
      try (PerfServer server =
          new PerfServer(listen, config, maxSessions, t, threads, readCoalescing, layers)) {
        server.reportDrops(
            dropSummary,
            line -> {
              err.println("kcpj perf server: " + line);
              err.flush();
            });
        out.println(
            "kcpj perf server listening on "
                + server.localAddress()
                + " mode "
                + mode
                + " transport "
                + t.description()
                + " threads "
                + threads
                + " read-coalescing "
                + readCoalescing
                + " layers "
                + layers.describe());
        if (layers.serverKey() != null) {
          out.println(
              "kcpj perf server public key (clients: --pin) "
                  + java.util.HexFormat.of().formatHex(layers.serverPublicKey()));
        }
        out.flush();
        new CountDownLatch(1).await(); // until the process is stopped
      }
      return 0;
    }
  }

  /** {@code kcpj perf client}: runs one measurement and prints it. */
  @Command(
      name = "client",
      mixinStandardHelpOptions = true,
      description = {
        "Run a measurement against a perf server, or against any KCP echo server (then with"
            + " client-side figures only, as the output says).",
        "It first checks that the server answers (--connect-timeout): an unknown host, a refused"
            + " port or no answer ends the run with one line and exit status 1 (2 for an unknown"
            + " host)."
      },
      footerHeading = "%nValues:%n",
      footer = {KcpjCommand.SIZES, KcpjCommand.DURATIONS, KcpjCommand.KCP_SPECS})
  static final class Client implements Callable<Integer> {
    @Option(
        names = "--connect",
        required = true,
        paramLabel = "HOST:PORT",
        converter = Converters.HostPort.class,
        description = "The server's address (required).")
    InetSocketAddress connect;

    @Option(
        names = "--sessions",
        paramLabel = "N",
        defaultValue = "1",
        description = "Load sessions, each sending at --rate. Default: ${DEFAULT-VALUE}.")
    int sessions;

    @Option(
        names = "--sockets",
        paramLabel = "N",
        defaultValue = "0",
        description =
            "Client UDP sockets the sessions share (0: one per session). Default:"
                + " ${DEFAULT-VALUE}.")
    int sockets;

    @Option(
        names = "--threads",
        paramLabel = "N",
        defaultValue = "1",
        description = "Client event loops. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
        names = "--rate",
        paramLabel = "HZ",
        defaultValue = "20",
        description = "Messages per second per session. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
        names = "--size",
        paramLabel = "SIZE",
        defaultValue = "100",
        converter = Converters.IntSize.class,
        description =
            "Message size (at least "
                + PerfProtocol.HEADER
                + " bytes). Default: ${DEFAULT-VALUE} bytes (1376 with --bulk).")
    int size;

    @Option(
        names = "--duration",
        paramLabel = "DURATION",
        defaultValue = "30s",
        converter = Converters.Time.class,
        description = "The measured window. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(
        names = "--warmup",
        paramLabel = "DURATION",
        defaultValue = "3s",
        converter = Converters.Time.class,
        description =
            "Unmeasured sending before the window, at --warmup-rate. Default: ${DEFAULT-VALUE}.")
    Duration warmup;

    @Option(
        names = "--warmup-rate",
        paramLabel = "HZ",
        defaultValue = "0",
        description =
            "Messages per second per session during the warm-up (0: the --rate). A higher rate"
                + " lets a server's JIT compile its hot paths before a slow workload is measured;"
                + " the warm-up is never measured. Default: ${DEFAULT-VALUE}.")
    double warmupRate;

    @Option(
        names = "--settle",
        paramLabel = "DURATION",
        defaultValue = "0s",
        converter = Converters.Time.class,
        description =
            "Time at the measured --rate after the warm-up and before the measured window (not"
                + " measured). After a fast --warmup-rate it lets a server's JIT adapt to the"
                + " slower pattern (recompiles, idle-timer paths) before the window opens; at"
                + " a few tens of messages per second that takes minutes (240s measured the"
                + " steady state of 20 Hz). Default: ${DEFAULT-VALUE}.")
    Duration settle;

    @Option(
        names = "--mode",
        paramLabel = "SPEC",
        defaultValue = "fast",
        description =
            "KCP settings: a preset and key=value pairs, e.g. fast,wnd=256 (configure the server"
                + " alike). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(
        names = "--conv",
        paramLabel = "N",
        defaultValue = "0",
        description =
            "Conv of every session (0: random per session). Sessions on different sockets may"
                + " share one conv. Default: ${DEFAULT-VALUE}.")
    int conv;

    @Option(
        names = "--transport",
        paramLabel = "NAME",
        defaultValue = "nio",
        description = TRANSPORTS)
    String transport;

    @Option(names = "--busy-poll", description = BUSY_POLL)
    boolean busyPoll;

    @Option(
        names = "--connect-timeout",
        paramLabel = "DURATION",
        defaultValue = "5s",
        converter = Converters.Time.class,
        description =
            "How long to wait for the server's first answer before giving up. Default:"
                + " ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(
        names = "--protocol",
        paramLabel = "NAME",
        defaultValue = "kcp",
        description =
            "What carries the messages: kcp, or udp (plain datagrams without KCP through the same"
                + " client and server paths: the floor kcpj adds to; a kcpj perf server answers"
                + " both). Default: ${DEFAULT-VALUE}.")
    String protocol;

    @Option(
        names = "--floor",
        description =
            "Measure the raw-UDP floor in the same window: each KCP session gets a raw twin on"
                + " its own socket, half a period apart; reports both (floor_* values,"
                + " excess_p50_ms, p99_over_floor). The server's CPU figures then cover both."
                + " Meant for thin streams (it doubles the offered load).")
    boolean floor;

    @Option(names = "--bulk", description = "Measure the goodput of one session instead.")
    boolean bulk;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--fec", paramLabel = "D/P", defaultValue = "off", description = FEC_HELP)
    String fec;

    @Option(names = "--crypt", paramLabel = "METHOD", description = CRYPT_HELP)
    String crypt;

    @Option(names = "--key", paramLabel = "PASSPHRASE", description = KEY_HELP)
    String key;

    @Option(names = "--psk", paramLabel = "KEY", description = PSK_HELP)
    String psk;

    @Option(names = "--pin", paramLabel = "KEY", description = PIN_HELP)
    String pin;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (size < PerfProtocol.HEADER) {
        throw CommandError.usage(
            "--size must be at least " + PerfProtocol.HEADER + " bytes, got " + size, null);
      }
      if (warmupRate < 0 || Double.isNaN(warmupRate)) {
        throw CommandError.usage("--warmup-rate must be >= 0, got " + warmupRate, null);
      }
      if (connectTimeout.isZero() || connectTimeout.isNegative()) {
        throw CommandError.usage("--connect-timeout must be above 0", null);
      }
      PerfClient.Protocol carrier;
      switch (protocol) {
        case "kcp":
          carrier = PerfClient.Protocol.KCP;
          break;
        case "udp":
          carrier = PerfClient.Protocol.UDP;
          break;
        default:
          throw CommandError.usage("--protocol must be kcp or udp, got '" + protocol + "'", null);
      }
      if (bulk && (floor || carrier != PerfClient.Protocol.KCP)) {
        throw CommandError.usage("--bulk measures KCP only: no --floor, no --protocol udp", null);
      }
      if (floor && carrier != PerfClient.Protocol.KCP) {
        throw CommandError.usage("--floor runs both protocols: leave --protocol out", null);
      }
      int n = bulk ? 1 : sessions;
      PerfLayers plain = layers(fec, crypt, key);
      byte[] pskBytes = KeyOption.psk(psk);
      byte[] pinBytes = KeyOption.pin(pin);
      PerfLayers layers = secure(() -> plain.withPsk(pskBytes).withPin(pinBytes));
      PerfClient.Settings settings =
          new PerfClient.Settings(
              connect,
              n,
              sockets <= 0 ? n : Math.min(sockets, n),
              threads,
              rate,
              bulk && size == 100 ? 1376 : size,
              duration,
              warmup,
              mode(mode),
              bulk,
              conv,
              transport,
              warmupRate > 0 ? warmupRate : rate,
              settle,
              connectTimeout);
      PerfResult result =
          new PerfClient(settings, carrier, floor).layers(layers).busyPolling(busyPoll).run();
      PrintWriter out = spec.commandLine().getOut();
      out.print(json ? result.toJson() + System.lineSeparator() : result.toTable());
      out.flush();
      return 0;
    }
  }
}
