package io.kcpj.netem.tun;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * An {@code eventfd(2)} in the bridge's poll set, so another thread can wake the bridge thread out
 * of {@code ppoll} (to stop it). {@link #signal} is thread-safe; {@link #drain} is called by the
 * bridge thread; {@link #close} after the bridge thread has ended.
 */
final class WakeupFd implements AutoCloseable {

  private final int fd;
  private final Memory one = new Memory(8);
  private final Memory sink = new Memory(8);
  private boolean closed;

  private WakeupFd(int fd) {
    this.fd = fd;
    one.setLong(0, 1L);
  }

  static WakeupFd open() {
    try {
      return new WakeupFd(LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC));
    } catch (LastErrorException e) {
      throw new TunException("eventfd() failed: " + LibC.describe(e.getErrorCode()), e);
    }
  }

  int fd() {
    return fd;
  }

  /** Wakes the bridge thread. Any thread. */
  void signal() {
    try {
      LibC.write(fd, one, 8);
    } catch (LastErrorException e) {
      // EAGAIN: the counter is saturated, the bridge will wake anyway
    }
  }

  /** Resets the counter. Bridge thread. */
  void drain() {
    try {
      LibC.read(fd, sink, 8);
    } catch (LastErrorException e) {
      // EAGAIN: nothing to drain
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      TunDevice.closeQuietly(fd);
    }
  }
}
