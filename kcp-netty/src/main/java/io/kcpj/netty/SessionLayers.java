package io.kcpj.netty;

import io.kcpj.core.EngineSetting;
import io.kcpj.core.Kcp;
import io.kcpj.core.fec.FecHeader;
import io.kcpj.core.fec.FecReceiver;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.core.stack.DatagramStack;
import io.kcpj.core.stack.DatagramStackCounters;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * One session's datagram layers in kcp-netty: a kcp-core {@link DatagramStack} (FEC, and the
 * codec's {@link CodecCrypt} as its protection for sealing) bound to its engine and its codec.
 *
 * <pre>
 *   inbound:  codec (opens, routes) → {@link #input} → FEC receiver → engine.input (0..n times)
 *   outbound: engine output → {@link #send} → FEC sender → seal → codec.writeWire (1..n datagrams)
 * </pre>
 *
 * <p>Created when the session starts if it sends FEC or the codec encrypts, or later on the first
 * FEC shard that reaches a plain session (kcp-go does the same; {@link
 * KcpChannelOption#FEC_DECODE_UNREQUESTED}). The sinks are created once here: nothing allocates per
 * datagram. The engine's MTU leaves room for the layers' bytes ({@link #applyMtu}): a session's
 * {@code KCP_MTU} stays the size of its datagrams on the wire, as kcp-go's {@code SetMtu}.
 *
 * <p>Event-loop confined, like its session.
 */
final class SessionLayers {
  /** {@link #input} status: an FEC shard this session does not decode. */
  static final int UNEXPECTED_FEC = Integer.MIN_VALUE;

  private final DatagramStack stack;
  private final Kcp kcp;
  private int status;

  SessionLayers(
      KcpCodec codec,
      Supplier<InetSocketAddress> remote,
      Kcp kcp,
      FecSpec fec,
      boolean decodeUnrequested,
      CodecCrypt crypt,
      int wireMtu) {
    this.kcp = kcp;
    this.stack =
        DatagramStack.builder()
            .fec(fec)
            .protection(crypt == null ? null : crypt.blockCrypt())
            .maxDatagram(Math.min(Math.max(wireMtu, DatagramStack.DEFAULT_MAX_DATAGRAM), 65_507))
            .decodeUnrequestedFec(decodeUnrequested)
            .toWire((b, off, len) -> codec.writeWire(remote.get(), b, off, len))
            .toKcp(this::toKcp)
            .build();
  }

  private void toKcp(byte[] b, int off, int len) {
    int s = kcp.input(b, off, len);
    if (s < 0 && status >= 0) {
      status = s;
    }
  }

  /**
   * One opened datagram (plain KCP or an FEC shard) into the engine: 0 when every KCP datagram it
   * yielded was accepted, the first engine error otherwise, or {@link #UNEXPECTED_FEC}.
   */
  int input(byte[] b, int off, int len, long nowMillis) {
    status = 0;
    if (stack.receiveOpened(b, off, len, nowMillis) == DatagramStack.DROPPED_UNEXPECTED_FEC) {
      return UNEXPECTED_FEC;
    }
    return status;
  }

  /** One engine datagram to the wire through the layers. */
  void send(ByteBuffer datagram, long nowMillis) {
    stack.send(datagram, nowMillis);
  }

  long nextDeadline() {
    return stack.nextDeadline();
  }

  void onTimer(long nowMillis) {
    stack.onTimer(nowMillis);
  }

  /**
   * Engine MTU = wire MTU − the layers' bytes (8 FEC, 20 encryption), as kcp-go reserves them, −
   * {@code outerOverhead}, the bytes a session layer under the codec adds around the result (a
   * secure record's 26; 0 without one). The stack order is fixed: FEC, then encryption, then the
   * session layer outermost.
   */
  void applyMtu(int wireMtu, int outerOverhead) {
    int overhead = stack.overhead() + outerOverhead;
    if (overhead > 0) {
      int engineMtu = Math.min(wireMtu, stack.maxDatagram()) - overhead;
      kcp.setMtu(Math.max(EngineSetting.MTU.min(), engineMtu));
    }
  }

  void addCountersTo(DatagramStackCounters total) {
    stack.addCountersTo(total);
  }

  DatagramStack stack() {
    return stack;
  }

  /** Whether {@code b[off .. off + len)} is an FEC shard (after decryption). */
  static boolean isFec(byte[] b, int off, int len) {
    return FecReceiver.isFec(b, off, len);
  }

  /**
   * Where the first KCP segment of an opened datagram starts, relative to its reader index: 0 for
   * plain KCP, 8 for an FEC data shard, −1 for a parity shard (no conv: routed by address). The
   * datagram must hold at least 6 bytes.
   */
  static int kcpOffset(ByteBuf content) {
    int at = content.readerIndex();
    int type = content.getUnsignedShortLE(at + FecHeader.TYPE_OFFSET);
    if (type == FecHeader.TYPE_DATA) {
      return FecHeader.DATA_HEADER_SIZE;
    }
    if (type == FecHeader.TYPE_PARITY
        || ((type & 0xff) == FecHeader.SHORT_PARITY_MARK && type >>> 8 != 0)) {
      return -1;
    }
    return 0;
  }
}
