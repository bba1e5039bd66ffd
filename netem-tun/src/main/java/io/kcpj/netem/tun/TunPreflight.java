package io.kcpj.netem.tun;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks, before anything is created, that a {@link TunBridge} can run here, and says precisely
 * what is missing otherwise. In order: Linux; a 64-bit architecture whose constants we know
 * (x86-64, aarch64, riscv64, loongarch64); JNA on the class path; {@code /dev/net/tun}; the
 * capabilities CAP_NET_ADMIN (TUN devices, links, addresses) and CAP_SYS_ADMIN (network
 * namespaces), which root has; the iproute2 {@code ip} command with {@code netns} support; JNA's
 * native library loading; {@code /dev/net/tun} opening read-write.
 *
 * <p>This class refers to no JNA type, so it loads and reports clearly even when JNA is absent.
 * Stateless apart from a cached location of {@code ip}; any thread.
 */
public final class TunPreflight {

  static final int CAP_NET_ADMIN = 12;
  static final int CAP_SYS_ADMIN = 21;
  private static final Set<String> ARCHITECTURES =
      Set.of("amd64", "x86_64", "aarch64", "riscv64", "loongarch64");
  private static final String[] IP_FALLBACK_DIRS = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};
  private static final String TUN_DEVICE = "/dev/net/tun";

  private static volatile String ipCommand;

  private TunPreflight() {}

  /**
   * Throws if the bridge cannot run here.
   *
   * @throws TunUnavailableException naming the first missing piece and how to provide it
   */
  public static void check() {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
      throw new TunUnavailableException(
          "the TUN bridge needs Linux (TUN devices and network namespaces);"
              + " this is "
              + os
              + ". Use the in-memory network or the UDP proxy instead.");
    }
    String arch = System.getProperty("os.arch", "");
    if (!ARCHITECTURES.contains(arch)) {
      throw new TunUnavailableException(
          "the TUN bridge supports 64-bit x86-64, aarch64, riscv64 and loongarch64"
              + " Linux (ioctl and flag constants differ elsewhere); this JVM reports os.arch="
              + arch);
    }
    try {
      Class.forName("com.sun.jna.Native", false, TunPreflight.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new TunUnavailableException(
          "JNA is not on the class path. netem-sim declares it optional:"
              + " add the dependency net.java.dev.jna:jna (5.x) to use the TUN bridge.",
          e);
    }
    if (!new File(TUN_DEVICE).exists()) {
      throw new TunUnavailableException(
          TUN_DEVICE
              + " does not exist: load the TUN driver with"
              + " 'modprobe tun', or in a container pass --device /dev/net/tun.");
    }
    String status;
    try {
      status = Files.readString(Path.of("/proc/self/status"));
    } catch (IOException e) {
      throw new TunUnavailableException(
          "cannot read /proc/self/status to check privileges: " + e.getMessage(), e);
    }
    String capabilities = capabilityProblem(status);
    if (capabilities != null) {
      throw new TunUnavailableException(capabilities);
    }
    String ip = locateIp();
    try {
      CommandRunner.run(List.of(ip, "netns", "list"));
    } catch (TunException e) {
      throw new TunUnavailableException(
          "`"
              + ip
              + " netns list` does not work, so this `ip` cannot manage"
              + " network namespaces (a BusyBox ip?): install iproute2. "
              + e.getMessage(),
          e);
    }
    try {
      Class.forName("io.kcpj.netem.tun.LibC", true, TunPreflight.class.getClassLoader());
    } catch (Throwable e) {
      throw new TunUnavailableException(
          "JNA could not bind libc ("
              + e
              + "). Check that JNA's native"
              + " library can be extracted and loaded (jna.tmpdir not on a noexec mount, matching"
              + " JNA version).",
          e);
    }
    TunDevice.probeCloneDevice();
  }

  /** Empty if the bridge can run here, else the reason {@link #check()} would give. */
  public static Optional<String> problem() {
    try {
      check();
      return Optional.empty();
    } catch (TunUnavailableException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Checks the capabilities in a {@code /proc/<pid>/status} text; {@code null} when they suffice,
   * else the explanation.
   */
  static String capabilityProblem(String procStatus) {
    long effective = hexField(procStatus, "CapEff:");
    long ambient = hexField(procStatus, "CapAmb:");
    long uid = effectiveUid(procStatus);
    if (effective < 0) {
      return "cannot find CapEff in /proc/self/status to check privileges";
    }
    List<String> missing = new ArrayList<>();
    if ((effective & (1L << CAP_NET_ADMIN)) == 0) {
      missing.add("CAP_NET_ADMIN (to create TUN devices and configure links and addresses)");
    }
    if ((effective & (1L << CAP_SYS_ADMIN)) == 0) {
      missing.add("CAP_SYS_ADMIN (to create and enter network namespaces)");
    }
    if (!missing.isEmpty()) {
      return "not permitted: the TUN bridge needs "
          + String.join(" and ", missing)
          + ", which this process lacks (uid "
          + uid
          + ", CapEff="
          + String.format("%016x", effective)
          + "). Run as root (e.g. sudo), or in a container started with --cap-add NET_ADMIN"
          + " --cap-add SYS_ADMIN --device /dev/net/tun (or --privileged).";
    }
    long both = (1L << CAP_NET_ADMIN) | (1L << CAP_SYS_ADMIN);
    if (uid != 0 && (ambient & both) != both) {
      return "not permitted: this non-root process (uid "
          + uid
          + ") has CAP_NET_ADMIN and CAP_SYS_ADMIN,"
          + " but the `ip` commands the bridge runs as child processes would not inherit them"
          + " (they are not ambient capabilities, CapAmb="
          + String.format("%016x", ambient)
          + "). Run as root, or raise both capabilities as ambient before starting the JVM.";
    }
    return null;
  }

  private static long hexField(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key)) {
        try {
          return Long.parseUnsignedLong(line.substring(key.length()).strip(), 16);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static long effectiveUid(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        String[] ids = line.substring(4).strip().split("\\s+");
        if (ids.length >= 2) {
          try {
            return Long.parseLong(ids[1]);
          } catch (NumberFormatException e) {
            return -1;
          }
        }
      }
    }
    return -1;
  }

  /**
   * The {@code ip} executable to run: the located absolute path, or plain "ip" if not located yet.
   */
  static String ipCommand() {
    String located = ipCommand;
    if (located != null) {
      return located;
    }
    try {
      return locateIp();
    } catch (TunUnavailableException e) {
      return "ip";
    }
  }

  /** Finds iproute2's {@code ip} on the PATH or in the usual sbin directories. */
  static String locateIp() {
    String located = ipCommand;
    if (located != null) {
      return located;
    }
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of(IP_FALLBACK_DIRS));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "ip");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        ipCommand = candidate.toAbsolutePath().toString();
        return ipCommand;
      }
    }
    throw new TunUnavailableException(
        "the iproute2 `ip` command was not found on the PATH or in /usr/sbin,"
            + " /sbin: install iproute2 (Debian/Ubuntu: apt-get install iproute2; Fedora/RHEL: dnf install"
            + " iproute; Alpine: apk add iproute2).");
  }
}
