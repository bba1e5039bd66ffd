package io.kcpj.core.fec;

import java.nio.ByteBuffer;
import java.util.function.DoubleSupplier;

/**
 * The sending half of a session's FEC, from a {@link FecSpec}: kcp-go's {@link FecEncoder} as it is
 * for a fixed spec, and kcpj's loss-adaptive FEC for the others. Adaptive parity: before each
 * group's parity goes out, {@link AdaptiveParity} picks the count from the loss rate given by the
 * loss source (the session's {@link FecReceiver}: the loss it measures on what it receives, taken
 * as the loss of this direction too; with no estimate yet, the maximum). Group deadline: a group
 * still short of its data shards {@code deadline} ms after its first is closed ({@link
 * FecEncoder#closeGroup}) by the next {@link #send} or {@link #onTimer} at or after that time;
 * {@link #nextDeadline()} says when.
 *
 * <p>No clock and no I/O: time is the caller's {@code nowMillis}. Datagrams handed to the sink are
 * valid only during the call. Not thread-safe: one per session.
 */
public final class FecSender {
  /** {@link #nextDeadline()} when nothing is timed. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final FecSpec spec;
  private final FecEncoder encoder;
  private DoubleSupplier loss = () -> Double.NaN;

  /**
   * A sender for {@code spec} (enabled) whose shards are at most {@code maxDatagram} bytes.
   *
   * @throws IllegalArgumentException if {@code spec} is off
   */
  public FecSender(FecSpec spec, int maxDatagram) {
    if (!spec.enabled()) {
      throw new IllegalArgumentException("FEC is off");
    }
    this.spec = spec;
    this.encoder = new FecEncoder(spec.dataShards(), spec.parityShards(), maxDatagram);
  }

  /** Where adaptive parity reads the loss rate (0..1, NaN when unknown). */
  public void lossSource(DoubleSupplier source) {
    this.loss = source;
  }

  public FecSpec spec() {
    return spec;
  }

  public FecEncoder encoder() {
    return encoder;
  }

  /** Frames one KCP datagram (its remaining bytes; position not moved), as {@link FecEncoder}. */
  public void send(ByteBuffer kcp, long nowMillis, DatagramSink out) {
    beforeEncode(nowMillis, out);
    encoder.encode(kcp, nowMillis, out);
  }

  /** Frames {@code kcp[off .. off + len)}, as {@link FecEncoder}. */
  public void send(byte[] kcp, int off, int len, long nowMillis, DatagramSink out) {
    beforeEncode(nowMillis, out);
    encoder.encode(kcp, off, len, nowMillis, out);
  }

  /** When the pending group must be closed, or {@link #NO_DEADLINE}. */
  public long nextDeadline() {
    if (spec.deadlineMillis() <= 0 || encoder.pendingDataShards() == 0) {
      return NO_DEADLINE;
    }
    return encoder.groupStartedAt() + spec.deadlineMillis();
  }

  /** Closes the pending group if its deadline has come. */
  public void onTimer(long nowMillis, DatagramSink out) {
    if (nowMillis >= nextDeadline()) {
      closeGroup(out);
    }
  }

  /** Closes the pending group now (kcpj extension), whether or not its deadline has come. */
  public boolean closeGroup(DatagramSink out) {
    int k = encoder.pendingDataShards();
    if (k == 0) {
      return false;
    }
    encoder.setParityToSend(parityFor(k));
    return encoder.closeGroup(out);
  }

  private void beforeEncode(long now, DatagramSink out) {
    if (now >= nextDeadline()) {
      closeGroup(out);
    }
    if (spec.adaptive() && encoder.pendingDataShards() == spec.dataShards() - 1) {
      encoder.setParityToSend(parityFor(spec.dataShards())); // this datagram completes the group
    }
  }

  private int parityFor(int k) {
    if (!spec.adaptive()) {
      return spec.parityShards();
    }
    return AdaptiveParity.choose(loss.getAsDouble(), k, spec.minParity(), spec.parityShards());
  }
}
