package io.kcpj.netty;

import io.kcpj.core.Kcp;
import io.kcpj.core.wire.SegmentHeader;
import io.netty.buffer.ByteBuf;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * A codec's session admission policy: which openings become sessions, which sessions give way when
 * the table is full, and how much an unproven peer may be sent.
 *
 * <p><b>Validated and unvalidated.</b> A server session starts <em>unvalidated</em>: its peer has
 * proven nothing, and its address may be forged. It becomes <em>validated</em> when the peer
 * acknowledges anything the session sent: an ACK of any of its segments, or a {@code una} past its
 * first (the engine's {@code sndUna} moves). Both are things a sender at a forged address cannot
 * see; an ACK of the second answer is as good a proof as one of the first, so a peer whose first
 * answer was lost is validated by its ACK of a later one. A stronger proof (an address token, a
 * handshake) can validate a session through {@link #validate} or at its opening through an {@link
 * OpeningGate}. Client sessions are validated from the start. Unvalidated sessions are cheap and
 * short-lived:
 *
 * <ul>
 *   <li>they close after {@link KcpChannelOption#UNVALIDATED_TIMEOUT_MILLIS} without input ({@link
 *       KcpCloseReason#UNVALIDATED_TIMEOUT});
 *   <li>one source (an IPv4 address, or an IPv6 /64 prefix: one host's share of addresses) holds at
 *       most {@link KcpChannelOption#MAX_UNVALIDATED_PER_SOURCE} of them; further openings from it
 *       are dropped ({@link KcpDropReason#SOURCE_LIMIT});
 *   <li>when the table is full, a new opening evicts the oldest of them ({@link
 *       KcpCloseReason#EVICTED}); validated sessions are never evicted, and an opening that finds
 *       only validated sessions is dropped ({@link KcpDropReason#SESSION_LIMIT});
 *   <li>anti-amplification: until validated, a session sends at most {@value #AMPLIFICATION_FACTOR}
 *       times the bytes it received from its peer, retransmissions included (QUIC's rule, RFC 9000
 *       §8.1). A datagram that does not fit is cut after its last whole segment that fits
 *       (acknowledgements come first in a KCP datagram), or withheld; the engine treats what was
 *       withheld as lost and retransmits it once the peer has sent more.
 *   <li>the limit is spent on drawing the peer's proof rather than on resending data blindly: when
 *       it withholds data (a PUSH or a delivery-extension data segment, {@link
 *       SegmentHeader#isData}) and a {@value io.kcpj.core.wire.SegmentHeader#HEADER_SIZE} -byte
 *       window probe (WASK, {@link ProbeSegment}) still fits in the allowance, the probe goes
 *       instead; and a <em>re</em>transmitted data segment goes only if it leaves room for {@value
 *       #PROBE_RESERVE} probes (first transmissions may use the whole allowance). Every KCP peer
 *       answers a probe at once with a WINS segment whose {@code una} acknowledges what it received
 *       (which validates the session if it got the answer) and whose bytes raise the allowance by
 *       three times what the probe cost (so the answer can be resent if it did not). Without this,
 *       a peer that sent one small request, got the answer, had its acknowledgements lost and then
 *       stayed quiet for a while was never asked again: every retransmission was withheld once two
 *       had been spent, the session reached the unvalidated timeout with its peer alive, and every
 *       later datagram of the conversation was dropped as {@link KcpDropReason#UNKNOWN_CONV} (only
 *       a data segment with sn 0 opens a session). The limit still bounds how often the server can
 *       ask: a quiet peer whose replies to the answer and to every probe the allowance pays for
 *       (six after one unpadded 88-byte request) are all lost still loses its session.
 * </ul>
 *
 * <p>Plain KCP's proof is weak: the first sequence number is always 0, so a sender who guesses when
 * the server answered can forge the acknowledgement without seeing it. The rules above bound what a
 * blind flood costs the server; they do not authenticate anyone.
 *
 * <p>Event-loop confined; one per codec.
 */
final class SessionAdmission {
  /** The most bytes an unvalidated session sends per byte received (QUIC's factor). */
  static final int AMPLIFICATION_FACTOR = 3;

  /**
   * Window probes an unvalidated session keeps room for when it retransmits data: a retransmission
   * that would leave less is withheld and a probe goes instead (a probe costs 24 bytes, a
   * retransmission its whole segment, and either draws the peer's proof if it answers).
   */
  static final int PROBE_RESERVE = 3;

  private final CodecLimits limits;
  private final OpeningGate gate;
  private final CodecStats stats;

  /** The unvalidated sessions in the order they opened: {@code oldest} is evicted first. */
  private SessionAccount oldest;

  private SessionAccount newest;
  private final Map<Object, Integer> unvalidatedBySource = new HashMap<>();

  /** Set by {@link #permit} when it cut a datagram; cleared by {@link #takeWithheld}. */
  private boolean withheld;

  SessionAdmission(CodecLimits limits, OpeningGate gate, CodecStats stats) {
    this.limits = limits;
    this.gate = gate;
    this.stats = stats;
  }

  /** What the gate makes of a well-formed datagram from an unknown (address, conv). */
  OpeningGate.Verdict classify(ByteBuf datagram, InetSocketAddress sender, long nowMillis) {
    return gate.classify(datagram, sender, nowMillis);
  }

  /**
   * Makes room in a table of {@code open} sessions out of {@code max} for an opening from {@code
   * sender}: returns null if the session may be created now (after evicting the oldest unvalidated
   * session if the table was full), or the reason to drop the opening.
   */
  KcpDropReason makeRoom(InetSocketAddress sender, OpeningGate.Verdict verdict, int open, int max) {
    if (limits.admission && verdict == OpeningGate.Verdict.UNVALIDATED) {
      Integer n = unvalidatedBySource.get(sourceOf(sender.getAddress()));
      if (n != null && n >= limits.maxUnvalidatedPerSource) {
        return KcpDropReason.SOURCE_LIMIT;
      }
    }
    if (open < max) {
      return null;
    }
    if (oldest == null) {
      return KcpDropReason.SESSION_LIMIT;
    }
    oldest.session.forceClose(KcpCloseReason.EVICTED); // leaves the table at once (childClosed)
    return null;
  }

  /** A new session enters the table, validated or not. */
  void register(SessionAccount a, boolean validated) {
    if (validated || !limits.admission) {
      a.validated = true;
      return;
    }
    a.source = sourceOf(a.session.remoteAddress().getAddress());
    unvalidatedBySource.merge(a.source, 1, Integer::sum);
    a.older = newest;
    a.newer = null;
    if (newest != null) {
      newest.newer = a;
    } else {
      oldest = a;
    }
    newest = a;
    a.listed = true;
    stats.sessionsUnvalidated++;
  }

  /** The peer proved its address: the session is protected from now on. */
  void validate(SessionAccount a) {
    if (a.validated) {
      return;
    }
    a.validated = true;
    unlist(a);
    stats.validations++;
  }

  /**
   * After a datagram went into the session's engine: the session is validated once the peer has
   * acknowledged something it sent: {@code acked} (the input acknowledged one of its segments) or
   * {@code sndUna} left 0, where every engine starts. Returns true if this input validated it.
   */
  boolean afterInput(SessionAccount a, Kcp engine, boolean acked) {
    if (!a.validated && (acked || engine.sndUna() != 0)) {
      validate(a);
      return true;
    }
    return false;
  }

  /** The session left the table. */
  void removed(SessionAccount a) {
    unlist(a);
  }

  private void unlist(SessionAccount a) {
    if (!a.listed) {
      return;
    }
    a.listed = false;
    if (a.older != null) {
      a.older.newer = a.newer;
    } else {
      oldest = a.newer;
    }
    if (a.newer != null) {
      a.newer.older = a.older;
    } else {
      newest = a.older;
    }
    a.older = null;
    a.newer = null;
    unvalidatedBySource.computeIfPresent(a.source, (k, n) -> n == 1 ? null : n - 1);
    stats.sessionsUnvalidated--;
  }

  /** A datagram of {@code bytes} from the session's peer reached the session. */
  void received(SessionAccount a, int bytes) {
    if (!a.validated) {
      a.bytesReceived += bytes;
    }
  }

  /**
   * How many bytes of {@code datagram} (position to limit) an unvalidated session may send now: all
   * of them, or the whole segments that fit in its allowance (possibly none). A retransmitted data
   * segment must also leave room for {@value #PROBE_RESERVE} window probes. Counts what it grants
   * as sent.
   */
  int permit(SessionAccount a, ByteBuffer datagram) {
    int len = datagram.remaining();
    if (a.validated || !limits.antiAmplification) {
      return len;
    }
    long allowance = AMPLIFICATION_FACTOR * a.bytesReceived - a.bytesSent;
    int permitted = wholeSegmentsWithin(a, datagram, allowance);
    if (permitted < len) {
      stats.datagramsWithheld++;
      stats.bytesWithheld += len - permitted;
      withheld = true;
    }
    a.bytesSent += permitted;
    return permitted;
  }

  /**
   * The length of the longest run of whole KCP segments from the position within {@code max} bytes,
   * where a retransmitted data segment (an sn below {@link SessionAccount#nextSn}) must leave room
   * for {@value #PROBE_RESERVE} probes; records the sns of the data segments it lets through.
   */
  private static int wholeSegmentsWithin(SessionAccount a, ByteBuffer datagram, long max) {
    int start = datagram.position();
    int end = datagram.limit();
    int at = start;
    int nextSn = a.nextSn;
    while (end - at >= SegmentHeader.HEADER_SIZE) {
      long next = at + SegmentHeader.HEADER_SIZE + segmentLength(datagram, at);
      boolean data = isData(datagram, at);
      int sn = data ? wireInt(datagram, at + SegmentHeader.SN_OFFSET) : 0;
      boolean retransmission = data && sn - a.nextSn < 0;
      long limit = retransmission ? max - PROBE_RESERVE * SegmentHeader.HEADER_SIZE : max;
      if (next > end || next - start > limit) {
        break;
      }
      if (data && sn - nextSn >= 0) {
        nextSn = sn + 1;
      }
      at = (int) next;
    }
    a.nextSn = nextSn;
    return at - start;
  }

  /**
   * After {@link #permit} granted only {@code permitted} bytes of {@code datagram}: whether a
   * window probe ({@link ProbeSegment}) should go to the peer instead of what was withheld. True
   * when the withheld part holds data (a data segment, which the peer would acknowledge) and a
   * probe fits in the allowance; the probe is then counted as sent.
   */
  boolean permitProbe(SessionAccount a, ByteBuffer datagram, int permitted) {
    if (a.validated || !limits.antiAmplification) {
      return false;
    }
    if (AMPLIFICATION_FACTOR * a.bytesReceived - a.bytesSent < SegmentHeader.HEADER_SIZE
        || !holdsPush(datagram, datagram.position() + permitted)) {
      return false;
    }
    a.bytesSent += SegmentHeader.HEADER_SIZE;
    return true;
  }

  /**
   * Whether the whole segments of {@code datagram} from index {@code at} include a data segment.
   */
  private static boolean holdsPush(ByteBuffer datagram, int at) {
    int end = datagram.limit();
    while (end - at >= SegmentHeader.HEADER_SIZE) {
      if (isData(datagram, at)) {
        return true;
      }
      at += SegmentHeader.HEADER_SIZE + (int) Math.min(end, segmentLength(datagram, at));
    }
    return false;
  }

  /** Whether the segment at {@code at} is data ({@link SegmentHeader#isData}: PUSH or 85–88). */
  private static boolean isData(ByteBuffer datagram, int at) {
    return SegmentHeader.isData(datagram.get(at + SegmentHeader.CMD_OFFSET) & 0xff);
  }

  /** The payload length field of the segment at {@code at}. */
  private static long segmentLength(ByteBuffer datagram, int at) {
    return Integer.toUnsignedLong(wireInt(datagram, at + SegmentHeader.LEN_OFFSET));
  }

  /** A little-endian wire field of {@code datagram}, whatever the buffer's byte order. */
  private static int wireInt(ByteBuffer datagram, int index) {
    int raw = datagram.getInt(index);
    return datagram.order() == ByteOrder.LITTLE_ENDIAN ? raw : Integer.reverseBytes(raw);
  }

  /** Whether {@link #permit} cut or withheld a datagram since the last call. */
  boolean takeWithheld() {
    boolean w = withheld;
    withheld = false;
    return w;
  }

  /**
   * The idle timeout that applies to a session: its own ({@code configured}, 0 for none) or, while
   * unvalidated, the shorter unvalidated timeout.
   */
  long idleTimeout(SessionAccount a, long configured) {
    long unvalidated = limits.unvalidatedTimeoutMillis;
    if (a.validated || unvalidated <= 0) {
      return configured;
    }
    return configured <= 0 ? unvalidated : Math.min(configured, unvalidated);
  }

  /** Why a session that reached {@link #idleTimeout} closes. */
  KcpCloseReason idleCloseReason(SessionAccount a, long configured) {
    return !a.validated && idleTimeout(a, configured) != configured
        ? KcpCloseReason.UNVALIDATED_TIMEOUT
        : KcpCloseReason.IDLE_TIMEOUT;
  }

  /**
   * The per-source key of an address: the IPv4 address itself, or an IPv6 address's /64 prefix
   * (what one host or subscriber is usually given, so it cannot spread over its own prefix).
   */
  static Object sourceOf(InetAddress address) {
    if (address instanceof Inet6Address) {
      return ByteBuffer.wrap(address.getAddress()).getLong();
    }
    return address;
  }
}
