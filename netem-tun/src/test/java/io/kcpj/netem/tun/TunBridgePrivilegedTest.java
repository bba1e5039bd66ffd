package io.kcpj.netem.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kcpj.netem.Direction;
import io.kcpj.netem.link.LinkStatsSnapshot;
import io.kcpj.netem.profile.Profile;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bridge with real kernel TCP and UDP. Needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN), JNA,
 * /dev/net/tun and iproute2; skipped with the reason otherwise. Our CI runs as root, so there these
 * tests run. Exclude them with {@code -DexcludedGroups=privileged}.
 *
 * <p>Sockets are created in the namespaces from this JVM via {@code setns} threads ({@link
 * TunBridge#callInNamespace}); the UDP echo server is a separate JVM started inside namespace B
 * with {@code ip netns exec}.
 */
@Tag("privileged")
class TunBridgePrivilegedTest {

  private static final String PREFIX = "kcpjtest-";
  private static final String INTERFACES = "kcpjt";
  private static final double LOSS = 0.02;
  private static final Duration DELAY = Duration.ofMillis(20);

  /** netem-sim's link: Bernoulli loss {@link #LOSS} and a constant {@link #DELAY}, each way. */
  private static final Profile LOSS_AND_DELAY =
      Profile.parse("delay=" + DELAY.toMillis() + "ms,loss=" + LOSS);

  /** Why the bridge cannot run here, if it cannot (checked once). */
  private static Optional<String> problem;

  @BeforeAll
  static void checkPrivileges() {
    problem = TunPreflight.problem();
  }

  @BeforeEach
  void requirePrivileges() {
    // per test, so every skipped test is reported with the reason
    assumeTrue(problem.isEmpty(), () -> "TUN bridge tests need root: " + problem.orElse(""));
  }

  @AfterEach
  void nothingLeftBehind() {
    if (problem.isPresent()) {
      return;
    }
    assertEquals(List.of(), namespacesWithPrefix(), "namespaces with our prefix after the test");
    assertEquals(
        List.of(), rootTunInterfaces(), "our TUN interfaces in the root namespace after the test");
  }

  private static TunBridge.Builder lab() {
    return TunBridge.builder().namespacePrefix(PREFIX).interfaceNameTemplate(INTERFACES + "%d");
  }

  // ---------------------------------------------------------------------------------------- TCP

  private record Received(long bytes, byte[] sha256) {}

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void tcpTransferOf10MiBWith2PercentLossAnd20msDelayEachWayArrivesIntact() throws Exception {
    int size = 10 << 20;
    byte[] data = new byte[size];
    new SplittableRandom(20_240_601L).nextBytes(data);
    byte[] expectedHash = sha256().digest(data);
    NetemPaths paths = NetemPaths.create(LOSS_AND_DELAY, 101, false);

    TunBridge bridge = lab().pathAtoB(paths.aToB()).pathBtoA(paths.bToA()).build().start();
    Duration took;
    String congestionControl;
    try (bridge) {
      congestionControl =
          bridge.callInNamespace(
              Side.A,
              () -> Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).strip());
      try (ServerSocket server =
          bridge.callInNamespace(Side.B, () -> new ServerSocket(0, 1, bridge.addressB()))) {
        FutureTask<Received> receiver =
            new FutureTask<>(
                () -> {
                  try (Socket peer = server.accept();
                      InputStream in = peer.getInputStream()) {
                    MessageDigest digest = sha256();
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                      digest.update(buffer, 0, n);
                      total += n;
                    }
                    return new Received(total, digest.digest());
                  }
                });
        startDaemon(receiver, "tcp-receiver");

        long start = System.nanoTime();
        try (Socket client =
            bridge.callInNamespace(
                Side.A,
                () -> {
                  Socket socket = new Socket();
                  socket.connect(
                      new InetSocketAddress(bridge.addressB(), server.getLocalPort()), 10_000);
                  return socket;
                })) {
          assertEquals(
              bridge.addressA(),
              client.getLocalAddress(),
              "the client socket lives in namespace A");
          OutputStream out = client.getOutputStream();
          for (int off = 0; off < size; off += 64 * 1024) {
            out.write(data, off, Math.min(64 * 1024, size - off));
          }
          client.shutdownOutput();
          Received received = receiver.get(100, TimeUnit.SECONDS);
          took = Duration.ofNanos(System.nanoTime() - start);
          assertEquals(size, received.bytes(), "bytes received");
          assertArrayEquals(expectedHash, received.sha256(), "SHA-256 of the received stream");
        }
      }
    }
    // the bridge is closed: its counters and the paths' counters are final and must agree
    TrafficSnapshot traffic = bridge.traffic();
    LinkStatsSnapshot aToB = paths.stats(Direction.A_TO_B);
    LinkStatsSnapshot bToA = paths.stats(Direction.B_TO_A);
    System.out.printf(
        "TUN TCP transfer: %d bytes in %d ms (%.1f Mbit/s), congestion control %s, "
            + "loss %.1f %% and delay %d ms each way%n"
            + "  path A->B: offered %d, lost %d (%.2f %%); path B->A: offered %d, lost %d (%.2f %%)%n  %s%n",
        size,
        took.toMillis(),
        size * 8.0 / took.toNanos() * 1e3,
        congestionControl,
        LOSS * 100,
        DELAY.toMillis(),
        aToB.offeredPackets(),
        aToB.droppedLoss(),
        100.0 * aToB.droppedLoss() / aToB.offeredPackets(),
        bToA.offeredPackets(),
        bToA.droppedLoss(),
        100.0 * bToA.droppedLoss() / bToA.offeredPackets(),
        traffic);

    assertTrue(
        took.compareTo(Duration.ofSeconds(60)) < 0,
        "transfer took "
            + took
            + " (Reno or CUBIC need about 35 s at 2 % loss and 40 ms RTT, BBR about 1 s)");
    for (Direction d : Direction.values()) {
      LinkStatsSnapshot path = paths.stats(d);
      assertEquals(
          path.offeredPackets(),
          traffic.offered(d).packets(),
          "bridge offered == path offered, " + d);
      assertEquals(
          path.deliveredPackets(),
          traffic.delivered(d).packets(),
          "bridge delivered == path delivered, " + d);
      assertEquals(path.droppedLoss(), path.dropped(), "only the loss model drops, " + d);
      assertEquals(0, traffic.writeErrors(d), "write errors " + d);
      assertEquals(
          0, traffic.ipv6PacketsOffered(d), "IPv6 is disabled, yet IPv6 packets crossed " + d);
      assertEquals(traffic.offered(d), traffic.offered(d, IpProtocol.TCP), "only TCP crossed " + d);
      assertWithinFiveSigma(LOSS, path.droppedLoss(), path.offeredPackets(), "path loss " + d);
    }
    TrafficCount sent = traffic.offered(Direction.A_TO_B, IpProtocol.TCP);
    assertTrue(
        sent.payloadBytes() > size,
        "retransmissions mean more payload on the wire than the data: " + sent);
    assertTrue(
        sent.headerBytes() >= 40L * sent.packets(),
        "IPv4 + TCP headers are at least 40 B each: " + sent);
    assertEquals(
        0, traffic.offered(Direction.B_TO_A, IpProtocol.TCP).payloadBytes(), "B only acknowledges");
  }

  // ---------------------------------------------------------------------------------------- UDP

  /** Distinct probe ids received back, with the time of the latest arrival. */
  private static final class Replies {
    private final BitSet ids = new BitSet();
    private long lastArrivalNanos;

    synchronized void arrived(int id) {
      ids.set(id);
      lastArrivalNanos = System.nanoTime();
      notifyAll();
    }

    synchronized int count() {
      return ids.cardinality();
    }

    /**
     * Waits until no reply has arrived for {@code quiet} (counting from {@code since}), at most
     * {@code max}.
     */
    synchronized void awaitQuiet(long sinceNanos, Duration quiet, Duration max)
        throws InterruptedException {
      lastArrivalNanos = Math.max(lastArrivalNanos, sinceNanos);
      long deadline = System.nanoTime() + max.toNanos();
      while (true) {
        long now = System.nanoTime();
        long quietFor = now - lastArrivalNanos;
        if (quietFor >= quiet.toNanos() || now - deadline >= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(quiet.toNanos() - quietFor, deadline - now));
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void udpEchoAcrossTheBridgeShowsTheConfiguredLoss() throws Exception {
    int probes = 4000;
    int probeBytes = 64;
    long intervalNanos = 500_000; // 2000 probes/s: far below any socket buffer limit
    NetemPaths paths = NetemPaths.create(LOSS_AND_DELAY, 201, false);
    File echoErrors = File.createTempFile("udp-echo", ".err");
    echoErrors.deleteOnExit();

    TunBridge bridge = lab().pathAtoB(paths.aToB()).pathBtoA(paths.bToA()).build().start();
    int received;
    long echoed;
    try (bridge) {
      Process echo =
          bridge
              .command(
                  Side.B,
                  javaExecutable(),
                  "-Xmx64m",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  UdpEchoServer.class.getName(),
                  bridge.addressB().getHostAddress())
              .redirectError(echoErrors)
              .start();
      try {
        BufferedReader echoOut =
            new BufferedReader(
                new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
        String ready = readLine(echoOut, Duration.ofSeconds(30), echoErrors);
        assertTrue(ready.startsWith("READY "), "echo server said: " + ready);
        int port = Integer.parseInt(ready.substring(6).strip());

        Replies replies = new Replies();
        try (DatagramChannel channel =
            bridge.callInNamespace(
                Side.A,
                () ->
                    DatagramChannel.open()
                        .bind(new InetSocketAddress(bridge.addressA(), 0))
                        .connect(new InetSocketAddress(bridge.addressB(), port)))) {
          startDaemon(
              () -> {
                ByteBuffer in = ByteBuffer.allocate(2048);
                try {
                  while (true) {
                    in.clear();
                    channel.read(in);
                    if (in.position() >= 4) {
                      replies.arrived(in.getInt(0));
                    }
                  }
                } catch (ClosedChannelException closed) {
                  // test over
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              },
              "udp-echo-receiver");

          ByteBuffer out = ByteBuffer.allocate(probeBytes);
          long start = System.nanoTime();
          for (int i = 0; i < probes; i++) {
            long due = start + i * intervalNanos;
            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
              LockSupport.parkNanos(wait); // pacing the sender, not synchronising
            }
            out.clear();
            out.putInt(0, i);
            channel.write(out);
          }
          replies.awaitQuiet(System.nanoTime(), Duration.ofMillis(500), Duration.ofSeconds(10));
          received = replies.count();
        }
        echo.getOutputStream().close(); // asks the echo server to report and exit
        String report = readLine(echoOut, Duration.ofSeconds(30), echoErrors);
        assertTrue(report.startsWith("ECHOED "), "echo server said: " + report);
        echoed = Long.parseLong(report.substring(7).strip());
        assertTrue(echo.waitFor(30, TimeUnit.SECONDS), "echo server exits");
      } finally {
        echo.destroyForcibly();
      }
    }
    TrafficSnapshot traffic = bridge.traffic();
    LinkStatsSnapshot aToB = paths.stats(Direction.A_TO_B);
    LinkStatsSnapshot bToA = paths.stats(Direction.B_TO_A);
    double expectedLoss = 1 - (1 - LOSS) * (1 - LOSS);
    double measuredLoss = 1 - (double) received / probes;
    System.out.printf(
        "TUN UDP echo: %d probes, %d echoed by B, %d came back: round-trip loss %.2f %% "
            + "(expected %.2f %% ± %.2f %% at 5 sigma); A->B loss %.2f %%, B->A loss %.2f %%%n  %s%n",
        probes,
        echoed,
        received,
        measuredLoss * 100,
        expectedLoss * 100,
        500 * Math.sqrt(expectedLoss * (1 - expectedLoss) / probes),
        100.0 * aToB.droppedLoss() / aToB.offeredPackets(),
        100.0 * bToA.droppedLoss() / bToA.offeredPackets(),
        traffic);

    assertWithinFiveSigma(
        expectedLoss, probes - received, probes, "round-trip loss seen by the application");
    // Every loss the application saw happened in the simulated link, nowhere else:
    TrafficCount probesOffered = traffic.offered(Direction.A_TO_B, IpProtocol.UDP);
    assertEquals(probes, probesOffered.packets(), "every probe reached the bridge");
    assertEquals((long) probes * probeBytes, probesOffered.payloadBytes(), "UDP payload bytes");
    assertEquals(
        (long) probes * (probeBytes + 28),
        probesOffered.bytes(),
        "wire bytes: payload + IPv4 + UDP headers");
    assertEquals(
        echoed,
        traffic.delivered(Direction.A_TO_B, IpProtocol.UDP).packets(),
        "B echoed what it got");
    assertEquals(
        echoed,
        traffic.offered(Direction.B_TO_A, IpProtocol.UDP).packets(),
        "every echo reached the bridge");
    assertEquals(
        received,
        traffic.delivered(Direction.B_TO_A, IpProtocol.UDP).packets(),
        "A got what was delivered");
    assertEquals(probes - echoed, aToB.dropped(), "A->B drops are the path's");
    assertEquals(echoed - received, bToA.dropped(), "B->A drops are the path's");
    assertWithinFiveSigma(LOSS, aToB.droppedLoss(), probes, "A->B loss");
  }

  // ------------------------------------------------------------------------- lifecycle, errors

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void closeDuringTrafficStopsTheThreadAndRemovesDevicesAndNamespacesIdempotently()
      throws Exception {
    NetemPaths delayOnly =
        NetemPaths.create(Profile.parse("delay=" + DELAY.toMillis() + "ms"), 1, false);
    TunBridge bridge = lab().pathAtoB(delayOnly.aToB()).build().start();
    String a = bridge.namespaceA();
    String b = bridge.namespaceB();
    assertTrue(bridge.isRunning());
    assertTrue(namespacesWithPrefix().containsAll(List.of(a, b)));
    assertTrue(
        ip("-n", a, "-o", "link", "show").contains(bridge.interfaceName(Side.A) + ":"),
        "TUN A lives in A");
    assertTrue(
        ip("-n", b, "-o", "address", "show").contains(bridge.addressB().getHostAddress() + "/24"));
    assertEquals(
        List.of(), rootTunInterfaces(), "both TUN devices were moved out of the root namespace");

    // keep the bridge busy: a UDP flood from A to B, with packets held in the delay queue
    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicLong sent = new AtomicLong();
    // unconnected, so B's ICMP port-unreachable replies do not turn into write errors
    DatagramChannel flood = bridge.callInNamespace(Side.A, DatagramChannel::open);
    InetSocketAddress discard = new InetSocketAddress(bridge.addressB(), 9);
    Thread flooder =
        startDaemon(
            () -> {
              ByteBuffer payload = ByteBuffer.allocate(1000);
              while (flooding.get()) {
                try {
                  payload.clear();
                  flood.send(payload, discard);
                  sent.incrementAndGet();
                } catch (IOException e) {
                  // the network may go away under us: that is the point of this test
                }
              }
            },
            "udp-flood");
    try {
      awaitCondition(
          () -> bridge.traffic().delivered(Direction.A_TO_B, IpProtocol.UDP).packets() > 100,
          Duration.ofSeconds(20),
          "flood reaches B through the bridge");
      long closeStart = System.nanoTime();
      bridge.close();
      long closeMillis = (System.nanoTime() - closeStart) / 1_000_000;
      System.out.println(
          "TUN bridge closed during a flood in "
              + closeMillis
              + " ms after "
              + sent.get()
              + " datagrams");
    } finally {
      flooding.set(false);
      flooder.join(10_000);
      flood.close();
    }
    assertFalse(bridge.isRunning());
    assertTrue(bridge.failure().isEmpty(), () -> "bridge failure: " + bridge.failure());
    assertFalse(namespacesWithPrefix().contains(a) || namespacesWithPrefix().contains(b));
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(
                t ->
                    t.getName().startsWith("kcpj-tun-bridge-")
                        && t.isAlive()
                        && !t.getName().endsWith("-shutdown")),
        "bridge thread ended");
    bridge.close(); // idempotent
    assertThrows(IllegalStateException.class, bridge::start);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFailingPathStopsTheBridgeVisiblyAndCloseStillCleansUp() throws Exception {
    RuntimeException boom = new RuntimeException("model failure");
    AtomicReference<TunBridge> self = new AtomicReference<>();
    AtomicReference<Throwable> closeFromPath = new AtomicReference<>();
    PacketPath failing =
        (packet, length, nowNanos, sink) -> {
          try {
            self.get().close();
          } catch (Throwable t) {
            closeFromPath.set(t);
          }
          throw boom;
        };
    TunBridge bridge = lab().pathAtoB(failing).build();
    self.set(bridge);
    try (bridge) {
      bridge.start();
      try (DatagramChannel channel = bridge.callInNamespace(Side.A, () -> DatagramChannel.open())) {
        channel.send(ByteBuffer.allocate(10), new InetSocketAddress(bridge.addressB(), 9));
      }
      awaitCondition(() -> !bridge.isRunning(), Duration.ofSeconds(20), "the bridge stops");
      assertEquals(Optional.of(boom), bridge.failure());
      assertTrue(
          closeFromPath.get() instanceof IllegalStateException,
          "close() from the bridge thread is refused: " + closeFromPath.get());
    }
  }

  @Test
  void aFailedStartRemovesWhatItCreatedAndQuotesTheFailingCommand() {
    String occupied = PREFIX + "occupied";
    String fresh = PREFIX + "fresh";
    ip("netns", "add", occupied);
    try {
      TunBridge bridge = lab().namespaceNames(fresh, occupied).build();
      TunException e = assertThrows(TunException.class, bridge::start);
      System.out.println("expected start failure: " + e.getMessage());
      assertTrue(e.getMessage().contains("netns add " + occupied), e.getMessage());
      assertTrue(e.getMessage().contains("exists"), "quotes ip's output: " + e.getMessage());
      List<String> names = namespacesWithPrefix();
      assertFalse(names.contains(fresh), "the namespace created before the failure was deleted");
      assertTrue(names.contains(occupied), "a namespace we did not create is left alone");
      assertEquals(List.of(), rootTunInterfaces(), "the TUN devices were closed");
      assertFalse(bridge.isRunning());
      bridge.close();
    } finally {
      ip("netns", "delete", occupied);
    }
  }

  @Test
  void startRemovesLeftoversOfDeadRunsAndNothingElse() {
    String deadRun = PREFIX + "2147483646-1-a"; // no process can have this pid (pid_max <= 2^22)
    String liveRun = PREFIX + ProcessHandle.current().pid() + "-99999-b"; // like a parallel run
    String notOurs = PREFIX + "keep-me";
    for (String name : List.of(deadRun, liveRun, notOurs)) {
      ip("netns", "add", name);
    }
    try (TunBridge bridge = lab().build().start()) {
      assertEquals(List.of(deadRun), bridge.removedLeftovers());
      List<String> names = namespacesWithPrefix();
      assertFalse(names.contains(deadRun));
      assertTrue(names.contains(liveRun) && names.contains(notOurs), names.toString());
    } finally {
      for (String name : List.of(deadRun, liveRun, notOurs)) {
        if (namespacesWithPrefix().contains(name)) {
          ip("netns", "delete", name);
        }
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void exitWithoutCloseIsCleanedByTheShutdownHookAndAKilledRunByTheNextStart() throws Exception {
    // 1. a JVM that exits without closing its bridge: the shutdown hook tears it down
    Process exiting = startHolder();
    List<String> exitingNames = holderNamespaces(exiting);
    assertTrue(
        namespacesWithPrefix().containsAll(exitingNames), "child bridge is up: " + exitingNames);
    exiting.getOutputStream().close();
    assertTrue(exiting.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, exiting.exitValue());
    assertFalse(
        namespacesWithPrefix().stream().anyMatch(exitingNames::contains),
        "the shutdown hook deleted " + exitingNames);

    // 2. a JVM killed with SIGKILL leaves its namespaces; the next start with the prefix removes
    // them
    Process killed = startHolder();
    List<String> killedNames = holderNamespaces(killed);
    killed.destroyForcibly();
    assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
    assertTrue(namespacesWithPrefix().containsAll(killedNames), "SIGKILL leaves " + killedNames);
    assertEquals(
        List.of(), rootTunInterfaces(), "the kernel closed the dead process's TUN devices");
    try (TunBridge bridge = lab().build().start()) {
      assertEquals(
          killedNames.stream().sorted().toList(),
          bridge.removedLeftovers().stream().sorted().toList());
    }
  }

  private static Process startHolder() throws IOException {
    return new ProcessBuilder(
            javaExecutable(),
            "-Xmx64m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            BridgeHolder.class.getName(),
            PREFIX,
            INTERFACES + "%d")
        .redirectErrorStream(true)
        .start();
  }

  private static List<String> holderNamespaces(Process holder) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    FutureTask<String> started =
        new FutureTask<>(
            () -> {
              StringBuilder seen = new StringBuilder();
              for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("STARTED ")) {
                  return line;
                }
                seen.append(line).append('\n');
              }
              throw new AssertionError("bridge holder ended without starting:\n" + seen);
            });
    startDaemon(started, "bridge-holder-output");
    String line = started.get(30, TimeUnit.SECONDS);
    String[] fields = line.split(" ");
    return List.of(fields[1], fields[2]);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void withoutCapabilitiesStartFailsWithAClearReasonAndCreatesNothing() throws Exception {
    Optional<Path> setpriv = findExecutable("setpriv");
    assumeTrue(setpriv.isPresent(), "needs setpriv (util-linux) to drop capabilities");
    Process probe =
        new ProcessBuilder(
                setpriv.get().toString(),
                "--inh-caps=-all",
                "--bounding-set=-net_admin,-sys_admin",
                "--",
                javaExecutable(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                PreflightProbe.class.getName(),
                PREFIX)
            .redirectErrorStream(true)
            .start();
    probe.getOutputStream().close();
    String output =
        new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
    System.out.println("unprivileged start: " + output);
    assertEquals(3, probe.exitValue(), output);
    assertTrue(
        output.contains("not permitted")
            && output.contains("CAP_NET_ADMIN")
            && output.contains("CAP_SYS_ADMIN")
            && output.contains("root"),
        output);
  }

  // ---------------------------------------------------------------------------------- helpers

  private static void assertWithinFiveSigma(double p, long events, long trials, String what) {
    double measured = (double) events / trials;
    double tolerance = 5 * Math.sqrt(p * (1 - p) / trials);
    assertTrue(
        Math.abs(measured - p) <= tolerance,
        String.format(
            "%s: measured %.4f, expected %.4f ± %.4f (%d of %d)",
            what, measured, p, tolerance, events, trials));
  }

  private static String ip(String... args) {
    List<String> command = new ArrayList<>();
    command.add(TunPreflight.locateIp());
    command.addAll(List.of(args));
    return CommandRunner.run(command);
  }

  private static List<String> namespacesWithPrefix() {
    return new NamespaceAdmin(TunPreflight.locateIp())
        .list().stream().filter(n -> n.startsWith(PREFIX)).toList();
  }

  private static List<String> rootTunInterfaces() {
    List<String> names = new ArrayList<>();
    for (String line : ip("-o", "link", "show").split("\n")) {
      String[] fields = line.split(":\\s+", 3); // "7: kcpjt0: <POINTOPOINT,...>"
      if (fields.length >= 2 && fields[1].startsWith(INTERFACES)) {
        names.add(fields[1]);
      }
    }
    return names;
  }

  private static void awaitCondition(BooleanSupplier condition, Duration max, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    Object monitor = new Object();
    synchronized (monitor) {
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() - deadline >= 0) {
          throw new AssertionError("timed out waiting until: " + what);
        }
        monitor.wait(5); // re-check a counter that offers no notification
      }
    }
  }

  private static String readLine(BufferedReader reader, Duration max, File errors)
      throws Exception {
    FutureTask<String> line = new FutureTask<>(reader::readLine);
    startDaemon(line, "read-child-output");
    String value;
    try {
      value = line.get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "no output from the child within "
              + max
              + "; its stderr: "
              + Files.readString(errors.toPath()),
          e);
    }
    if (value == null) {
      throw new AssertionError(
          "the child ended early; its stderr: " + Files.readString(errors.toPath()));
    }
    return value;
  }

  private static Thread startDaemon(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Optional<Path> findExecutable(String name) {
    for (String dir :
        (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin:/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Optional.of(Path.of(dir, name));
      }
    }
    return Optional.empty();
  }

  private static MessageDigest sha256() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256");
  }
}
