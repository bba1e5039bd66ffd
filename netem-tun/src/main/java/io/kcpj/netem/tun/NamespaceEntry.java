package io.kcpj.netem.tun;

import com.sun.jna.LastErrorException;

/**
 * Moves the calling thread into a named network namespace with {@code setns(2)}. Kept apart from
 * {@link NetNamespace} so that class needs no JNA type to load. Stateless; any thread (it changes
 * only the calling thread).
 */
final class NamespaceEntry {

  /** Where iproute2 keeps its named namespaces (bind mounts), depending on how it was built. */
  static final String[] NETNS_RUN_DIRS = {"/run/netns/", "/var/run/netns/"};

  private NamespaceEntry() {}

  /** Moves the calling thread into the namespace; the thread stays there until it ends. */
  static void enter(String namespace) {
    String path = NETNS_RUN_DIRS[0] + namespace;
    if (!new java.io.File(path).exists()
        && new java.io.File(NETNS_RUN_DIRS[1] + namespace).exists()) {
      path = NETNS_RUN_DIRS[1] + namespace;
    }
    int fd;
    try {
      fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new TunException(
          "cannot open network namespace "
              + path
              + ": "
              + LibC.describe(e.getErrorCode())
              + (e.getErrorCode() == LibC.ENOENT
                  ? " (no such namespace; see `ip netns list`)"
                  : ""),
          e);
    }
    try {
      LibC.setns(fd, LibC.CLONE_NEWNET);
    } catch (LastErrorException e) {
      throw new TunException(
          "setns("
              + path
              + ", CLONE_NEWNET) failed: "
              + LibC.describe(e.getErrorCode())
              + (e.getErrorCode() == LibC.EPERM
                  ? "; entering a namespace needs CAP_SYS_ADMIN (run as root)"
                  : ""),
          e);
    } finally {
      TunDevice.closeQuietly(fd);
    }
  }
}
