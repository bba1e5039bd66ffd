package io.kcpj.netem.tun;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

/**
 * Creates, configures, lists and deletes network namespaces and moves TUN interfaces into them,
 * through iproute2 {@code ip} commands (each failure becomes a {@link TunException} quoting the
 * command and its output). Also removes leftovers of crashed runs: namespaces that carry our prefix
 * and whose owning process is gone. Stateless apart from the {@code ip} path; any thread.
 */
final class NamespaceAdmin {

  private final String ip;

  NamespaceAdmin(String ip) {
    this.ip = ip;
  }

  void add(String namespace) {
    CommandRunner.run(List.of(ip, "netns", "add", namespace));
  }

  void delete(String namespace) {
    CommandRunner.run(List.of(ip, "netns", "delete", namespace));
  }

  /** The names of all named network namespaces ({@code ip netns list}). */
  List<String> list() {
    List<String> names = new ArrayList<>();
    for (String line : CommandRunner.run(List.of(ip, "netns", "list")).split("\n")) {
      String name = line.strip();
      int space = name.indexOf(' ');
      if (space >= 0) {
        name = name.substring(0, space); // "name (id: 3)"
      }
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return names;
  }

  /** Moves an interface of the root namespace into {@code namespace}. */
  void moveLink(String interfaceName, String namespace) {
    CommandRunner.run(List.of(ip, "link", "set", "dev", interfaceName, "netns", namespace));
  }

  /**
   * Configures a TUN interface that now lives in {@code namespace}: IPv6 off (before the link comes
   * up, so the kernel sends no router solicitations or MLD reports across the bridge), MTU,
   * transmit queue length, address with its connected route, link up, loopback up.
   */
  void configureTun(
      String namespace,
      String interfaceName,
      Inet4Address address,
      int prefixLength,
      int mtu,
      int txQueueLength) {
    disableIpv6(namespace, interfaceName);
    CommandRunner.run(
        List.of(
            ip,
            "-n",
            namespace,
            "link",
            "set",
            "dev",
            interfaceName,
            "mtu",
            Integer.toString(mtu),
            "txqueuelen",
            Integer.toString(txQueueLength)));
    CommandRunner.run(
        List.of(
            ip,
            "-n",
            namespace,
            "address",
            "add",
            address.getHostAddress() + "/" + prefixLength,
            "dev",
            interfaceName));
    CommandRunner.run(List.of(ip, "-n", namespace, "link", "set", "dev", interfaceName, "up"));
    CommandRunner.run(List.of(ip, "-n", namespace, "link", "set", "dev", "lo", "up"));
  }

  /**
   * Writes 1 to {@code /proc/sys/net/ipv6/conf/IF/disable_ipv6} from a thread inside the namespace
   * ({@code /proc/sys/net} shows the calling thread's namespace). A kernel without IPv6 has no such
   * file, which is fine.
   */
  private static void disableIpv6(String namespace, String interfaceName) {
    Path file = Path.of("/proc/sys/net/ipv6/conf", interfaceName, "disable_ipv6");
    String value;
    try {
      value =
          NetNamespace.call(
              namespace,
              () -> {
                try {
                  Files.writeString(file, "1\n", StandardCharsets.US_ASCII);
                  return Files.readString(file, StandardCharsets.US_ASCII).strip();
                } catch (NoSuchFileException e) {
                  return "absent";
                }
              });
    } catch (TunException e) {
      throw e;
    } catch (IOException e) {
      throw new TunException(
          "cannot disable IPv6 on "
              + interfaceName
              + " in namespace "
              + namespace
              + " (writing "
              + file
              + "): "
              + e,
          e);
    } catch (Exception e) {
      throw new TunException(
          "cannot disable IPv6 on " + interfaceName + " in namespace " + namespace + ": " + e, e);
    }
    if (!value.equals("1") && !value.equals("absent")) {
      throw new TunException(
          "disable_ipv6 on "
              + interfaceName
              + " in namespace "
              + namespace
              + " reads back "
              + value
              + " after writing 1");
    }
  }

  /**
   * Deletes every namespace whose name follows our scheme with {@code prefix} and whose owner pid
   * is not alive. Namespaces of live processes (parallel runs) and names that do not follow the
   * scheme exactly are left alone.
   *
   * @return the names deleted
   */
  List<String> removeStale(String prefix, LongPredicate pidAlive) {
    List<String> removed = new ArrayList<>();
    for (String name : list()) {
      OptionalLong owner = NamespaceNaming.ownerPid(prefix, name);
      if (owner.isPresent() && !pidAlive.test(owner.getAsLong())) {
        delete(name);
        removed.add(name);
      }
    }
    return removed;
  }

  /** Whether a process with this pid exists (in our pid namespace). */
  static boolean pidAlive(long pid) {
    return pid == ProcessHandle.current().pid()
        || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
