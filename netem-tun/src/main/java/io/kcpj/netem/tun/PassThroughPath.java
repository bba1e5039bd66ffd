package io.kcpj.netem.tun;

/**
 * The identity {@link PacketPath}: every packet is delivered unchanged, at once, from {@link
 * #offer}. The default path of a {@link TunBridge} direction; useful to measure the bridge itself.
 * Stateless, so one instance may serve both directions.
 */
public final class PassThroughPath implements PacketPath {

  /** Creates the identity path. */
  public PassThroughPath() {}

  @Override
  public void offer(byte[] packet, int length, long nowNanos, PacketSink sink) {
    sink.deliver(packet, 0, length);
  }

  @Override
  public String toString() {
    return "PassThroughPath";
  }
}
