package io.kcpj.netem.tun;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.kcpj.netem.Direction;
import java.util.Objects;

/**
 * The bridge thread's body: one {@code ppoll(2)} loop over both TUN descriptors and a wake-up
 * eventfd. Each round it
 *
 * <ol>
 *   <li>runs both paths' due work ({@link PacketPath#runDue}), which writes packets into the
 *       destination TUN devices through the sinks;
 *   <li>sleeps in {@code ppoll} until a TUN is readable, the earliest {@link
 *       PacketPath#nextDueNanos} of the two paths, or a wake-up (nanosecond timeout);
 *   <li>reads up to {@value #READ_BATCH} packets from each readable TUN, copies each out of the
 *       native read buffer into a fresh array, counts it, and offers it to that direction's path.
 * </ol>
 *
 * <p><b>Threading:</b> {@link #run} executes on exactly one thread, which is the only thread that
 * touches the TUN descriptors' data, the native buffers, the paths and the counters' writers.
 * {@link #requestStop} may be called from any thread; it sets a flag and signals the eventfd.
 */
final class BridgeLoop implements Runnable {

  /** Maximum packets read from one TUN per round, so one busy direction cannot starve the other. */
  static final int READ_BATCH = 64;

  /** Native buffer size: the largest IPv4/IPv6 packet a TUN can hand us. */
  static final int BUFFER_SIZE = 65536;

  private static final System.Logger LOG = System.getLogger(TunBridge.class.getName());
  private static final int WAKE = 0;
  private static final int TUN_A = 1;
  private static final int TUN_B = 2;

  private final TunDevice tunA;
  private final TunDevice tunB;
  private final WakeupFd wakeup;
  private final PacketPath pathAtoB;
  private final PacketPath pathBtoA;
  private final TrafficCounters counters;

  private final Memory readBuffer = new Memory(BUFFER_SIZE);
  private final Memory writeBuffer = new Memory(BUFFER_SIZE);
  private final Memory pollFds = new Memory(3L * LibC.POLLFD_SIZE);
  private final Memory timeout = new Memory(16);
  private final Sink sinkToA;
  private final Sink sinkToB;

  private volatile boolean stopRequested;
  private volatile Throwable failure;
  private volatile Thread thread;

  BridgeLoop(
      TunDevice tunA,
      TunDevice tunB,
      WakeupFd wakeup,
      PacketPath pathAtoB,
      PacketPath pathBtoA,
      TrafficCounters counters) {
    this.tunA = Objects.requireNonNull(tunA);
    this.tunB = Objects.requireNonNull(tunB);
    this.wakeup = Objects.requireNonNull(wakeup);
    this.pathAtoB = Objects.requireNonNull(pathAtoB);
    this.pathBtoA = Objects.requireNonNull(pathBtoA);
    this.counters = Objects.requireNonNull(counters);
    this.sinkToB = new Sink(tunB, Direction.A_TO_B);
    this.sinkToA = new Sink(tunA, Direction.B_TO_A);
    pollFds.clear();
    pollFds.setInt(WAKE * LibC.POLLFD_SIZE, wakeup.fd());
    pollFds.setInt(TUN_A * LibC.POLLFD_SIZE, tunA.fd());
    pollFds.setInt(TUN_B * LibC.POLLFD_SIZE, tunB.fd());
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    try {
      while (!stopRequested) {
        long now = System.nanoTime();
        pathAtoB.runDue(now, sinkToB);
        pathBtoA.runDue(now, sinkToA);
        long due = Math.min(pathAtoB.nextDueNanos(), pathBtoA.nextDueNanos());
        if (!poll(due)) {
          continue;
        }
        if (readable(WAKE)) {
          wakeup.drain();
        }
        if (readable(TUN_A)) {
          drain(tunA, Direction.A_TO_B, pathAtoB, sinkToB);
        }
        if (readable(TUN_B)) {
          drain(tunB, Direction.B_TO_A, pathBtoA, sinkToA);
        }
      }
    } catch (Throwable t) {
      failure = t;
      LOG.log(
          System.Logger.Level.ERROR, "TUN bridge thread stopped: packets are no longer carried", t);
    }
  }

