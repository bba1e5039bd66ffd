import io.kcpj.netem.Direction;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.timeline.Rebind;
import io.kcpj.netem.tun.NetemPaths;
import io.kcpj.netem.tun.PacketPath;
import io.kcpj.netem.tun.PacketSink;
import io.kcpj.netem.tun.Side;
import io.kcpj.netem.tun.TunBridge;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The failure matrix over netem-sim's TUN bridge: the client in network namespace A (this JVM, on
 * threads that entered it), the server in namespace B (a process of its own), every IP packet
 * between them carried by the bridge through one netem-sim link with 20 ms each way and nothing
 * else. One run per transport and failure: a secure kcpj session or plain KCP (the client and
 * server of {@code tools/kcp-failure-matrix}, which this class is compiled with), or kernel TCP
 * with default Java socket options (the stream of {@code tools/tcp-failure-matrix}), all on the
 * same path.
 *
 * <pre>
 * javac -d target/bfm -cp bench/target/kcpj.jar tools/kcp-failure-matrix/KcpFailureMatrix.java \
 *     tools/bridge-failure-matrix/BridgeFailureMatrix.java
 * java -cp bench/target/kcpj.jar:target/bfm BridgeFailureMatrix run secure|plain|tcp SCENARIO
 * </pre>
 *
 * Needs root (the bridge's namespaces and TUN devices). Each run makes a bridge of its own
 * (namespaces {@code kcpj-bfm-<pid>-…}), so runs may overlap; {@code run.sh} runs them all. The
 * failures are {@link KcpFailureMatrix.Failure}'s, on the bridge: the profile's timeline makes the
 * blackouts, the partition and the vanished hosts (the link drops every packet both ways); a
 * {@code SERVER_KILLED_HOST_UP} kill leaves the path up, so the server's kernel answers (TCP: FIN
 * or RST; UDP: ICMP port unreachable). netem-sim's links ignore a timeline's rebinding events (only
 * its virtual network and its UDP proxy act on them), so {@link Nat} does it here: from the
 * rebinding's time the client's TCP and UDP source ports are translated to new ones, what comes
 * back to a new port is translated back, and what comes back to an old port is dropped (the old
 * binding is gone), as the virtual model does.
 *
 * <p>Prints one line per run: the transport, the scenario and the cell, "client: ...; server:
 * ...", in the existing tables' words, then in braces the defaults in force and what the bridge saw
 * cross it after t0 (FIN, RST, ICMP from the server's side).
 */
public final class BridgeFailureMatrix {
  static final String MACHINE_ID = "02:6b:63:70:6a:02";
  static final long MS = 1_000_000;

  public static void main(String[] args) throws Exception {
    // the namespaces have no hardware address for Netty's channel ids: give it one
    System.setProperty("io.netty.machineId", MACHINE_ID);
    if (args.length == 1 && args[0].equals("check")) {
      System.out.println(Nat.check(100_000, 42));
      return;
    }
    if (args.length == 3 && args[0].equals("tcpserve")) {
      TcpServer.run(args[1], Integer.parseInt(args[2]));
      return;
    }
    if (args.length != 3 || !args[0].equals("run") || !List.of("secure", "plain", "tcp").contains(args[1])) {
      System.err.println(
          "usage: BridgeFailureMatrix run secure|plain|tcp "
              + Arrays.toString(KcpFailureMatrix.Failure.values()));
      System.exit(2);
    }
    KcpFailureMatrix.Failure f = KcpFailureMatrix.Failure.valueOf(args[2]);
    if (args[1].equals("tcp") && f == KcpFailureMatrix.Failure.SERVER_KILLED_CONNECTED) {
      System.err.println("SERVER_KILLED_CONNECTED is a UDP variant; TCP is always connected");
      System.exit(2);
    }
    long start = System.nanoTime();
    String cell;
    Bridged net = new Bridged();
    try {
      if (args[1].equals("tcp")) {
        cell = net.bridge.callInNamespace(Side.A, () -> new TcpRun(f, net).play());
      } else {
        boolean secure = args[1].equals("secure");
        cell =
            net.bridge.callInNamespace(
                Side.A, () -> new KcpFailureMatrix.Run(secure, f, net).play());
      }
    } finally {
      net.close();
    }
    System.out.printf(
        Locale.ROOT,
        "%-6s %-23s %s {bridge after t0: %s}  [wall %.0f s]%n",
        args[1],
        f,
        cell,
        net.nat.seen(),
        (System.nanoTime() - start) / 1e9);
    System.exit(0);
  }

  // ------------------------------------------------------------------------------- the bridge

  /**
   * The TUN bridge as a run's path: namespaces A (client, 192.0.2.1) and B (server, 192.0.2.2),
   * one netem-sim link for all packets ({@link NetemPaths} without per-flow links), wrapped by a
   * {@link Nat}. Started when made; {@link #startPath} sets the run's profile, whose timeline counts
   * from then.
   */
  static final class Bridged implements KcpFailureMatrix.Net {
    final NetemPaths paths;
    final Nat nat;
    final TunBridge bridge;
    volatile long origin;

    Bridged() {
      paths =
          NetemPaths.create(
              KcpFailureMatrix.profile(KcpFailureMatrix.Failure.SERVER_KILLED_HOST_UP), 1, false);
      nat = new Nat(paths.aToB(), paths.bToA());
      bridge =
          TunBridge.builder()
              .namespacePrefix("kcpj-bfm-")
              .pathAtoB(nat.up)
              .pathBtoA(nat.down)
              .build()
              .start();
    }

    @Override
    public List<String> serverLauncher() {
      return bridge
          .command(
              Side.B,
              ProcessHandle.current().info().command().orElse("java"),
              "-Dkfm.host=" + serverHost(),
              "-Dio.netty.machineId=" + MACHINE_ID)
          .command();
    }

    @Override
    public String serverHost() {
      return bridge.addressB().getHostAddress();
    }

    @Override
    public InetSocketAddress clientBind() {
      return new InetSocketAddress(bridge.addressA(), 0);
    }

    @Override
    public InetSocketAddress startPath(
        KcpFailureMatrix.Failure failure, Profile profile, InetSocketAddress server) {
      long before = System.nanoTime();
      paths.setProfile(profile, 1); // its timeline's time 0 is now (within microseconds)
      origin = before;
      nat.arm(profile.timeline().rebinds(Direction.A_TO_B), before);
      return server;
    }

    @Override
    public long originNanos() {
      return origin;
    }

    @Override
    public boolean timed(KcpFailureMatrix.Failure failure) {
      return true; // the path is always the bridge's; every t0 is the timeline's
    }

    @Override
    public String summary() {
      return ", bridge " + bridge.traffic();
    }

    @Override
    public void close() {
      bridge.close();
    }
  }

  /**
   * A NAT in front of side A, for the timeline's up rebindings, and a witness of what crosses the
   * bridge after t0. From a rebinding's time on, the source port of each TCP or UDP packet from A
   * is translated to a new outside port (a new one per rebinding), with the transport checksum
   * updated; packets from B to an outside port get the inside port back, packets from B to a port
   * with no current binding are dropped. Runs on the bridge thread only (both paths' calls come
   * from it), except {@link #arm} and {@link #seen}.
   */
  static final class Nat {
    final PacketPath up;
    final PacketPath down;
    volatile long[] rebindAt = {};
    volatile long watchFrom = Long.MAX_VALUE;
    int epoch;
    final Map<Integer, Integer> outsideToInside = new HashMap<>();
    final Map<Integer, Integer> insideToOutside = new HashMap<>();
    // what B's side sent after t0 (bridge thread writes, seen() reads after the bridge stopped)
    final long[] first = {-1, -1, -1, -1};
    final int[] count = new int[4];
    static final int FIN = 0;
    static final int RST = 1;
    static final int ICMP = 2;
    static final int DROPPED = 3;

    Nat(PacketPath aToB, PacketPath bToA) {
      up =
          new PacketPath() {
            @Override
            public void offer(byte[] p, int length, long now, PacketSink sink) {
              translateUp(p, length, now);
              aToB.offer(p, length, now, sink);
            }

            @Override
            public long nextDueNanos() {
              return aToB.nextDueNanos();
            }

            @Override
            public void runDue(long now, PacketSink sink) {
              aToB.runDue(now, sink);
            }
          };
      down =
          new PacketPath() {
            @Override
            public void offer(byte[] p, int length, long now, PacketSink sink) {
              watch(p, length, now);
              if (translateDown(p, length, now)) {
                bToA.offer(p, length, now, sink);
              }
            }

            @Override
            public long nextDueNanos() {
              return bToA.nextDueNanos();
            }

            @Override
            public void runDue(long now, PacketSink sink) {
              bToA.runDue(now, sink);
            }
          };
    }

    /** The rebinding times (timeline nanos from {@code origin}); t0 is the watch's start. */
    void arm(List<Rebind> rebinds, long origin) {
      long[] at = new long[rebinds.size()];
      for (int i = 0; i < at.length; i++) {
        at[i] = origin + rebinds.get(i).atNanos();
      }
      watchFrom = origin + KcpFailureMatrix.WARM_UP_MS * MS;
      rebindAt = at;
    }

    private int epochAt(long now) {
      int n = 0;
      for (long at : rebindAt) {
        n += now - at >= 0 ? 1 : 0;
      }
      return n;
    }

    private void translateUp(byte[] p, int length, long now) {
      int e = epochAt(now);
      if (e == 0 || transportHeader(p, length) < 0) {
        return;
      }
      if (e != epoch) { // every old binding is gone
        epoch = e;
        outsideToInside.clear();
        insideToOutside.clear();
      }
      int h = transportHeader(p, length);
      int inside = u16(p, h);
      Integer outside = insideToOutside.get(inside);
      if (outside == null) {
        outside = 1024 + (inside - 1024 + 7919 * epoch) % (65536 - 1024);
        insideToOutside.put(inside, outside);
        outsideToInside.put(outside, inside);
      }
      rewritePort(p, h, 0, outside);
    }

    /** False: drop (addressed to a binding that is gone). */
    private boolean translateDown(byte[] p, int length, long now) {
      if (epochAt(now) == 0) {
        return true;
      }
      int h = transportHeader(p, length);
      if (h < 0) {
        return true;
      }
      Integer inside = outsideToInside.get(u16(p, h + 2));
      if (inside == null) {
        note(DROPPED, now);
        return false;
      }
      rewritePort(p, h, 2, inside);
      return true;
    }

    private void watch(byte[] p, int length, long now) {
      if (now - watchFrom < 0 || length < 20 || (p[0] >> 4 & 0xf) != 4) {
        return;
      }
      int proto = p[9] & 0xff;
      if (proto == 1) {
        note(ICMP, now);
      } else if (proto == 6) {
        int h = transportHeader(p, length);
        if (h >= 0 && length >= h + 14) {
          int flags = p[h + 13];
          if ((flags & 0x01) != 0) {
            note(FIN, now);
          }
          if ((flags & 0x04) != 0) {
            note(RST, now);
          }
        }
      }
    }

    private void note(int what, long now) {
      if (count[what]++ == 0) {
        first[what] = now;
      }
    }

    /** What B's side sent after t0 and what the NAT dropped, in words. */
    String seen() {
      String[] names = {
        "FIN from the server's side",
        "RST from the server's side",
        "ICMP from the server's side",
        "packets to a gone NAT binding dropped"
      };
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        if (count[i] > 0) {
          parts.add(
              count[i]
                  + " "
                  + names[i]
                  + " (first "
                  + KcpFailureMatrix.time((first[i] - watchFrom) / MS)
                  + ")");
        }
      }
      return parts.isEmpty() ? "no FIN, RST or ICMP" : String.join(", ", parts);
    }

    /** Offset of the TCP or UDP header of an unfragmented-enough IPv4 packet, or -1. */
    static int transportHeader(byte[] p, int length) {
      if (length < 20 || (p[0] >> 4 & 0xf) != 4) {
        return -1;
      }
      int proto = p[9] & 0xff;
      int ihl = (p[0] & 0xf) * 4;
      int fragmentOffset = (p[6] & 0x1f) << 8 | (p[7] & 0xff);
      int need = proto == 6 ? 20 : 8;
      if ((proto != 6 && proto != 17) || fragmentOffset != 0 || length < ihl + need) {
        return -1;
      }
      return ihl;
    }

    /**
     * Sets the port at {@code h + at} (0: source, 2: destination) and updates the transport
     * checksum incrementally (RFC 1624); a UDP checksum of 0 (none) stays 0.
     */
    static void rewritePort(byte[] p, int h, int at, int port) {
      int old = u16(p, h + at);
      put16(p, h + at, port);
      int sumAt = h + ((p[9] & 0xff) == 6 ? 16 : 6);
      int sum = u16(p, sumAt);
      if ((p[9] & 0xff) == 17 && sum == 0) {
        return;
      }
      int s = (~sum & 0xffff) + (~old & 0xffff) + port;
      s = (s & 0xffff) + (s >>> 16);
      s = (s & 0xffff) + (s >>> 16);
      int updated = ~s & 0xffff;
      put16(p, sumAt, (p[9] & 0xff) == 17 && updated == 0 ? 0xffff : updated);
    }

    /**
     * The NAT's checksum update against a full recomputation: {@code n} random IPv4 TCP and UDP
     * packets (seeded) with correct checksums get a random new source or destination port; the
     * updated checksum must equal the recomputed one. Throws on the first difference.
     */
    static String check(int n, long seed) {
      java.util.Random r = new java.util.Random(seed);
      for (int i = 0; i < n; i++) {
        boolean tcp = r.nextBoolean();
        int h = 20;
        byte[] p = new byte[h + (tcp ? 20 : 8) + r.nextInt(64)];
        r.nextBytes(p);
        p[0] = 0x45;
        p[6] = 0;
        p[7] = 0;
        p[9] = (byte) (tcp ? 6 : 17);
        int sumAt = h + (tcp ? 16 : 6);
        put16(p, sumAt, 0);
        put16(p, sumAt, transportChecksum(p, h));
        if (!tcp && u16(p, sumAt) == 0) {
          put16(p, sumAt, 0xffff);
        }
        rewritePort(p, h, r.nextBoolean() ? 0 : 2, r.nextInt(65536));
        int carried = u16(p, sumAt);
        put16(p, sumAt, 0);
        int full = transportChecksum(p, h);
        if (!tcp && full == 0) {
          full = 0xffff;
        }
        if (carried != full && !(carried == 0xffff && full == 0) && !(carried == 0 && full == 0xffff)) {
          throw new IllegalStateException(
              "packet " + i + ": updated checksum " + carried + ", recomputed " + full);
        }
      }
      return n + " random TCP/UDP port rewrites: updated checksums equal recomputed ones";
    }

    /** The TCP or UDP checksum of {@code p} (pseudo-header included), its field taken as is. */
    static int transportChecksum(byte[] p, int h) {
      long sum = 0;
      for (int i = 12; i < 20; i += 2) {
        sum += u16(p, i); // source and destination addresses
      }
      sum += p[9] & 0xff;
      sum += p.length - h;
      for (int i = h; i < p.length; i += 2) {
        sum += i + 1 < p.length ? u16(p, i) : (p[i] & 0xff) << 8;
      }
      while (sum >> 16 != 0) {
        sum = (sum & 0xffff) + (sum >> 16);
      }
      return (int) (~sum & 0xffff);
    }

    static int u16(byte[] p, int at) {
      return (p[at] & 0xff) << 8 | (p[at + 1] & 0xff);
    }

    static void put16(byte[] p, int at, int v) {
      p[at] = (byte) (v >> 8);
      p[at + 1] = (byte) v;
    }
  }

  // ------------------------------------------------------------------------------ kernel TCP

  /**
   * The TCP server process (in namespace B): echoes each connection 8 bytes at a time, prints
   * "PORT port nanos" once listening and "EV nanos what" when a connection opens or its read ends.
   * With {@code standby} it loads, then waits for "bind" on stdin before listening (a restart).
   */
  static final class TcpServer {
    static void run(String host, int port) throws Exception {
      PrintStream out = System.out;
      boolean standby = port < 0;
      if (standby) {
        out.println("STANDBY");
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        port = Integer.parseInt(line.substring(5)); // "bind PORT"
      }
      ServerSocket listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      out.println("PORT " + listener.getLocalPort() + " " + System.nanoTime());
      while (true) {
        Socket c = listener.accept();
        out.println("EV " + System.nanoTime() + " open");
        Thread t =
            new Thread(
                () -> {
                  try (c) {
                    InputStream in = c.getInputStream();
                    OutputStream o = c.getOutputStream();
                    byte[] b = new byte[8];
                    while (true) {
                      if (in.readNBytes(b, 0, 8) < 8) {
                        out.println("EV " + System.nanoTime() + " read sees EOF");
                        return;
                      }
                      o.write(b);
                      o.flush();
                    }
                  } catch (IOException e) {
                    out.println(
                        "EV " + System.nanoTime() + " read throws \"" + e.getMessage() + "\"");
                  }
                });
        t.setDaemon(true);
        t.start();
      }
    }
  }

  /** A TCP server process seen from the runner. */
  static final class TcpServerProcess {
    final Process process;
    final PrintStream stdin;
    final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    final List<String> events = new ArrayList<>(); // "nanos what", guarded by this

    TcpServerProcess(Bridged net, boolean standby) throws IOException {
      List<String> cmd = new ArrayList<>(net.serverLauncher());
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              "-Xmx64m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "BridgeFailureMatrix",
              "tcpserve",
              net.serverHost(),
              standby ? "-1" : "0"));
      process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
      Thread reader = new Thread(this::read, "tcp-server-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    void read() {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("EV ")) {
            synchronized (this) {
              events.add(line.substring(3));
            }
          } else {
            replies.add(line);
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
      replies.add("EOF");
    }

    String await(String prefix) throws InterruptedException {
      String line = replies.poll(60, TimeUnit.SECONDS);
      if (line == null || !line.startsWith(prefix)) {
        throw new IllegalStateException("TCP server said " + line + ", expected " + prefix);
      }
      return line;
    }

    /** Events at or after t0, "what after time"; a new connection is "new connection". */
    synchronized List<String> notesSince(long t0) {
      List<String> notes = new ArrayList<>();
      for (String e : events) {
        int sp = e.indexOf(' ');
        long at = Long.parseLong(e.substring(0, sp));
        String what = e.substring(sp + 1);
        if (at - t0 >= 0) {
          notes.add(
              (what.equals("open") ? "new connection" : what)
                  + " after "
                  + KcpFailureMatrix.time((at - t0) / MS));
        }
      }
      return notes;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL (ip netns exec execs java: this is the JVM)
      process.waitFor();
    }
  }

  /**
   * One kernel-TCP run: a client in namespace A sending one 8-byte request every 50 ms (a writer
   * thread) and reading the echoes (a reader thread), default socket options, the server process
   * in B, the failure at t0 (20 s into the path's timeline).
   */
  static final class TcpRun {
    final KcpFailureMatrix.Failure failure;
    final Bridged net;
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger echoed = new AtomicInteger();
    final List<String> notes = new ArrayList<>(); // guarded by this
    volatile boolean sending = true;
    volatile long t0 = Long.MAX_VALUE;
    volatile long sentAtT0 = Long.MAX_VALUE;
    volatile long healedAt = Long.MAX_VALUE;
    volatile long firstEchoAfterHeal = -1;
    volatile long clientErrorAt = -1;

    TcpRun(KcpFailureMatrix.Failure failure, Bridged net) {
      this.failure = failure;
      this.net = net;
    }

    synchronized void note(String what) {
      long now = System.nanoTime();
      if (clientErrorAt < 0) {
        clientErrorAt = now;
      }
      notes.add(what + " after " + KcpFailureMatrix.time((now - t0) / MS));
    }

    /** How long the run watches after t0 at most. */
    long horizonMs() {
      return switch (failure) {
        // a vanished host, or a server whose echoes go to a gone NAT binding: tcp_retries2 decides
        // (15: about 925 s after the first retransmission)
        case SERVER_KILLED, NAT_REBINDING -> 1_100_000;
        case CLIENT_VANISHED -> 120_000; // as tools/tcp-failure-matrix
        case SERVER_KILLED_HOST_UP, SERVER_RESTARTED -> 5_000; // idem
        default -> failure.outageMs + 150_000;
      };
    }

    String play() throws Exception {
      TcpServerProcess server = new TcpServerProcess(net, false);
      int port = Integer.parseInt(server.await("PORT ").split(" ")[1]);
      TcpServerProcess standby = null;
      if (failure == KcpFailureMatrix.Failure.SERVER_RESTARTED) {
        standby = new TcpServerProcess(net, true);
        standby.await("STANDBY");
      }
      String restartGap = "";
      try {
        InetSocketAddress address = new InetSocketAddress(net.serverHost(), port);
        net.startPath(failure, KcpFailureMatrix.profile(failure), address);
        Socket s = new Socket(); // created now, on this thread: in namespace A
        s.connect(address, 10_000);
        Thread reader = new Thread(() -> read(s), "tcp-reader");
        reader.setDaemon(true);
        reader.start();
        Thread writer = new Thread(() -> write(s), "tcp-writer");
        writer.setDaemon(true);
        writer.start();
        long t0Planned = net.originNanos() + KcpFailureMatrix.WARM_UP_MS * MS;
        KcpFailureMatrix.sleepUntil(t0Planned - 200 * MS);
        if (sent.get() < 20 || sent.get() - echoed.get() > 3) {
          throw new IllegalStateException(
              "not steady before the failure: sent " + sent + ", echoed " + echoed);
        }
        KcpFailureMatrix.sleepUntil(t0Planned);
        t0 = t0Planned;
        healedAt = t0 + failure.outageMs * MS;
        sentAtT0 = sent.get();
        int echoedAtT0 = echoed.get();
        boolean serverAlive = true;
        switch (failure) {
          case SERVER_KILLED, SERVER_KILLED_HOST_UP -> {
            server.kill();
            serverAlive = false;
          }
          case SERVER_RESTARTED -> {
            server.kill();
            server = standby;
            standby = null;
            server.stdin.println("bind " + port);
            long boundAt = Long.parseLong(server.await("PORT ").split(" ")[2]);
            restartGap =
                "new server listening "
                    + KcpFailureMatrix.time((boundAt - t0) / MS)
                    + " after the kill";
          }
          case CLIENT_VANISHED -> sending = false; // its host is gone: the link drops the rest
          default -> {}
        }
        long deadline = t0 + horizonMs() * MS;
        boolean fixed =
            failure == KcpFailureMatrix.Failure.SERVER_KILLED_HOST_UP
                || failure == KcpFailureMatrix.Failure.SERVER_RESTARTED
                || failure == KcpFailureMatrix.Failure.CLIENT_VANISHED;
        final TcpServerProcess current = server;
        final boolean alive = serverAlive;
        while (System.nanoTime() - deadline < 0) {
          Thread.sleep(20);
          long now = System.nanoTime();
          boolean serverDone = !alive || !current.notesSince(t0).isEmpty();
          if (!fixed && clientErrorAt >= 0 && now - clientErrorAt > 5_000 * MS && serverDone) {
            break; // both know; 5 s more for a write error to follow a read's
          }
          if (firstEchoAfterHeal >= 0 && now - firstEchoAfterHeal > 2_000 * MS) {
            break;
          }
        }
        sending = false;
        Thread.sleep(1_000);
        StringBuilder c = new StringBuilder("client: ");
        if (failure == KcpFailureMatrix.Failure.CLIENT_VANISHED) {
          c.append("gone");
        } else {
          synchronized (this) {
            c.append(notes.isEmpty() ? "no error" : String.join(", ", notes));
          }
          if (firstEchoAfterHeal >= 0) {
            long from = failure.outageMs > 0 ? healedAt : t0;
            c.append(", echoes resume ")
                .append(KcpFailureMatrix.time((firstEchoAfterHeal - from) / MS))
                .append(failure.outageMs > 0 ? " after the heal" : " after the change");
          }
          c.append(", ")
              .append(sent.get() - echoed.get())
              .append(" of ")
              .append(sent.get() - echoedAtT0)
              .append(" requests unanswered");
        }
        c.append("; server: ");
        if (!serverAlive) {
          c.append("gone");
        } else {
          List<String> seen = server.notesSince(t0);
          c.append(
              seen.isEmpty()
                  ? failure == KcpFailureMatrix.Failure.SERVER_RESTARTED
                      ? "no connection"
                      : "nothing in "
                          + KcpFailureMatrix.time((System.nanoTime() - t0) / MS)
                          + " watched"
                  : String.join(", ", seen));
        }
        s.close();
        return c
            + " {"
            + defaults()
            + (restartGap.isEmpty() ? "" : "; " + restartGap)
            + "; sent "
            + (sent.get() - sentAtT0)
            + " after t0}";
      } finally {
        sending = false;
        server.process.destroyForcibly();
        if (standby != null) {
          standby.process.destroyForcibly();
        }
        net.close();
      }
    }

    void read(Socket s) {
      try {
        DataInputStream in = new DataInputStream(s.getInputStream());
        while (true) {
          long seq = in.readLong(); // the stream is in order: the echo of request seq
          echoed.incrementAndGet();
          long now = System.nanoTime();
          if (firstEchoAfterHeal < 0 && seq > sentAtT0 && now - healedAt >= 0) {
            firstEchoAfterHeal = now;
          }
        }
      } catch (java.io.EOFException e) {
        if (sending) {
          note("read sees EOF (FIN)");
        }
      } catch (IOException e) {
        if (sending) {
          note("read throws \"" + e.getMessage() + "\"");
        }
      }
    }

    void write(Socket s) {
      try {
        OutputStream out = s.getOutputStream();
        while (sending) {
          out.write(ByteBuffer.allocate(8).putLong(sent.incrementAndGet()).array());
          out.flush();
          Thread.sleep(KcpFailureMatrix.PERIOD_MS);
        }
      } catch (IOException e) {
        if (sending) {
          note("write throws \"" + e.getMessage() + "\"");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** The kernel settings of namespace A that decide the TCP rows (read from its /proc). */
    static String defaults() {
      return "client namespace: tcp_retries2 "
          + sysctl("tcp_retries2")
          + ", tcp_keepalive_time "
          + sysctl("tcp_keepalive_time")
          + " s, congestion control "
          + sysctl("tcp_congestion_control")
          + "; no SO_KEEPALIVE, Nagle on";
    }

    static String sysctl(String name) {
      try {
        // not Files.readString: on JDK 17 it trusts the size /proc reports and returns one byte
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/" + name))) {
          return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
      } catch (IOException e) {
        return "?";
      }
    }
  }
}
