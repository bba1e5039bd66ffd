package io.kcpj.netem.tun;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The handful of libc calls the bridge needs, bound with JNA direct mapping. Constants are the
 * Linux values shared by x86-64, aarch64, riscv64 and loongarch64 (asm-generic); the {@link
 * TunPreflight} refuses other architectures. {@code size_t}/{@code ssize_t} are mapped to Java
 * {@code long}, which is right on these 64-bit (LP64) targets.
 *
 * <p>Every call that can fail declares {@link LastErrorException}, which carries {@code errno}.
 * Stateless; any thread.
 */
final class LibC {

  static final int O_RDONLY = 0;
  static final int O_RDWR = 2;
  static final int O_NONBLOCK = 0x800; // 04000
  static final int O_CLOEXEC = 0x80000; // 02000000

  /** {@code _IOW('T', 202, int)} from linux/if_tun.h. */
  static final long TUNSETIFF = 0x400454caL;

  static final short IFF_TUN = 0x0001;
  static final short IFF_NO_PI = 0x1000;

  /** Interface name buffer size, including the terminating NUL. */
  static final int IFNAMSIZ = 16;

  /** {@code sizeof(struct ifreq)} on 64-bit Linux: 16-byte name + 24-byte union. */
  static final int IFREQ_SIZE = 40;

  static final int IFREQ_FLAGS_OFFSET = 16;

  static final int EFD_NONBLOCK = O_NONBLOCK;
  static final int EFD_CLOEXEC = O_CLOEXEC;

  static final short POLLIN = 0x001;
  static final short POLLERR = 0x008;
  static final short POLLHUP = 0x010;
  static final short POLLNVAL = 0x020;

  /** {@code sizeof(struct pollfd)}: int fd, short events, short revents. */
  static final int POLLFD_SIZE = 8;

  static final int CLONE_NEWNET = 0x40000000;

  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int EACCES = 13;
  static final int EBUSY = 16;

  static {
    Native.register(LibC.class, Platform.C_LIBRARY_NAME);
  }

  private LibC() {}

  static native int open(String path, int flags) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

  static native long read(int fd, Pointer buffer, long count) throws LastErrorException;

  static native long write(int fd, Pointer buffer, long count) throws LastErrorException;

  static native int ppoll(Pointer fds, long nfds, Pointer timeout, Pointer sigmask)
      throws LastErrorException;

  static native int eventfd(int initialValue, int flags) throws LastErrorException;

  static native int setns(int fd, int nstype) throws LastErrorException;

  /** A short description of an errno value for error messages. */
  static String describe(int errno) {
    String name =
        switch (errno) {
          case EPERM -> "EPERM, operation not permitted";
          case ENOENT -> "ENOENT, no such file or directory";
          case EINTR -> "EINTR, interrupted";
          case EAGAIN -> "EAGAIN, try again";
          case EACCES -> "EACCES, permission denied";
          case EBUSY -> "EBUSY, device or resource busy";
          case 9 -> "EBADF, bad file descriptor";
          case 19 -> "ENODEV, no such device";
          case 22 -> "EINVAL, invalid argument";
          case 5 -> "EIO, input/output error";
          default -> "errno " + errno;
        };
    return name + " (" + errno + ")";
  }
}
