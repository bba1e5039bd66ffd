package io.kcpj.netty;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * The first step of a server's admission, taken before any session state exists: does a datagram
 * from an unknown (address, conv) open a session, and does the opening itself prove that its sender
 * receives at its address? Plain KCP has no such proof, so {@link #KCP} admits every well-formed
 * opening as {@link Verdict#UNVALIDATED}; a gate that checks an address token or a handshake's
 * first message can return {@link Verdict#VALIDATED} instead (the session then starts protected,
 * outside the per-source cap and the anti-amplification limit), or {@link Verdict#NONE} to drop it.
 *
 * <p>A gate reads the datagram (from its reader index, without consuming or releasing it) and keeps
 * no reference to it. Called on the event loop.
 */
interface OpeningGate {
  /** What a gate decided about a datagram from an unknown (address, conv). */
  enum Verdict {
    /** Not an opening: dropped as a stray. */
    NONE,
    /** Opens a session whose peer has proven nothing yet. */
    UNVALIDATED,
    /** Opens a session whose peer has proven its address (the opening carries the proof). */
    VALIDATED
  }

  /** Classifies a well-formed datagram (at least one whole segment) from an unknown session. */
  Verdict classify(ByteBuf datagram, InetSocketAddress sender, long nowMillis);

  /**
   * Plain KCP: a data segment with sn 0 first opens a conversation. That is the first segment any
   * KCP sender transmits, and it retransmits it with sn 0 until it is acknowledged. In an FEC data
   * shard it is the segment after the shard's header. The segment is a PUSH, or an unordered or
   * sequenced one of the delivery extension. The opening proves nothing.
   */
  OpeningGate KCP =
      (datagram, sender, now) -> KcpCodec.isOpening(datagram) ? Verdict.UNVALIDATED : Verdict.NONE;
}
