package io.kcpj.netem.tun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two network namespaces joined by a simulated link: each namespace holds one TUN device with an
 * address in one subnet (192.0.2.1/24 and 192.0.2.2/24 by default), and the bridge carries the raw
 * IP packets between the two TUN devices through one {@link PacketPath} per direction, in real
 * time. Real kernel TCP and UDP between sockets (or processes) in the two namespaces then cross the
 * simulated link. Linux only; needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN), JNA and iproute2, see
 * {@link TunPreflight}.
 *
 * <pre>{@code
 * NetemPaths paths = NetemPaths.create(Profile.parse("delay=20ms,loss=2%"), 42, false);
 * try (TunBridge bridge = TunBridge.builder()
 *         .pathAtoB(paths.aToB())
 *         .pathBtoA(paths.bToA())
 *         .build().start()) {
 *     ServerSocket server = bridge.callInNamespace(Side.B, () -> new ServerSocket(5000, 50, bridge.addressB()));
 *     Process client = bridge.command(Side.A, "curl", "http://192.0.2.2:5000/").start();
 *     ...
 *     TrafficSnapshot traffic = bridge.traffic();
 * }
 * }</pre>
 *
 * <p><b>Start</b> ({@link #start()}): preflight check; removal of leftover namespaces of dead
 * processes carrying our prefix; a JVM shutdown hook as a safety net; two TUN devices opened in the
 * root namespace; two namespaces created; each device moved into its namespace (its descriptor
 * stays attached) and configured (IPv6 disabled before up, MTU, txqueuelen, address and connected
 * route, link up, loopback up); then the bridge thread started. If any step fails, everything
 * already created is torn down before the exception propagates.
 *
 * <p><b>Close</b> ({@link #close()}, idempotent, also run by the shutdown hook): stop the bridge
 * thread (woken through an eventfd, joined), close the TUN descriptors (which removes the devices),
 * then delete the namespaces. Processes still running inside a namespace keep it alive but unnamed;
 * stop them first.
 *
 * <p><b>Namespace names:</b> {@code <prefix><pid>-<n>-a} and {@code …-b} (prefix {@value
 * #DEFAULT_PREFIX} by default), so parallel runs never collide and leftovers are recognisable; or
 * explicit names via {@link Builder#namespaceNames}.
 *
 * <p><b>Threading:</b> one bridge thread ({@code kcpj-tun-bridge-<n>}) does all packet work: it
 * reads both TUN devices, calls both paths and writes both TUN devices (see {@link PacketPath} and
 * {@link PacketSink}). {@link #start()}, {@link #close()} and the accessors may be called from any
 * thread; start and close are serialised. {@link #traffic()} may be called from any thread at any
 * time.
 */
public final class TunBridge implements AutoCloseable {

  /** The default namespace name prefix. */
  public static final String DEFAULT_PREFIX = "kcpj-";

  /** The default address of side A. */
  public static final String DEFAULT_ADDRESS_A = "192.0.2.1";

  /** The default address of side B. */
  public static final String DEFAULT_ADDRESS_B = "192.0.2.2";

  /** The default prefix length of the shared subnet. */
  public static final int DEFAULT_PREFIX_LENGTH = 24;

  /** The default MTU of both TUN devices. */
  public static final int DEFAULT_MTU = 1500;

  /** The default transmit queue length (the kernel's 500 overflows under TCP bursts). */
  public static final int DEFAULT_TX_QUEUE_LENGTH = 10_000;

  private static final System.Logger LOG = System.getLogger(TunBridge.class.getName());
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final long JOIN_MILLIS = 10_000;

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final String prefix;
  private final String namespaceA;
  private final String namespaceB;
  private final Inet4Address addressA;
  private final Inet4Address addressB;
  private final int prefixLength;
  private final int mtu;
  private final int txQueueLength;
  private final String interfaceTemplate;
  private final PacketPath pathAtoB;
  private final PacketPath pathBtoA;
  private final int sequence;

  private final TrafficCounters counters = new TrafficCounters();
  private final Thread shutdownHook;

  // guarded by this
  private State state = State.NEW;
  private boolean hookRegistered;
  private NamespaceAdmin admin;
  private TunDevice tunA;
  private TunDevice tunB;
  private boolean createdA;
  private boolean createdB;
  private WakeupFd wakeup;
  private BridgeLoop loop;
  private Thread bridgeThread;
  private List<String> removedLeftovers = List.of();

  private TunBridge(Builder b) {
    this.sequence = SEQUENCE.incrementAndGet();
    this.prefix = b.prefix;
    long pid = ProcessHandle.current().pid();
    this.namespaceA =
        b.namespaceA != null ? b.namespaceA : NamespaceNaming.name(prefix, pid, sequence, Side.A);
    this.namespaceB =
        b.namespaceB != null ? b.namespaceB : NamespaceNaming.name(prefix, pid, sequence, Side.B);
    this.addressA = b.addressA;
    this.addressB = b.addressB;
    this.prefixLength = b.prefixLength;
    this.mtu = b.mtu;
    this.txQueueLength = b.txQueueLength;
    this.interfaceTemplate = b.interfaceTemplate;
    this.pathAtoB = b.pathAtoB;
    this.pathBtoA = b.pathBtoA;
    this.shutdownHook =
        new Thread(this::closeFromHook, "kcpj-tun-bridge-" + sequence + "-shutdown");
  }

  /** A builder with the defaults: 192.0.2.1/24 and 192.0.2.2/24, MTU 1500, pass-through paths. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the namespaces and devices and starts carrying packets.
   *
   * @return this bridge
   * @throws TunUnavailableException if the bridge cannot run here (nothing was created)
   * @throws TunException if a setup step failed (everything created was removed again)
   * @throws IllegalStateException if already started or closed
   */
  public synchronized TunBridge start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "bridge already " + (state == State.RUNNING ? "started" : "closed"));
    }
    TunPreflight.check();
    state = State.RUNNING; // from here on close() has something to undo
    try {
      admin = new NamespaceAdmin(TunPreflight.locateIp());
      removedLeftovers = List.copyOf(admin.removeStale(prefix, NamespaceAdmin::pidAlive));
      if (!removedLeftovers.isEmpty()) {
        LOG.log(
            System.Logger.Level.INFO,
            "removed leftover namespaces of dead runs: {0}",
            removedLeftovers);
      }
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      hookRegistered = true;
      tunA = TunDevice.open(interfaceTemplate);
      tunB = TunDevice.open(interfaceTemplate);
      admin.add(namespaceA);
      createdA = true;
      admin.add(namespaceB);
      createdB = true;
      admin.moveLink(tunA.name(), namespaceA);
      admin.moveLink(tunB.name(), namespaceB);
      admin.configureTun(namespaceA, tunA.name(), addressA, prefixLength, mtu, txQueueLength);
      admin.configureTun(namespaceB, tunB.name(), addressB, prefixLength, mtu, txQueueLength);
      wakeup = WakeupFd.open();
      loop = new BridgeLoop(tunA, tunB, wakeup, pathAtoB, pathBtoA, counters);
      bridgeThread = new Thread(loop, "kcpj-tun-bridge-" + sequence);
      bridgeThread.setDaemon(true);
      bridgeThread.start();
      return this;
    } catch (RuntimeException | Error e) {
      try {
        close();
      } catch (RuntimeException teardown) {
        e.addSuppressed(teardown);
      }
      throw e;
    }
  }

  /**
   * Stops the bridge thread, closes the TUN devices, deletes the namespaces. Idempotent; safe after
   * a failed start. Every step is attempted even if an earlier one fails.
   *
   * @throws TunException if a step failed (the others were still attempted; see suppressed)
   * @throws IllegalStateException if called on the bridge thread (from inside a {@link PacketPath})
   */
  @Override
  public synchronized void close() {
    if (loop != null && loop.isBridgeThread()) {
      throw new IllegalStateException(
          "close() must not be called on the bridge thread (from a PacketPath)");
    }
    if (state == State.CLOSED) {
      return;
    }
    boolean wasRunning = state == State.RUNNING;
    state = State.CLOSED;
    if (!wasRunning) {
      return;
    }
    List<Throwable> problems = new ArrayList<>();
    boolean threadStopped = true;
    if (loop != null) {
      loop.requestStop();
      try {
        bridgeThread.join(JOIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      threadStopped = !bridgeThread.isAlive();
      if (!threadStopped) {
        problems.add(
            new TunException(
                "the bridge thread did not stop within "
                    + JOIN_MILLIS
                    + " ms (a PacketPath blocked?); leaving its descriptors open"));
      }
    }
    if (threadStopped) {
      closeQuietly(tunA, problems);
      closeQuietly(tunB, problems);
      closeQuietly(wakeup, problems);
    }
    if (createdB) {
      deleteQuietly(namespaceB, problems);
    }
    if (createdA) {
      deleteQuietly(namespaceA, problems);
    }
    if (hookRegistered && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook is running or about to, and close() is idempotent
      }
    }
    if (!problems.isEmpty()) {
      TunException e =
          new TunException(
              "TUN bridge teardown incomplete: " + problems.get(0).getMessage(), problems.get(0));
      problems.subList(1, problems.size()).forEach(e::addSuppressed);
      throw e;
    }
  }

  private void closeFromHook() {
    try {
      close();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "TUN bridge teardown at JVM exit failed", e);
    }
  }

  private static void closeQuietly(AutoCloseable closeable, List<Throwable> problems) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      problems.add(e);
    }
  }

  private void deleteQuietly(String namespace, List<Throwable> problems) {
    try {
      admin.delete(namespace);
    } catch (RuntimeException e) {
      problems.add(e);
    }
  }

  /** Whether the bridge thread is carrying packets (started, not closed, not failed). */
  public boolean isRunning() {
    Thread thread;
    synchronized (this) {
      if (state != State.RUNNING) {
        return false;
      }
      thread = bridgeThread;
    }
    return thread != null && thread.isAlive();
  }

  /**
   * What stopped the bridge thread abnormally (a failing {@link PacketPath}, a vanished device), if
   * anything.
   */
  public Optional<Throwable> failure() {
    BridgeLoop l;
    synchronized (this) {
      l = loop;
    }
    return l == null ? Optional.empty() : Optional.ofNullable(l.failure());
  }

  /** A copy of the traffic counters so far. Any thread, any time. */
  public TrafficSnapshot traffic() {
    return counters.snapshot();
  }

  /** The name of side A's namespace. */
  public String namespaceA() {
    return namespaceA;
  }

  /** The name of side B's namespace. */
  public String namespaceB() {
    return namespaceB;
  }

  /** The name of one side's namespace. */
  public String namespace(Side side) {
    return side == Side.A ? namespaceA : namespaceB;
  }

  /** Side A's address. */
  public Inet4Address addressA() {
    return addressA;
  }

  /** Side B's address. */
  public Inet4Address addressB() {
    return addressB;
  }

  /** One side's address. */
  public Inet4Address address(Side side) {
    return side == Side.A ? addressA : addressB;
  }

  /** The name of one side's TUN interface inside its namespace (known once started). */
  public synchronized String interfaceName(Side side) {
    TunDevice tun = side == Side.A ? tunA : tunB;
    if (tun == null) {
      throw new IllegalStateException("not started");
    }
    return tun.name();
  }

  /** The MTU of both TUN devices. */
  public int mtu() {
    return mtu;
  }

  /** The namespace name prefix (the scope of leftover cleanup). */
  public String namespacePrefix() {
    return prefix;
  }

  /** Leftover namespaces of dead runs that {@link #start()} deleted. */
  public synchronized List<String> removedLeftovers() {
    return removedLeftovers;
  }

  /**
   * Runs {@code task} on a new thread inside one side's namespace and returns its result (see
   * {@link NetNamespace#call}): create sockets inside the task; they stay in the namespace.
   */
  public <T> T callInNamespace(Side side, Callable<T> task) throws Exception {
    return NetNamespace.call(namespace(side), task);
  }

  /** Daemon threads that enter one side's namespace before running (see {@link NetNamespace}). */
  public ThreadFactory threadFactory(Side side) {
    return NetNamespace.threadFactory(namespace(side));
  }

  /** A process builder for {@code ip netns exec <namespace> command…} on one side. */
  public ProcessBuilder command(Side side, String... command) {
    return NetNamespace.command(namespace(side), command);
  }

  @Override
  public String toString() {
    return "TunBridge["
        + namespaceA
        + " "
        + addressA.getHostAddress()
        + " <-> "
        + namespaceB
        + " "
        + addressB.getHostAddress()
        + "/"
        + prefixLength
        + ", mtu "
        + mtu
        + ", "
        + pathAtoB
        + " / "
        + pathBtoA
        + "]";
  }

  /**
   * Configures a {@link TunBridge}. Not thread-safe; {@link #build()} may be called more than once,
   * but each bridge needs its own {@link PacketPath} instances unless they are stateless.
   */
  public static final class Builder {
    private String prefix = DEFAULT_PREFIX;
    private String namespaceA;
    private String namespaceB;
    private Inet4Address addressA = parse(DEFAULT_ADDRESS_A);
    private Inet4Address addressB = parse(DEFAULT_ADDRESS_B);
    private int prefixLength = DEFAULT_PREFIX_LENGTH;
    private int mtu = DEFAULT_MTU;
    private int txQueueLength = DEFAULT_TX_QUEUE_LENGTH;
    private String interfaceTemplate = "kcpj%d";
    private PacketPath pathAtoB = new PassThroughPath();
    private PacketPath pathBtoA = new PassThroughPath();

    private Builder() {}

    /**
     * The prefix of generated namespace names (default {@value TunBridge#DEFAULT_PREFIX}); leftover
     * cleanup at start only touches names with this prefix. 1..40 characters from {@code
     * [A-Za-z0-9_.-]}.
     */
    public Builder namespacePrefix(String prefix) {
      this.prefix = NamespaceNaming.checkPrefix(prefix);
      return this;
    }

    /**
     * Explicit namespace names instead of generated ones. They must not exist yet; they are deleted
     * on close.
     */
    public Builder namespaceNames(String a, String b) {
      NamespaceNaming.checkName(a);
      NamespaceNaming.checkName(b);
      if (a.equals(b)) {
        throw new IllegalArgumentException("the two namespace names must differ: " + a);
      }
      this.namespaceA = a;
      this.namespaceB = b;
      return this;
    }

    /** The two IPv4 addresses (literals); they must differ and share the subnet. */
    public Builder addresses(String a, String b) {
      this.addressA = parse(a);
      this.addressB = parse(b);
      return this;
    }

    /** The prefix length of the shared subnet, 8..30 (default 24). */
    public Builder prefixLength(int prefixLength) {
      if (prefixLength < 8 || prefixLength > 30) {
        throw new IllegalArgumentException("prefix length must be 8..30: " + prefixLength);
      }
      this.prefixLength = prefixLength;
      return this;
    }

    /** The MTU of both TUN devices, 576..65535 (default 1500). */
    public Builder mtu(int mtu) {
      if (mtu < 576 || mtu > 65535) {
        throw new IllegalArgumentException("mtu must be 576..65535: " + mtu);
      }
      this.mtu = mtu;
      return this;
    }

    /** The transmit queue length of both TUN devices, at least 1 (default 10000). */
    public Builder txQueueLength(int txQueueLength) {
      if (txQueueLength < 1) {
        throw new IllegalArgumentException("txqueuelen must be positive: " + txQueueLength);
      }
      this.txQueueLength = txQueueLength;
      return this;
    }

    /**
     * The TUN interface name template (default {@code kcpj%d}: the kernel picks a free number in
     * the root namespace). At most 15 characters.
     */
    public Builder interfaceNameTemplate(String template) {
      Objects.requireNonNull(template, "template");
      if (template.isEmpty() || template.length() > 15 || !template.matches("[A-Za-z0-9_%-]+")) {
        throw new IllegalArgumentException(
            "interface name template must be 1..15 characters"
                + " from [A-Za-z0-9_-] and %d: "
                + template);
      }
      this.interfaceTemplate = template;
      return this;
    }

    /** The path from A to B (default pass-through). */
    public Builder pathAtoB(PacketPath path) {
      this.pathAtoB = Objects.requireNonNull(path, "path");
      return this;
    }

    /** The path from B to A (default pass-through). */
    public Builder pathBtoA(PacketPath path) {
      this.pathBtoA = Objects.requireNonNull(path, "path");
      return this;
    }

    /** A bridge with this configuration, not started yet (nothing is created until start). */
    public TunBridge build() {
      if (addressA.equals(addressB)) {
        throw new IllegalArgumentException(
            "the two addresses must differ: " + addressA.getHostAddress());
      }
      if (network(addressA) != network(addressB)) {
        throw new IllegalArgumentException(
            addressA.getHostAddress()
                + " and "
                + addressB.getHostAddress()
                + " are not in one /"
                + prefixLength
                + " subnet");
      }
      if (pathAtoB == pathBtoA && !(pathAtoB instanceof PassThroughPath)) {
        throw new IllegalArgumentException("use one PacketPath instance per direction");
      }
      return new TunBridge(this);
    }

    private int network(Inet4Address address) {
      byte[] b = address.getAddress();
      int value =
          ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
      return value & (int) (0xffffffffL << (32 - prefixLength));
    }

    private static Inet4Address parse(String literal) {
      Objects.requireNonNull(literal, "address");
      String[] parts = literal.split("\\.", -1);
      byte[] bytes = new byte[4];
      boolean valid = parts.length == 4;
      for (int i = 0; valid && i < 4; i++) {
        valid = parts[i].matches("[0-9]{1,3}") && Integer.parseInt(parts[i]) <= 255;
        bytes[i] = valid ? (byte) Integer.parseInt(parts[i]) : 0;
      }
      if (!valid) {
        throw new IllegalArgumentException("not an IPv4 address literal: " + literal);
      }
      try {
        return (Inet4Address) InetAddress.getByAddress(bytes); // no name lookup
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IPv4 address literal: " + literal, e);
      }
    }
  }
}