  /** Whether the calling thread is the bridge thread. */
  boolean isBridgeThread() {
    return Thread.currentThread() == thread;
  }

  /** Sets the stop flag and wakes the loop. Any thread. */
  void requestStop() {
    stopRequested = true;
    wakeup.signal();
  }

  /** What ended the loop abnormally, or {@code null}. Any thread. */
  Throwable failure() {
    return failure;
  }

  /** Sleeps until an fd is ready or {@code dueNanos}; false on timeout or EINTR. */
  private boolean poll(long dueNanos) {
    for (int i = 0; i < 3; i++) {
      long base = (long) i * LibC.POLLFD_SIZE;
      pollFds.setShort(base + 4, LibC.POLLIN);
      pollFds.setShort(base + 6, (short) 0);
    }
    Pointer timeoutPointer = null;
    if (dueNanos != Long.MAX_VALUE) {
      long wait = Math.max(0L, dueNanos - System.nanoTime());
      timeout.setLong(0, wait / 1_000_000_000L);
      timeout.setLong(8, wait % 1_000_000_000L);
      timeoutPointer = timeout;
    }
    try {
      return LibC.ppoll(pollFds, 3, timeoutPointer, null) > 0;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == LibC.EINTR) {
        return false;
      }
      throw new TunException("ppoll() failed: " + LibC.describe(e.getErrorCode()), e);
    }
  }

  private boolean readable(int index) {
    short revents = pollFds.getShort((long) index * LibC.POLLFD_SIZE + 6);
    if ((revents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
      throw new TunException(
          "poll reported an error condition (revents=0x"
              + Integer.toHexString(revents & 0xffff)
              + ") on "
              + (index == WAKE ? "the wake-up eventfd" : index == TUN_A ? tunA : tunB)
              + "; was the interface or its namespace deleted while the bridge ran?");
    }
    return (revents & LibC.POLLIN) != 0;
  }

  private void drain(TunDevice tun, Direction direction, PacketPath path, Sink sink) {
    for (int i = 0; i < READ_BATCH; i++) {
      int length;
      try {
        length = tun.read(readBuffer, BUFFER_SIZE);
      } catch (LastErrorException e) {
        throw new TunException(
            "read() from " + tun + " failed: " + LibC.describe(e.getErrorCode()), e);
      }
      if (length <= 0) {
        return;
      }
      byte[] packet = new byte[length];
      readBuffer.read(0, packet, 0, length);
      long now = System.nanoTime();
      counters.offered(direction, packet, 0, length);
      path.offer(packet, length, now, sink);
    }
  }

  /** Writes into one destination TUN; used by the paths on the bridge thread. */
  private final class Sink implements PacketSink {
    private final TunDevice destination;
    private final Direction direction;

    Sink(TunDevice destination, Direction direction) {
      this.destination = destination;
      this.direction = direction;
    }

    @Override
    public boolean deliver(byte[] packet, int offset, int length) {
      if (Thread.currentThread() != thread) {
        throw new IllegalStateException(
            "PacketSink.deliver must be called on the bridge thread "
                + thread
                + ", not "
                + Thread.currentThread());
      }
      Objects.checkFromIndexSize(offset, length, packet.length);
      if (length == 0 || length > BUFFER_SIZE - 1) {
        throw new IllegalArgumentException("IP packet length must be 1..65535: " + length);
      }
      writeBuffer.write(0, packet, offset, length);
      if (destination.write(writeBuffer, length)) {
        counters.delivered(direction, packet, offset, length);
        return true;
      }
      counters.writeError(direction);
      return false;
    }

    @Override
    public String toString() {
      return "PacketSink[" + direction + " -> " + destination + "]";
    }
  }
}
