package io.kcpj.netem.tun;

/**
 * The seam between the {@link TunBridge} and an impairment model: one direction of the simulated
 * link. The bridge offers every raw IP packet it reads from the source TUN device; the path decides
 * the packet's fate and time (deliver now, later, several times, modified, or never) and hands
 * survivors to a {@link PacketSink}, which writes them into the destination TUN device.
 *
 * <p><b>Threading:</b> all three methods are called on the single bridge thread (named {@code
 * kcpj-tun-bridge-…}), never concurrently, so an implementation needs no locking for its own state.
 * A path instance serves one direction of one bridge; do not share it.
 *
 * <p><b>Time:</b> {@code nowNanos} is {@link System#nanoTime()} as seen by the bridge thread:
 * {@link #offer} receives the time the packet was read; {@link #runDue} receives the current time.
 * Between calls the bridge sleeps in {@code ppoll(2)} until the earliest of: a TUN device becomes
 * readable, {@link #nextDueNanos()} of either path is reached, or the bridge is stopped. A path
 * that adapts a discrete-event scheduler implements {@code nextDueNanos} as the time of its
 * earliest pending event and {@code runDue} as "run every event due by {@code nowNanos}".
 *
 * <p><b>Buffer ownership:</b> {@code packet} passed to {@link #offer} is a fresh array copied out
 * of the bridge's native read buffer; from the call on it belongs to the path (the bridge never
 * reads or writes it again), so a path may queue it without copying. The packet is {@code packet[0,
 * length)}; {@code packet.length >= length}.
 *
 * <p>Exceptions thrown by a path stop the bridge: {@link TunBridge#failure()} then reports them.
 *
 * @see PassThroughPath the identity path
 * @see NetemPaths netem-sim's link models (every loss, delay, rate and timeline model) as paths
 */
public interface PacketPath {

  /**
   * Offers one IP packet just read from the source TUN device.
   *
   * @param packet the packet bytes, owned by the path from now on
   * @param length the packet length in bytes ({@code packet[0, length)})
   * @param nowNanos {@link System#nanoTime()} when the packet was read
   * @param sink where to deliver the packet, now or from a later {@link #runDue} call (the same
   *     sink object is passed on every call for this direction)
   */
  void offer(byte[] packet, int length, long nowNanos, PacketSink sink);

  /**
   * The earliest {@link System#nanoTime()} at which {@link #runDue} has something to do, or {@link
   * Long#MAX_VALUE} when nothing is pending. Called on the bridge thread after every round of
   * offers and due runs; must be cheap.
   */
  default long nextDueNanos() {
    return Long.MAX_VALUE;
  }

  /**
   * Delivers (through {@code sink}) or discards everything that is due at or before {@code
   * nowNanos}. Called on the bridge thread at least once after {@link #nextDueNanos()} has been
   * reached (possibly late, never early by the bridge's clock), and possibly more often.
   */
  default void runDue(long nowNanos, PacketSink sink) {
    // nothing held: an immediate path delivers from offer()
  }
}
