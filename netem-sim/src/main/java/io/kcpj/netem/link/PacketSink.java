package io.kcpj.netem.link;

/**
 * Where a link direction delivers packets, at their delivery time, on the thread that runs the
 * link's scheduler. The sink owns each packet it receives.
 */
@FunctionalInterface
public interface PacketSink<P> {

  /** {@code packet} arrives at {@code nowNanos} (the scheduler's current time). */
  void deliver(P packet, long nowNanos);

  /**
   * Called after one or more {@link #deliver} calls made by the same timer run: a place to flush a
   * batch (Netty's {@code channelReadComplete} or {@code flush}). The default does nothing.
   */
  default void endOfBatch() {}
}
