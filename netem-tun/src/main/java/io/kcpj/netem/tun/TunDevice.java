package io.kcpj.netem.tun;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * One open TUN device ({@code IFF_TUN | IFF_NO_PI}: raw IP packets, no packet-information prefix)
 * held by a non-blocking file descriptor. The device lives as long as the descriptor: it is not
 * persistent, so closing the descriptor (or the process dying) removes the interface, wherever its
 * namespace.
 *
 * <p>Opened in the namespace of the calling thread; the bridge opens it in the root namespace and
 * then moves the interface with {@code ip link set … netns …}, the descriptor staying attached.
 *
 * <p><b>Threading:</b> {@link #read} and {@link #write} are called by the bridge thread only;
 * {@link #close} after that thread has ended. Not thread-safe.
 */
final class TunDevice implements AutoCloseable {

  private static final String CLONE_DEVICE = "/dev/net/tun";

  private final int fd;
  private final String name;
  private boolean closed;

  private TunDevice(int fd, String name) {
    this.fd = fd;
    this.name = name;
  }

  /**
   * Opens {@code /dev/net/tun} and creates a TUN interface.
   *
   * @param nameTemplate interface name or template with one {@code %d} (the kernel picks the first
   *     free number), at most 15 characters
   */
  static TunDevice open(String nameTemplate) {
    byte[] nameBytes = nameTemplate.getBytes(StandardCharsets.US_ASCII);
    if (nameBytes.length == 0 || nameBytes.length >= LibC.IFNAMSIZ) {
      throw new IllegalArgumentException(
          "TUN interface name must have 1 to 15 characters: " + nameTemplate);
    }
    int fd;
    try {
      fd = LibC.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
    } catch (LastErrorException e) {
      throw failure("open(" + CLONE_DEVICE + ")", e.getErrorCode(), e);
    }
    try {
      Memory ifreq = new Memory(LibC.IFREQ_SIZE);
      ifreq.clear();
      ifreq.write(0, nameBytes, 0, nameBytes.length);
      ifreq.setShort(LibC.IFREQ_FLAGS_OFFSET, (short) (LibC.IFF_TUN | LibC.IFF_NO_PI));
      LibC.ioctl(fd, LibC.TUNSETIFF, ifreq);
      String actual = ifreq.getString(0, StandardCharsets.US_ASCII.name());
      return new TunDevice(fd, actual);
    } catch (LastErrorException e) {
      closeQuietly(fd);
      throw failure(
          "ioctl(TUNSETIFF, \"" + nameTemplate + "\", IFF_TUN|IFF_NO_PI)", e.getErrorCode(), e);
    } catch (RuntimeException | Error e) {
      closeQuietly(fd);
      throw e;
    }
  }

  /**
   * Opens and closes {@code /dev/net/tun} read-write, to check access before creating anything.
   *
   * @throws TunUnavailableException if it cannot be opened
   */
  static void probeCloneDevice() {
    try {
      closeQuietly(LibC.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_CLOEXEC));
    } catch (LastErrorException e) {
      throw new TunUnavailableException(
          "cannot open "
              + CLONE_DEVICE
              + " read-write: "
              + LibC.describe(e.getErrorCode())
              + ". Run as root, or give this user access to the device"
              + " (and CAP_NET_ADMIN).",
          e);
    }
  }

  private static TunException failure(String call, int errno, Throwable cause) {
    String what = call + " failed: " + LibC.describe(errno);
    if (errno == LibC.EPERM || errno == LibC.EACCES) {
      return new TunUnavailableException(
          what
              + ". Creating a TUN device needs CAP_NET_ADMIN: run as root"
              + " (or in a container with --cap-add NET_ADMIN --device /dev/net/tun).",
          cause);
    }
    if (errno == LibC.ENOENT || errno == 19) {
      return new TunUnavailableException(
          what
              + ". The TUN driver is missing: load it with 'modprobe tun'"
              + " (in a container pass --device /dev/net/tun).",
          cause);
    }
    return new TunException(what, cause);
  }

  /** The interface name the kernel assigned (in whichever namespace the interface now lives). */
  String name() {
    return name;
  }

  /**
   * Reads one packet into {@code buffer}.
   *
   * @return the packet length, or -1 if no packet is waiting
   * @throws LastErrorException for any error other than EAGAIN/EINTR
   */
  int read(Pointer buffer, int capacity) {
    try {
      return (int) LibC.read(fd, buffer, capacity);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == LibC.EAGAIN || e.getErrorCode() == LibC.EINTR) {
        return -1;
      }
      throw e;
    }
  }

  /**
   * Writes one packet from {@code buffer}.
   *
   * @return {@code true} if the kernel accepted the whole packet
   */
  boolean write(Pointer buffer, int length) {
    try {
      return LibC.write(fd, buffer, length) == length;
    } catch (LastErrorException e) {
      return false;
    }
  }

  /** The raw descriptor, for {@code ppoll}. */
  int fd() {
    return fd;
  }

  /** Closes the descriptor, which removes the interface. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      LibC.close(fd);
    }
  }

  static void closeQuietly(int fd) {
    try {
      LibC.close(fd);
    } catch (LastErrorException ignored) {
      // nothing more to do with a descriptor we are abandoning
    }
  }

  @Override
  public String toString() {
    return "TunDevice[" + name + ", fd=" + fd + "]";
  }
}
