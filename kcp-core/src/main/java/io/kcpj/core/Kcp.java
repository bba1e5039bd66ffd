package io.kcpj.core;

import static io.kcpj.core.wire.SegmentHeader.CMD_ACK;
import static io.kcpj.core.wire.SegmentHeader.CMD_PUSH;
import static io.kcpj.core.wire.SegmentHeader.CMD_WASK;
import static io.kcpj.core.wire.SegmentHeader.CMD_WINS;
import static io.kcpj.core.wire.SegmentHeader.HEADER_SIZE;

import io.kcpj.core.EngineSetting.IntSetting;
import io.kcpj.core.cc.ClassicKcp;
import io.kcpj.core.cc.CongestionControl;
import io.kcpj.core.cc.FlowState;
import io.kcpj.core.cc.NoCongestionWindow;
import io.kcpj.core.loss.LossDetection;
import io.kcpj.core.loss.RecoveryState;
import io.kcpj.core.loss.ReferenceLossDetection;
import io.kcpj.core.loss.ThinStreamLossDetection;
import io.kcpj.core.wire.SegmentHeader;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One KCP conversation: the ARQ engine, byte-identical on the wire with the C reference
 * (skywind3000/kcp {@code ikcp.c} 1.7, {@code IKCP_FASTACK_CONSERVE}) for the same inputs and
 * clock. The protocol and the reference's behaviour, in this project's words: {@code
 * docs/kcp-protocol.md}.
 *
 * <p>The engine does no I/O, starts no thread and reads no clock. The caller
 *
 * <ul>
 *   <li>gives time with {@link #advance(long)} (at the time the previous call returned, or after a
 *       send or an input), or as ikcp's loop does with {@link #update(long)} (at the times {@link
 *       #check(long)} returns, or simply every {@code interval} ms),
 *   <li>feeds each received datagram to {@link #input(byte[], int, int)},
 *   <li>queues messages with {@link #send(byte[], int, int)} and takes them with {@link
 *       #recv(byte[], int, int)},
 *   <li>and receives datagrams to transmit through its {@link KcpOutput}, during {@code update} or
 *       {@link #flush()}.
 * </ul>
 *
 * <p><b>Threading.</b> Not thread-safe: one engine is confined to one thread at a time (an event
 * loop, a game loop, a test). The output callback runs on that thread and must not re-enter the
 * engine.
 *
 * <p><b>Buffers.</b> {@code send} copies the caller's bytes before it returns; {@code recv} copies
 * into the caller's buffer; {@code input} copies what it keeps. The engine never holds a reference
 * to a caller's buffer, and the datagram given to {@link KcpOutput} is the engine's own (valid only
 * during the call).
 *
 * <p><b>Performance contract.</b> Once its segment pool and rings have grown to the working set
 * (one window's worth of segments), an engine allocates nothing on {@code send}, {@code input},
 * {@code recv}, {@code update}, {@code flush} or {@code check}, and each call costs time linear in
 * the segments it touches: ACK lookup, duplicate detection and insertion are O(1) in the
 * sequence-indexed rings (ikcp walks lists), a flush is O(segments in flight). Example: two engines
 * in {@code fast} mode exchanging 64-byte messages with window 1024 on a clean in-memory link run
 * at about the C reference's rate (measured in {@code bench}'s {@code KcpEngineBenchmark}; see the
 * README for the table) with zero bytes allocated per message.
 *
 * <p><b>Sequence arithmetic.</b> sn, una and timestamps are unsigned 32-bit on the wire and
 * compared with {@link Seq#diff}; a conversation may outlive 2<sup>32</sup> ms and 2<sup>32</sup>
 * segments. Times given as {@code long} are truncated to 32 bits exactly as ikcp's {@code IUINT32}.
 *
 * <p><b>Bad input.</b> {@link #input} never throws on any byte sequence: it returns the reference's
 * status, counts the error in {@link #counters()} and leaves the engine consistent.
 */
public final class Kcp {
  /** Initial RTO (ikcp {@code IKCP_RTO_DEF}). */
  public static final int RTO_DEFAULT = 200;

  /** Upper bound of the RTO (ikcp {@code IKCP_RTO_MAX}). */
  public static final int RTO_MAX = 60000;

  /** First wait before probing a zero remote window (ikcp {@code IKCP_PROBE_INIT}), ms. */
  public static final int PROBE_INIT = 7000;

  /** Longest wait between window probes (ikcp {@code IKCP_PROBE_LIMIT}), ms. */
  public static final int PROBE_LIMIT = 120000;

  /** {@link #recv}: nothing queued. */
  public static final int RECV_EMPTY = -1;

  /** {@link #recv}: the first message has not fully arrived. */
  public static final int RECV_INCOMPLETE = -2;

  /** {@link #recv}: the destination is smaller than the next message ({@link #peekSize()}). */
  public static final int RECV_BUFFER_TOO_SMALL = -3;

  /** {@link #input}: accepted. */
  public static final int INPUT_OK = 0;

  /** {@link #input}: shorter than a header, or a segment of another conversation. */
  public static final int INPUT_BAD_HEADER = -1;

  /** {@link #input}: a segment's len runs past the end of the datagram. */
  public static final int INPUT_BAD_LENGTH = -2;

  /** {@link #input}: a segment's cmd is not PUSH, ACK, WASK or WINS. */
  public static final int INPUT_BAD_COMMAND = -3;

  private static final int ASK_SEND = 1;
  private static final int ASK_TELL = 2;
  private static final int CLOCK_JUMP = 10000;

  private final int conv;
  private final KcpOutput output;
  private final KcpCounters counters = new KcpCounters();
  private final FlowView flowView = new FlowView();

  // Settings: the reference's defaults, from EngineSetting's table.
  private int mtu = EngineSetting.MTU.defaultInt();
  private int mss = mtu - HEADER_SIZE;
  private int sendWindow = EngineSetting.SEND_WINDOW.defaultInt();
  private int receiveWindow = EngineSetting.RECEIVE_WINDOW.defaultInt();
  private int interval = EngineSetting.INTERVAL.defaultInt();
  private int nodelay = EngineSetting.NODELAY.defaultInt();
  private int fastResend = EngineSetting.FAST_RESEND.defaultInt();
  private int fastLimit = EngineSetting.FAST_LIMIT.defaultInt();
  private int deadLinkTransmissions = EngineSetting.DEAD_LINK.defaultInt();
  private int maxFragments = EngineSetting.MAX_FRAGMENTS.defaultInt();
  private boolean streamMode = EngineSetting.STREAM_MODE.defaultValue();
  private CongestionControl congestion = new ClassicKcp();

  // kcpj's opt-in additions (docs/latency.md, docs/wire-extensions.md); off by default.
  private LossDetection loss = ReferenceLossDetection.INSTANCE;
  private final RecoveryView recoveryView = new RecoveryView();
  private int maxRto = EngineSetting.MAX_RTO.defaultInt();
  private final Redundancy redundancy = new Redundancy();
  private boolean repeatAcks = EngineSetting.REPEAT_ACKS.defaultValue();
  private boolean deliveryExtension = EngineSetting.DELIVERY_EXTENSION.defaultValue();
  private final DeliveryOrder deliveryOrder = new DeliveryOrder();

  /** A repeated PUSH below rcvNxt awaits an acknowledgement (only with repeatacks off). */
  private boolean repeatOwed;

  private int repeatOwedSn;
  private int repeatOwedTs;

  /** {@link EngineSetting#ACK_DELAY}: most ms an ACK waits for data to ride with; 0: none. */
  private int ackDelay = EngineSetting.ACK_DELAY.defaultInt();

  /** When the oldest ACK now pending was queued. */
  private int firstAckAt;

  /** Segments transmitted for the first time in the flush under way. */
  private int firstTransmissions;

  // Sequence state.
  private int sndUna;
  private int sndNxt;
  private int rcvNxt;
  private int remoteWindow = receiveWindow; // ikcp assumes the peer's default window
  private boolean deadLink;

  // Round-trip estimation.
  private int srtt;
  private int rttVar;
  private int rto = RTO_DEFAULT;
  private int minRto = EngineSetting.MIN_RTO.defaultInt();

  /** The thin-stream mode's RTO gate: a finer estimator and when to use it ({@link RtoGate}). */
  private final RtoGate rtoGate = new RtoGate(RTO_DEFAULT);

  // Clock.
  private int current;
  private int nextFlushAt = interval;
  private boolean updated;

  // Window probing.
  private int probeFlags;
  private int probeAt;
  private int probeWait;

  /** Retransmissions by timeout over the engine's life (ikcp's {@code xmit}). */
  private int timeoutRetransmissions;

  // Queues.
  private final SegmentPool pool;
  private final SegmentQueue sendQueue = new SegmentQueue(64);
  private final SequenceRing sendBuffer = new SequenceRing(sendWindow);
  private final SequenceRing receiveBuffer = new SequenceRing(receiveWindow);

  /** The widest receive window ever used: the span receiveBuffer may hold. */
  private int receiveBufferSpan = receiveWindow;

  private final SegmentQueue receiveQueue = new SegmentQueue(receiveWindow);
  private final AckList acks = new AckList();

  // Output datagram under construction.
  private final DatagramPacker packer;

  // Scratch copy for direct ByteBuffer input.
  private byte[] inputScratch;

  /**
   * An engine with the C reference's defaults ({@code ikcp_create} + {@code ikcp_setoutput}).
   *
   * @param conv the conversation id both ends must share
   * @param output receives each datagram to transmit
   */
  public Kcp(int conv, KcpOutput output) {
    this.conv = conv;
    this.output = Objects.requireNonNull(output, "output");
    this.pool = new SegmentPool(mss, poolLimit());
    this.packer = new DatagramPacker(conv, output, counters, mtu);
    redundancy.setCopiesPerSegment(EngineSetting.REDUNDANCY.defaultInt());
    redundancy.setByteBudget(EngineSetting.REDUNDANCY_BYTES.defaultInt());
  }

  /** An engine configured from {@code config} (see {@link #apply(KcpConfig)}). */
  public Kcp(int conv, KcpConfig config, KcpOutput output) {
    this(conv, output);
    apply(config);
  }

  /**
   * Applies every setting of {@code config} ({@link KcpConfig#applyTo(Kcp)}): each {@link
   * EngineSetting} through its setter, and its custom congestion controller if it has one
   * (replacing the current one). Safe before the first send; later it changes the engine as each
   * individual setter would. To change only what differs from the configuration the engine runs
   * with, use {@link KcpConfig#applyChangesTo(Kcp, KcpConfig)}.
   */
  public void apply(KcpConfig config) {
    config.applyTo(this);
  }

  // ---------------------------------------------------------------------------------------------
  // Sending
  // ---------------------------------------------------------------------------------------------

  /**
   * Queues {@code len} bytes of {@code b} from {@code off} as one message (message mode) or as
   * stream bytes (stream mode), copying them. Nothing is transmitted until the next flush.
   *
   * <p>Message mode: the message is split into {@code ceil(len / mss)} fragments (at least one: an
   * empty message is allowed and arrives as an empty message). Stream mode: the bytes first top up
   * the last queued segment to mss, then are split into mss-sized segments.
   *
   * <p>Limits, as ikcp_send: at most {@code maxFragments} new segments per call. In stream mode a
   * call whose remainder would need more returns only the bytes that topped up the last segment (a
   * short count, like a non-blocking socket write: send the rest again); with nothing topped up it
   * throws.
   *
   * @return the number of bytes queued: {@code len}, or fewer in stream mode as above
   * @throws IllegalArgumentException when the (remaining) bytes need more than {@code maxFragments}
   *     segments ({@link #maxMessageSize()} bytes) and nothing was queued; the reference returns -2
   *     there
   */
  public int send(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    return queue(b, null, off, len, Delivery.ORDERED);
  }

  /**
   * As {@link #send(byte[], int, int)}, delivered to the peer's application as {@code delivery}
   * asks. {@link Delivery#UNORDERED} and {@link Delivery#SEQUENCED} are a kcpj wire extension
   * ({@code docs/wire-extensions.md}): both ends must enable {@link
   * EngineSetting#DELIVERY_EXTENSION}.
   *
   * @throws IllegalStateException for a non-ordered message in stream mode or without the extension
   */
  public int send(byte[] b, int off, int len, Delivery delivery) {
    Objects.checkFromIndexSize(off, len, b.length);
    return queue(b, null, off, len, checkDelivery(delivery));
  }

  /**
   * As {@link #send(byte[], int, int)} with the bytes between {@code src}'s position and limit; on
   * success the position moves to the limit. Heap and direct buffers both work.
   */
  public int send(ByteBuffer src) {
    return send(src, Delivery.ORDERED);
  }

  /**
   * As {@link #send(ByteBuffer)}, delivered as {@code delivery} asks (see {@link #send(byte[], int,
   * int, Delivery)}).
   */
  public int send(ByteBuffer src, Delivery delivery) {
    Delivery d = checkDelivery(delivery);
    int len = src.remaining();
    int n;
    if (src.hasArray()) {
      n = queue(src.array(), null, src.arrayOffset() + src.position(), len, d);
    } else {
      n = queue(null, src, src.position(), len, d);
    }
    src.position(src.position() + len);
    return n;
  }

  private Delivery checkDelivery(Delivery delivery) {
    Objects.requireNonNull(delivery, "delivery");
    if (delivery != Delivery.ORDERED) {
      if (streamMode) {
        throw new IllegalStateException(
            "stream mode has no messages: only ordered delivery (got " + delivery + ")");
      }
      if (!deliveryExtension) {
        throw new IllegalStateException(
            delivery
                + " delivery is a wire extension: enable xdelivery (DELIVERY_EXTENSION) on both"
                + " ends");
      }
    }
    return delivery;
  }

  /** The largest message {@code send} accepts in message mode: {@code maxFragments * mss}. */
  public int maxMessageSize() {
    return maxFragments * mss;
  }

  private int queue(byte[] array, ByteBuffer buffer, int off, int len, Delivery delivery) {
    int queued = 0;
    if (streamMode) {
      Segment last = sendQueue.peekLast();
      if (last != null && last.len < mss) {
        int extend = Math.min(len, mss - last.len);
        last.ensureCapacity(last.len + extend);
        copyIn(array, buffer, off, last.data, last.len, extend);
        last.len += extend;
        last.frg = 0;
        off += extend;
        len -= extend;
        queued = extend;
      }
      if (len <= 0) {
        counters.payloadBytesSent += queued;
        return queued;
      }
    }
    int count = len <= mss ? 1 : (len + mss - 1) / mss;
    if (count > maxFragments) {
      if (streamMode && queued > 0) {
        // As ikcp_send: the top-up of the last segment is kept and reported; the rest is not.
        counters.payloadBytesSent += queued;
        return queued;
      }
      throw new IllegalArgumentException(
          "message of "
              + len
              + " bytes needs "
              + count
              + " fragments; the limit is "
              + maxFragments
              + " fragments of mss "
              + mss
              + " = "
              + maxMessageSize()
              + " bytes"
              + " (raise it with maxFragments, up to 255, or use stream mode)");
    }
    for (int i = 0; i < count; i++) {
      int size = Math.min(len, mss);
      Segment seg = pool.acquire(size);
      copyIn(array, buffer, off, seg.data, 0, size);
      seg.len = size;
      seg.frg = streamMode ? 0 : count - i - 1;
      seg.cmd = i == 0 ? delivery.firstCommand() : delivery.moreCommand();
      sendQueue.addLast(seg);
      off += size;
      len -= size;
      queued += size;
    }
    counters.payloadBytesSent += queued;
    return queued;
  }

  private static void copyIn(byte[] array, ByteBuffer buffer, int off, byte[] dst, int at, int n) {
    if (array != null) {
      System.arraycopy(array, off, dst, at, n);
    } else {
      buffer.get(off, dst, at, n);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Receiving
  // ---------------------------------------------------------------------------------------------

  /**
   * Takes the next whole message (message mode) or the next segment's bytes (stream mode) into
   * {@code b} at {@code off}, at most {@code len} bytes.
   *
   * @return the bytes copied, or {@link #RECV_EMPTY}, {@link #RECV_INCOMPLETE}, {@link
   *     #RECV_BUFFER_TOO_SMALL} (nothing is taken then)
   */
  public int recv(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    int size = checkReceivable(len);
    if (size < 0) {
      return size;
    }
    return takeMessage(b, off, null);
  }

  /**
   * As {@link #recv(byte[], int, int)} into {@code dst} from its position, which advances by the
   * bytes copied. Heap and direct buffers both work.
   */
  public int recv(ByteBuffer dst) {
    int size = checkReceivable(dst.remaining());
    if (size < 0) {
      return size;
    }
    return takeMessage(null, 0, dst);
  }

  /**
   * Moves the next whole message (checked by the caller) out of the receive queue into {@code
   * array} at {@code off}, or into {@code buffer} when {@code array} is null.
   *
   * <p>The message ends at the first segment with frg 0 or at the end of the queue, whichever comes
   * first, exactly the segments {@link #peekSize()} counted. A well-behaved peer always ends a
   * message with frg 0; a hostile one may send counts that disagree (frg 2, 5, 5), and {@code
   * ikcp_recv} then takes everything queued, as this does.
   */
  private int takeMessage(byte[] array, int off, ByteBuffer buffer) {
    boolean queueWasFull = receiveQueue.size() >= receiveWindow;
    int copied = 0;
    while (!receiveQueue.isEmpty()) {
      Segment seg = receiveQueue.pollFirst();
      if (array != null) {
        System.arraycopy(seg.data, 0, array, off + copied, seg.len);
      } else {
        buffer.put(seg.data, 0, seg.len);
      }
      copied += seg.len;
      int frg = seg.frg;
      pool.release(seg);
      if (frg == 0) {
        break;
      }
    }
    afterReceive(queueWasFull, copied);
    return copied;
  }

  private int checkReceivable(int room) {
    if (receiveQueue.isEmpty()) {
      return RECV_EMPTY;
    }
    int size = peekSize();
    if (size < 0) {
      return RECV_INCOMPLETE;
    }
    if (size > room) {
      return RECV_BUFFER_TOO_SMALL;
    }
    return size;
  }

  private void afterReceive(boolean queueWasFull, int copied) {
    counters.payloadBytesReceived += copied;
    moveReceiveBufferToQueue();
    if (queueWasFull && receiveQueue.size() < receiveWindow) {
      // The peer saw a zero window; tell it at once that there is room again.
      probeFlags |= ASK_TELL;
    }
  }

  /**
   * The size of the next message {@link #recv} would return, or -1 when nothing whole is queued
   * (ikcp's {@code ikcp_peeksize}).
   *
   * <p>As in the reference, a message is whole once the queue holds at least its head's frg + 1
   * segments; it ends at the first segment with frg 0, or at the end of the queue when fragment
   * counts sent by the peer disagree.
   */
  public int peekSize() {
    Segment first = receiveQueue.peekFirst();
    if (first == null) {
      return -1;
    }
    if (first.frg == 0) {
      return first.len;
    }
    if (receiveQueue.size() < first.frg + 1) {
      return -1;
    }
    int length = 0;
    for (int i = 0; i < receiveQueue.size(); i++) {
      Segment seg = receiveQueue.get(i);
      length += seg.len;
      if (seg.frg == 0) {
        break;
      }
    }
    return length;
  }

  // ---------------------------------------------------------------------------------------------
  // Input
  // ---------------------------------------------------------------------------------------------

  /**
   * Processes one received datagram of {@code len} bytes at {@code b[off]}. Never throws on the
   * bytes' content. RTT samples use the time of the latest {@link #update}: input itself takes no
   * time.
   *
   * @return {@link #INPUT_OK}, or {@link #INPUT_BAD_HEADER}, {@link #INPUT_BAD_LENGTH}, {@link
   *     #INPUT_BAD_COMMAND}: segments before the bad one have been processed, as in the reference
   */
  public int input(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    counters.datagramsIn++;
    counters.bytesIn += len;
    if (len < HEADER_SIZE) {
      counters.errorsTooShort++;
      return INPUT_BAD_HEADER;
    }
    final int unaBefore = sndUna;
    recoveryView.now = current;
    findSpuriousRetransmissions(b, off, len);
    boolean heard = false;
    boolean sawAck = false;
    int maxAck = 0;
    int maxAckTs = 0;
    int pos = off;
    int remaining = len;
    while (remaining >= HEADER_SIZE) {
      if (SegmentHeader.conv(b, pos) != conv) {
        counters.errorsWrongConv++;
        return INPUT_BAD_HEADER;
      }
      int cmd = SegmentHeader.cmd(b, pos);
      int frg = SegmentHeader.frg(b, pos);
      int wnd = SegmentHeader.wnd(b, pos);
      int ts = SegmentHeader.ts(b, pos);
      int sn = SegmentHeader.sn(b, pos);
      int una = SegmentHeader.una(b, pos);
      long payload = SegmentHeader.len(b, pos);
      pos += HEADER_SIZE;
      remaining -= HEADER_SIZE;
      if (payload > remaining) {
        counters.errorsBadLength++;
        return INPUT_BAD_LENGTH;
      }
      boolean extensionData = deliveryExtension && SegmentHeader.isDeliveryExtension(cmd);
      if (!SegmentHeader.isKnownCommand(cmd) && !extensionData) {
        counters.errorsBadCommand++;
        return INPUT_BAD_COMMAND;
      }
      if (!heard) {
        heard = true;
        loss.onInput(recoveryView); // the peer is heard (before its ACKs move anything)
      }
      int dataLen = (int) payload;
      counters.segmentsIn++;
      remoteWindow = wnd;
      releaseAcknowledgedBelow(una);
      advanceSendUna();
      switch (cmd) {
        case CMD_ACK:
          if (Seq.diff(current, ts) >= 0) {
            updateRtt(Seq.diff(current, ts));
            loss.onAck(sn, ts, recoveryView);
          }
          releaseAcknowledged(sn);
          advanceSendUna();
          if (!sawAck) {
            sawAck = true;
            maxAck = sn;
            maxAckTs = ts;
          } else if (Seq.diff(sn, maxAck) > 0 && Seq.diff(ts, maxAckTs) > 0) {
            // IKCP_FASTACK_CONSERVE: a higher sn counts only with a newer timestamp.
            maxAck = sn;
            maxAckTs = ts;
          }
          break;
        case CMD_PUSH:
          acceptPush(b, pos, dataLen, frg, ts, sn, cmd);
          break;
        case CMD_WASK:
          probeFlags |= ASK_TELL;
          break;
        case CMD_WINS: // carries only the window, taken above
          break;
        default: // the delivery extension's data commands (checked above)
          acceptPush(b, pos, dataLen, frg, ts, sn, cmd);
          break;
      }
      pos += dataLen;
      remaining -= dataLen;
    }
    if (sawAck) {
      countFastAcks(maxAck, maxAckTs);
    }
    if (Seq.diff(sndUna, unaBefore) > 0) {
      congestion.onAckAdvanced(flowView);
    }
    return INPUT_OK;
  }

  /**
   * As {@link #input(byte[], int, int)} with the bytes between {@code src}'s position and limit;
   * the position moves to the limit. A direct buffer is copied into a reused scratch array.
   */
  public int input(ByteBuffer src) {
    int len = src.remaining();
    int status;
    if (src.hasArray()) {
      status = input(src.array(), src.arrayOffset() + src.position(), len);
    } else {
      if (inputScratch == null || inputScratch.length < len) {
        inputScratch = new byte[Math.max(len, mtu)];
      }
      src.get(src.position(), inputScratch, 0, len);
      status = input(inputScratch, 0, len);
    }
    src.position(src.limit());
    return status;
  }

  private void acceptPush(byte[] b, int pos, int dataLen, int frg, int ts, int sn, int cmd) {
    if (Seq.diff(sn, rcvNxt + receiveWindow) >= 0) {
      counters.repeatedSegments++; // beyond our window: dropped unacknowledged
      return;
    }
    boolean below = Seq.diff(sn, rcvNxt) < 0;
    if (below && !repeatAcks) {
      // Already delivered: the una of whatever this side sends next says so, and a redundant
      // copy always rides with new data, whose own ACK carries that una. Only if the next flush
      // sends nothing else is this repeat acknowledged (flushOwedRepeatAck): the peer may be
      // retransmitting because our ACK was lost and it has nothing new to send.
      repeatOwed = true;
      repeatOwedSn = sn;
      repeatOwedTs = ts;
      counters.repeatedSegments++;
      return;
    }
    if (acks.size() == 0) {
      firstAckAt = current;
    }
    acks.add(sn, ts);
    if (below || receiveBuffer.get(sn) != null) {
      counters.repeatedSegments++; // already received: acknowledged again, data dropped
      return;
    }
    Segment seg = pool.acquire(dataLen);
    System.arraycopy(b, pos, seg.data, 0, dataLen);
    seg.len = dataLen;
    seg.frg = frg;
    seg.ts = ts;
    seg.sn = sn;
    seg.cmd = cmd;
    if (sn == rcvNxt && receiveBuffer.count() == 0 && receiveQueue.size() < receiveWindow) {
      // In order with nothing held back: straight to the receive queue (what the put and the
      // move below would do, without the round trip through the ring).
      admitInOrder(seg);
      return;
    }
    receiveBuffer.put(sn, seg);
    if (cmd != CMD_PUSH && sn != rcvNxt) {
      deliveryOrder.deliverEarly(
          sn,
          rcvNxt,
          receiveWindow,
          receiveWindow - receiveQueue.size(),
          receiveBuffer,
          receiveQueue,
          pool,
          counters);
    }
    moveReceiveBufferToQueue();
  }

  /** Moves in-order segments from the receive buffer to the receive queue while it has room. */
  private void moveReceiveBufferToQueue() {
    while (receiveBuffer.count() > 0) {
      Segment seg = receiveBuffer.get(rcvNxt);
      if (seg == null || seg.sn != rcvNxt) {
        return;
      }
      if (seg.cmd == Segment.TOMBSTONE) {
        receiveBuffer.remove(rcvNxt); // its message was delivered early
        pool.release(seg);
        rcvNxt++;
        continue;
      }
      if (receiveQueue.size() >= receiveWindow) {
        return;
      }
      receiveBuffer.remove(rcvNxt);
      admitInOrder(seg);
    }
  }

  /** Segment rcvNxt enters the receive queue (or is dropped as part of a stale sequenced one). */
  private void admitInOrder(Segment seg) {
    if (seg.cmd == CMD_PUSH || deliveryOrder.admitInOrder(seg, counters)) {
      receiveQueue.addLast(seg);
    } else {
      pool.release(seg);
    }
    rcvNxt++;
  }

  /** ikcp_parse_una: every segment below {@code una} has arrived. */
  private void releaseAcknowledgedBelow(int una) {
    for (int sn = sndUna; Seq.before(sn, una) && Seq.before(sn, sndNxt); sn++) {
      Segment seg = sendBuffer.remove(sn);
      if (seg != null) {
        pool.release(seg);
      }
    }
  }

  /** ikcp_parse_ack: segment {@code sn} has arrived. */
  private void releaseAcknowledged(int sn) {
    if (Seq.before(sn, sndUna) || !Seq.before(sn, sndNxt)) {
      return;
    }
    Segment seg = sendBuffer.remove(sn);
    if (seg != null) {
      pool.release(seg);
    }
  }

  /**
   * Eifel's timestamp test (the spirit of RFC 3522) over a datagram's ACKs, before any {@code una}
   * in it releases a segment: an ACK echoing a send time earlier than the segment's latest
   * retransmission shows that this retransmission was not needed. Counted in {@link
   * KcpCounters#spuriousRetransmissions}, at most once per retransmission however many ACKs show
   * it. Reads the headers only; stops at a wrong conv or a length beyond the datagram (it does not
   * check commands: an ACK after a bad command is still counted).
   */
  private void findSpuriousRetransmissions(byte[] b, int off, int len) {
    int pos = off;
    int remaining = len;
    while (remaining >= HEADER_SIZE && SegmentHeader.conv(b, pos) == conv) {
      long payload = SegmentHeader.len(b, pos);
      if (payload > remaining - HEADER_SIZE) {
        return;
      }
      if (SegmentHeader.cmd(b, pos) == CMD_ACK) {
        noteAckedTransmission(SegmentHeader.sn(b, pos), SegmentHeader.ts(b, pos));
      }
      pos += HEADER_SIZE + (int) payload;
      remaining -= HEADER_SIZE + (int) payload;
    }
  }

  /**
   * One ACK of {@code sn} echoing send time {@code ts}. Only the latest retransmission's time is
   * kept, so a segment retransmitted twice and then acknowledged for its first transmission counts
   * one spurious retransmission (a lower bound: the earlier one was unneeded too).
   */
  private void noteAckedTransmission(int sn, int ts) {
    if (Seq.before(sn, sndUna) || !Seq.before(sn, sndNxt)) {
      return;
    }
    Segment seg = sendBuffer.get(sn);
    if (seg == null || seg.transmissions == 0 || Seq.diff(current, ts) < 0) {
      return;
    }
    if (!seg.rtoJudged && isThinStream()) {
      judgeTruncatedTimer(seg, ts);
    }
    if (seg.transmissions <= 1 || seg.spuriousCounted) {
      return;
    }
    if (Seq.diff(ts, seg.retransmittedAt) < 0) {
      seg.spuriousCounted = true;
      counters.spuriousRetransmissions++;
    }
  }

  /**
   * The first ACK of {@code seg} seen (echoing send time {@code ts}) gives the RTO gate one
   * verdict, whichever estimator is in use: it echoes a later send than the first (a copy or a
   * retransmission), so the first transmission or its ACK was lost; or it echoes the first and came
   * later than the truncated estimator's first timeout (its RTO, plus ikcp's eighth when nodelay is
   * 0), so that estimator's timer fired, or would have fired, for nothing ("late"); or it echoes
   * the first in time. {@link RtoGate} weighs the verdicts.
   */
  private void judgeTruncatedTimer(Segment seg, int ts) {
    seg.rtoJudged = true;
    boolean lost = ts != seg.firstSentAt;
    int coarse = rtoGate.coarseRto();
    boolean late = !lost && Seq.diff(current, ts) > coarse + firstTimeoutSlack(coarse);
    if (rtoGate.judge(lost, late, current, interval)) {
      rto = rtoGate.rtoInUse();
    }
  }

  /**
   * How much later than {@code rto} a first transmission's timer fires (ikcp: rto/8 when nodelay
   * 0).
   */
  private int firstTimeoutSlack(int rto) {
    return nodelay == 0 ? rto >> 3 : 0;
  }

  /** ikcp_shrink_buf: sndUna is the first sn still unacknowledged, or sndNxt. */
  private void advanceSendUna() {
    while (sndUna != sndNxt && sendBuffer.get(sndUna) == null) {
      sndUna++;
    }
  }

  /** ikcp_parse_fastack with CONSERVE: segments below maxAck sent no later than it was. */
  private void countFastAcks(int maxAck, int maxAckTs) {
    if (Seq.before(maxAck, sndUna) || !Seq.before(maxAck, sndNxt)) {
      return;
    }
    for (int sn = sndUna; Seq.before(sn, maxAck); sn++) {
      Segment seg = sendBuffer.get(sn);
      if (seg != null && Seq.diff(maxAckTs, seg.ts) >= 0) {
        seg.fastAck++;
      }
    }
  }

  /** ikcp_update_ack: the RFC 6298-like estimator in ikcp's integer arithmetic. */
  private void updateRtt(int rtt) {
    if (srtt == 0) {
      srtt = rtt;
      rttVar = rtt / 2;
    } else {
      int delta = Math.abs(rtt - srtt);
      rttVar = (3 * rttVar + delta) / 4;
      srtt = (7 * srtt + rtt) / 8;
      if (srtt < 1) {
        srtt = 1;
      }
    }
    int candidate = srtt + Math.max(interval, 4 * rttVar);
    rto = Math.min(Math.max(minRto, candidate), RTO_MAX);
    if (isThinStream()) {
      rto = rtoGate.onRttSample(rtt, rto, interval, minRto);
    }
    congestion.onRttSample(rtt, flowView);
  }

  // ---------------------------------------------------------------------------------------------
  // Clock: update / check / flush
  // ---------------------------------------------------------------------------------------------

  /**
   * Advances the engine's clock to {@code nowMillis} and flushes if a flush is due (every {@code
   * interval} ms). The first call starts the schedule. A jump of 10 s or more either way
   * resynchronises the schedule to the new time instead of flushing in a burst.
   */
  public void update(long nowMillis) {
    current = (int) nowMillis;
    if (!updated) {
      updated = true;
      nextFlushAt = current;
    }
    int slap = Seq.diff(current, nextFlushAt);
    if (slap >= CLOCK_JUMP || slap < -CLOCK_JUMP) {
      nextFlushAt = current;
      slap = 0;
    }
    if (slap >= 0) {
      nextFlushAt += interval;
      if (Seq.diff(current, nextFlushAt) >= 0) {
        nextFlushAt = current + interval;
      }
      flush();
    }
  }

  /**
   * When {@link #update} should next be called if nothing is sent or received meanwhile: the
   * earliest of the next flush and every in-flight segment's retransmission time, never more than
   * {@code interval} ahead. Returns {@code nowMillis} itself when something is due or {@code
   * update} was never called. The result is on the caller's clock ({@code nowMillis + delay}), not
   * truncated to 32 bits.
   */
  public long check(long nowMillis) {
    if (!updated) {
      return nowMillis;
    }
    int now = (int) nowMillis;
    int flushAt = nextFlushAt;
    int untilFlush = Seq.diff(flushAt, now);
    if (untilFlush <= -CLOCK_JUMP || untilFlush > CLOCK_JUMP) {
      return nowMillis; // a clock jump: update will resynchronise now
    }
    if (untilFlush <= 0) {
      return nowMillis;
    }
    int minimal = untilFlush;
    recoveryView.now = now;
    for (int sn = sndUna; Seq.before(sn, sndNxt); sn++) {
      Segment seg = sendBuffer.get(sn);
      if (seg == null) {
        continue;
      }
      int diff =
          seg.transmissions == 0
              ? Seq.diff(seg.resendAt, now)
              : loss.delayUntilDue(seg, untilFlush, recoveryView);
      if (diff <= 0) {
        return nowMillis;
      }
      if (diff < minimal) {
        minimal = diff;
      }
    }
    int flight = loss.flightDelay(recoveryView);
    if (flight <= 0) {
      return nowMillis;
    }
    minimal = Math.min(minimal, flight);
    if (minimal >= interval) {
      minimal = interval;
    }
    return nowMillis + minimal;
  }

  /** What {@link #nextEventAt} returns when nothing is timed: no data, no probe, no ACK owed. */
  public static final long NO_EVENT = Long.MAX_VALUE;

  /**
   * When the engine next has timed work if nothing is sent or received meanwhile: {@code nowMillis}
   * when a {@link #flush} would send something now (ACKs owed, a probe requested, a segment due);
   * the next {@code interval} tick when queued data waits for window room, a fast retransmission is
   * ready or a window probe must be scheduled; else the earliest retransmission or probe time; and
   * {@link #NO_EVENT} when nothing is timed. Unlike {@link #check} it is not capped at one interval
   * (after {@code send} and {@code flush} with rto 200 ms and interval 10 ms, {@code check(t)} is
   * {@code t + 10}, {@code nextEventAt(t)} is {@code t + 200}). {@link #advance} drives the engine
   * by it. On the caller's clock; O(in-flight segments); allocates nothing.
   */
  public long nextEventAt(long nowMillis) {
    if (!updated) {
      return nowMillis;
    }
    if (probeFlags != 0) {
      return nowMillis;
    }
    int now = (int) nowMillis;
    long ackDue = NO_EVENT;
    if (acks.size() > 0) {
      int wait = ackWait(now);
      if (wait <= 0) {
        return nowMillis;
      }
      ackDue = nowMillis + wait;
    }
    int untilFlush = Seq.diff(nextFlushAt, now);
    long nextTick = nowMillis + Math.max(0, Math.min(untilFlush, interval));
    long earliest = ackDue;
    recoveryView.now = now;
    if (!sendQueue.isEmpty()
        && Seq.before(sndNxt, sndUna + Math.min(sendWindow, remoteWindow))
        && !loss.pathDown(recoveryView)) {
      earliest = Math.min(earliest, nextTick); // the congestion window decides at the next flush
    }
    if (remoteWindow == 0) {
      earliest =
          Math.min(
              earliest,
              probeWait == 0 ? nextTick : nowMillis + Math.max(0, Seq.diff(probeAt, now)));
    }
    int untilTick = (int) (nextTick - nowMillis);
    recoveryView.now = now;
    for (int sn = sndUna; Seq.before(sn, sndNxt); sn++) {
      Segment seg = sendBuffer.get(sn);
      if (seg == null) {
        continue;
      }
      if (seg.transmissions == 0) {
        return nowMillis;
      }
      int diff = loss.delayUntilDue(seg, untilTick, recoveryView);
      if (diff <= 0) {
        return nowMillis;
      }
      if (diff != LossDetection.NO_DEADLINE) {
        earliest = Math.min(earliest, nowMillis + diff);
      }
    }
    int flight = loss.flightDelay(recoveryView);
    if (flight != LossDetection.NO_DEADLINE) {
      earliest = Math.min(earliest, nowMillis + Math.max(0, flight));
    }
    return earliest;
  }

  /**
   * Drives the engine: does all the timed work due at {@code nowMillis} and returns when to call it
   * again. It is {@link #update} (the clock, and the flush on the {@code interval} grid), then a
   * {@link #flush} if something is due between grid points ({@link #nextEventAt} {@code <= now}: a
   * retransmission deadline, ACKs owed, a window probe), and returns {@code nextEventAt(now)} — at
   * least {@code nowMillis + 1}, so a driver never spins within one millisecond — or {@link
   * #NO_EVENT} when nothing is timed (sleep until the next {@code send} or {@code input}). This is
   * the policy kcp-netty drives its sessions with and bench's virtual-time runs use; a driver that
   * prefers ikcp's loop calls {@code update} at the {@link #check} deadlines instead, and the
   * datagrams differ only in when retransmissions leave (at their deadline rather than on the next
   * grid point).
   *
   * <p>To send at once rather than on the next flush, call {@code flush()} after {@code send} or
   * {@code input} (with the clock current), then {@code advance(now)} for the new deadline.
   *
   * <p><b>Worked example</b> ({@code fast}: interval 10 ms, rto 200 ms before any RTT sample).
   *
   * <pre>{@code
   * long next = kcp.advance(0);        // first call starts the clock, nothing to send: NO_EVENT
   * kcp.send(msg, 0, msg.length);
   * kcp.flush();                       // sn 0 leaves now (or wait for the grid: advance(0) -> 10)
   * next = kcp.advance(0);             // 200: sn 0's retransmission deadline, not 10
   * next = kcp.advance(200);           // no ACK came: sn 0 is resent at 200; returns 500
   *                                    //   (nodelay 1: its rto grows by half, to 300)
   * kcp.update(230);                   // at 230 the ACK arrives: set the clock for its RTT sample,
   * kcp.input(ack, 0, ack.length);     //   then input it (rtt 30 ms)
   * next = kcp.advance(230);           // nothing in flight, no ACK owed: NO_EVENT
   * }</pre>
   *
   * A server with many sessions keeps each one's returned deadline in a timer heap and calls {@code
   * advance} only for the sessions due, instead of every session every {@code interval}.
   * Allocation-free; O(in-flight segments).
   *
   * @return the time (on the caller's clock) to call {@code advance} again if nothing is sent or
   *     received meanwhile, greater than {@code nowMillis}; or {@link #NO_EVENT}
   */
  public long advance(long nowMillis) {
    update(nowMillis);
    if (nextEventAt(nowMillis) <= nowMillis) {
      flush();
    }
    long next = nextEventAt(nowMillis);
    return next == NO_EVENT ? NO_EVENT : Math.max(next, nowMillis + 1);
  }

  /**
   * Emits now whatever is due: pending ACKs, window probes, new segments the window admits,
   * retransmissions. Does nothing before the first {@link #update}. Normally called by {@code
   * update}; call it directly to send at once after {@code send} or {@code input}.
   */
  public void flush() {
    if (!updated) {
      return;
    }
    int freeWindow = unusedReceiveWindow();
    long datagramsBefore = counters.datagramsOut;
    packer.reset();
    boolean holdAcks = acks.size() > 0 && ackWait(current) > 0;
    int lastAckSn = 0;
    int lastAckTs = 0;
    if (!holdAcks) {
      flushAcks(freeWindow);
      lastAckSn = acks.size() > 0 ? acks.sn(acks.size() - 1) : 0;
      lastAckTs = acks.size() > 0 ? acks.ts(acks.size() - 1) : 0;
      acks.clear();
    }
    scheduleWindowProbe();
    flushProbes(freeWindow, lastAckSn, lastAckTs);
    int window = congestion.window(Math.min(sendWindow, remoteWindow), flowView);
    recoveryView.now = current;
    boolean pathDown = loss.pathDown(recoveryView);
    if (!pathDown) {
      admitNewSegments(window); // in an outage new data waits for the resume
    }
    firstTransmissions = 0;
    int outcome = flushDataSegments(freeWindow);
    if (holdAcks && (packer.size() > 0 || counters.datagramsOut != datagramsBefore)) {
      flushAcks(freeWindow); // held ACKs ride with what goes out anyway
      acks.clear();
      holdAcks = false;
    }
    if (!holdAcks) {
      flushOwedRepeatAck(freeWindow, datagramsBefore);
    }
    if (firstTransmissions > 0 && redundancy.enabled()) {
      redundancy.addCopies(
          packer,
          sendBuffer,
          sndUna,
          sndNxt,
          current,
          freeWindow,
          rcvNxt,
          loss,
          recoveryView,
          counters);
    }
    packer.emit();
    reactToLoss(outcome, window);
  }

  /** Step 1: one ACK segment per PUSH received since the last flush, in arrival order. */
  private void flushAcks(int freeWindow) {
    for (int i = 0, n = acks.size(); i < n; i++) {
      packer.reserve(HEADER_SIZE);
      packer.header(CMD_ACK, 0, freeWindow, acks.ts(i), acks.sn(i), rcvNxt, 0);
    }
  }

  /** Step 2: while the peer's window is zero, probe it at growing intervals (7 s … 120 s). */
  private void scheduleWindowProbe() {
    if (remoteWindow != 0) {
      probeAt = 0;
      probeWait = 0;
      return;
    }
    if (probeWait == 0) {
      probeWait = PROBE_INIT;
      probeAt = current + probeWait;
    } else if (Seq.diff(current, probeAt) >= 0) {
      if (probeWait < PROBE_INIT) {
        probeWait = PROBE_INIT;
      }
      probeWait += probeWait / 2;
      if (probeWait > PROBE_LIMIT) {
        probeWait = PROBE_LIMIT;
      }
      probeAt = current + probeWait;
      probeFlags |= ASK_SEND;
    }
  }

  /**
   * Step 3: WASK and/or WINS as requested. Like the reference, these carry the sn and ts of the
   * last ACK emitted in this flush (0 when none): receivers ignore both fields.
   */
  private void flushProbes(int freeWindow, int lastAckSn, int lastAckTs) {
    if ((probeFlags & ASK_SEND) != 0) {
      packer.reserve(HEADER_SIZE);
      packer.header(CMD_WASK, 0, freeWindow, lastAckTs, lastAckSn, rcvNxt, 0);
    }
    if ((probeFlags & ASK_TELL) != 0) {
      packer.reserve(HEADER_SIZE);
      packer.header(CMD_WINS, 0, freeWindow, lastAckTs, lastAckSn, rcvNxt, 0);
    }
    probeFlags = 0;
  }

  /** Step 4: move queued segments into the send buffer while the window admits them. */
  private void admitNewSegments(int window) {
    while (Seq.before(sndNxt, sndUna + window)) {
      Segment seg = sendQueue.pollFirst();
      if (seg == null) {
        return;
      }
      sendBuffer.ensureSpan(sndUna, sndNxt, sndNxt - sndUna + 1);
      seg.sn = sndNxt;
      seg.ts = current;
      seg.resendAt = current;
      seg.rto = rto;
      seg.fastAck = 0;
      seg.transmissions = 0;
      seg.rtoJudged = false;
      sendBuffer.put(sndNxt, seg);
      sndNxt++;
    }
  }

  private static final int SENT_FAST = 1;
  private static final int SENT_TIMEOUT = 2;

  /**
   * Step 5: transmit each buffered segment that is new, or that the loss detection says must go
   * again (timed out, fast-acked past the threshold, ...). Returns which retransmission kinds
   * happened ({@link #SENT_FAST}, {@link #SENT_TIMEOUT}).
   */
  private int flushDataSegments(int freeWindow) {
    int firstRtoSlack = firstTimeoutSlack(rto);
    int outcome = 0;
    recoveryView.now = current;
    loss.beginFlush(recoveryView);
    for (int sn = sndUna; Seq.before(sn, sndNxt); sn++) {
      Segment seg = sendBuffer.get(sn);
      if (seg == null) {
        continue;
      }
      if (seg.transmissions == 0) {
        seg.transmissions = 1;
        seg.firstSentAt = current;
        seg.rto = rto;
        seg.resendAt = current + seg.rto + firstRtoSlack;
        firstTransmissions++;
      } else {
        int reason = loss.verdict(seg, recoveryView);
        if (reason == LossDetection.KEEP) {
          continue;
        }
        seg.transmissions++;
        seg.retransmittedAt = current;
        seg.spuriousCounted = false;
        loss.onRetransmit(seg, reason, recoveryView);
        counters.retransmittedSegments++;
        if (reason == LossDetection.FAST) {
          outcome |= SENT_FAST;
          counters.fastRetransmittedSegments++;
        } else if (reason == LossDetection.PROBE) {
          counters.probeSegments++;
        } else { // TIMEOUT, RESUME
          timeoutRetransmissions++;
          outcome |= SENT_TIMEOUT;
          counters.lostSegments++;
        }
      }
      seg.ts = current;
      packer.reserve(HEADER_SIZE + seg.len);
      packer.header(seg.cmd, seg.frg, freeWindow, seg.ts, seg.sn, rcvNxt, seg.len);
      packer.payload(seg.data, seg.len);
      loss.onSend(seg, recoveryView);
      if (seg.transmissions >= deadLinkTransmissions) {
        deadLink = true;
      }
    }
    loss.endFlush(recoveryView);
    return outcome;
  }

  /**
   * How long, at {@code now}, the pending ACKs may still wait for data to ride with: {@code
   * min(ackdelay, srtt / 4)} after the oldest was queued, {@code srtt / 2} instead of {@code srtt /
   * 4} while the thin-stream mode's RTO gate is open (≤ 0: they go with the next flush). With
   * {@code ackdelay} 0 (the reference), always 0.
   */
  private int ackWait(int now) {
    if (ackDelay == 0) {
      return 0;
    }
    int bound = Math.min(ackDelay, rtoGate.isOpen() ? srtt / 2 : srtt / 4);
    return firstAckAt + bound - now;
  }

  /**
   * With repeatacks off: a repeated PUSH below rcvNxt arrived since the last flush and nothing was
   * sent in this one, so no una told the peer; one ACK for it does.
   */
  private void flushOwedRepeatAck(int freeWindow, long datagramsBefore) {
    if (!repeatOwed) {
      return;
    }
    repeatOwed = false;
    if (packer.size() == 0 && counters.datagramsOut == datagramsBefore) {
      packer.reserve(HEADER_SIZE);
      packer.header(CMD_ACK, 0, freeWindow, repeatOwedTs, repeatOwedSn, rcvNxt, 0);
    }
  }

  /** Step 6: the congestion controller reacts to this flush's retransmissions. */
  private void reactToLoss(int outcome, int window) {
    if ((outcome & SENT_FAST) != 0) {
      congestion.onFastRetransmit(flowView);
    }
    if ((outcome & SENT_TIMEOUT) != 0) {
      congestion.onTimeout(window, flowView);
    }
    congestion.afterFlush(flowView);
  }

  private int unusedReceiveWindow() {
    int n = receiveWindow - receiveQueue.size();
    return n > 0 ? n : 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Settings (ikcp semantics)
  // ---------------------------------------------------------------------------------------------

  /**
   * ikcp_nodelay. Negative values leave a setting unchanged. {@code nodelay != 0} sets the minimum
   * RTO to 30 ms, {@code 0} to 100 ms; interval is clamped to [10, 5000]. {@code nc} switches
   * between {@link ClassicKcp} and {@link NoCongestionWindow}, keeping the tracked cwnd; it has no
   * effect while a custom controller is installed. Ranges and meanings: {@link EngineSetting}.
   */
  public void setNoDelay(int nodelay, int interval, int resend, boolean nc) {
    if (nodelay >= 0) {
      setNodelay(nodelay);
    }
    if (interval >= 0) {
      setInterval(interval);
    }
    if (resend >= 0) {
      setFastResend(resend);
    }
    setNoCongestionWindow(nc);
  }

  /** {@link EngineSetting#NODELAY}: the back-off mode, and the minimum RTO it implies. */
  void setNodelay(int nodelay) {
    this.nodelay = nodelay;
    this.minRto = EngineSetting.minRtoFor(nodelay);
  }

  /** {@link EngineSetting#FAST_RESEND}. */
  void setFastResend(int resend) {
    this.fastResend = resend;
  }

  /** {@link EngineSetting#NO_CONGESTION_WINDOW}; a custom controller is left alone. */
  void setNoCongestionWindow(boolean nc) {
    if (nc && congestion instanceof ClassicKcp) {
      congestion = new NoCongestionWindow((ClassicKcp) congestion);
    } else if (!nc && congestion instanceof NoCongestionWindow) {
      congestion = ((NoCongestionWindow) congestion).tracked();
    }
  }

  /** Flush interval in ms, clamped to [10, 5000] as ikcp_interval does. */
  public void setInterval(int intervalMillis) {
    IntSetting range = EngineSetting.INTERVAL;
    this.interval = Math.max(range.min(), Math.min(range.max(), intervalMillis));
  }

  /**
   * ikcp_wndsize: values ≤ 0 leave a window unchanged; the receive window is raised to at least 128
   * segments.
   *
   * @throws IllegalArgumentException if a window exceeds 65535 (the wire's 16-bit field)
   */
  public void setWindowSize(int send, int receive) {
    IntSetting receiveRange = EngineSetting.RECEIVE_WINDOW;
    if (send > 0) {
      EngineSetting.SEND_WINDOW.check("sndwnd", send);
    }
    if (receive > 0) {
      receiveRange.check("rcvwnd", Math.max(receive, receiveRange.min()));
    }
    if (send > 0) {
      sendWindow = send;
    }
    if (receive > 0) {
      receiveWindow = Math.max(receive, receiveRange.min());
      if (receiveWindow > receiveBufferSpan) {
        receiveBuffer.ensureSpan(rcvNxt, rcvNxt + receiveBufferSpan, receiveWindow);
        receiveBufferSpan = receiveWindow;
      }
    }
    pool.setMaxPooled(poolLimit());
  }

  /**
   * ikcp_setmtu: datagrams are at most {@code mtu} bytes; mss becomes {@code mtu - 24}.
   *
   * @throws IllegalArgumentException if mtu is outside [50, 65507]
   */
  public void setMtu(int mtu) {
    EngineSetting.MTU.check("mtu", mtu);
    if (mtu == this.mtu) {
      return;
    }
    this.mtu = mtu;
    this.mss = mtu - HEADER_SIZE;
    pool.setSegmentCapacity(mss);
    packer.setMtu(mtu);
  }

  /** Stream mode: no message boundaries; sends top up the last queued segment. */
  public void setStreamMode(boolean stream) {
    this.streamMode = stream;
  }

  /** Lower bound of the RTO in ms (ikcp's {@code rx_minrto}), 1..60000. */
  public void setMinRto(int millis) {
    this.minRto = EngineSetting.MIN_RTO.check("minrto", millis);
  }

  /** A segment transmitted this many times marks the link dead ({@link #isDeadLink()}). */
  public void setDeadLink(int transmissions) {
    this.deadLinkTransmissions = EngineSetting.DEAD_LINK.check("deadlink", transmissions);
  }

  /** Fast retransmit only while a segment was sent at most this many times; ≤ 0 = no limit. */
  public void setFastLimit(int transmissions) {
    this.fastLimit = transmissions;
  }

  /** The most fragments a message may take, 1..255 (127 in the reference). */
  public void setMaxFragments(int fragments) {
    this.maxFragments = EngineSetting.MAX_FRAGMENTS.check("maxfrag", fragments);
  }

  /** Replaces the congestion controller (takes effect at the next input or flush). */
  public void setCongestionControl(CongestionControl controller) {
    this.congestion = Objects.requireNonNull(controller, "controller");
  }

  // ---------------------------------------------------------------------------------------------
  // kcpj's latency settings (opt-in; docs/latency.md)
  // ---------------------------------------------------------------------------------------------

  /**
   * {@link EngineSetting#THIN_STREAM}: thin-stream loss detection ({@link ThinStreamLossDetection}:
   * RACK-style detection, tail-loss probe, linear timeouts, outage probing and resume) instead of
   * the reference's ({@link ReferenceLossDetection}). Switching keeps every segment's timer.
   */
  public void setThinStream(boolean on) {
    if (on != isThinStream()) {
      loss = on ? new ThinStreamLossDetection() : ReferenceLossDetection.INSTANCE;
      if (on) {
        // The gate judges ikcp's timer as it is now, and the finer estimator starts from ikcp's
        // (nothing of an earlier thin period, nor the default RTO, carries over).
        rtoGate.restart(rto, srtt, rttVar);
      } else {
        if (rtoGate.isOpen()) {
          rto = rtoGate.coarseRto(); // back to ikcp's at once
        }
        rtoGate.forgetEvidence();
      }
    }
  }

  /** Whether thin-stream loss detection is on ({@link EngineSetting#THIN_STREAM}). */
  public boolean isThinStream() {
    return loss instanceof ThinStreamLossDetection;
  }

  /** The loss detection strategy in use (diagnostics). */
  public LossDetection lossDetection() {
    return loss;
  }

  /** {@link EngineSetting#MAX_RTO}: upper bound of a segment's backed-off RTO in ms; 0: none. */
  public void setMaxRto(int millis) {
    this.maxRto = EngineSetting.MAX_RTO.check("maxrto", millis);
  }

  /** {@link EngineSetting#MAX_RTO}; 0: no bound (the reference). */
  public int maxRto() {
    return maxRto;
  }

  /** {@link EngineSetting#REDUNDANCY}: redundant copies per segment (0: off). */
  public void setRedundancy(int copies) {
    redundancy.setCopiesPerSegment(EngineSetting.REDUNDANCY.check("dup", copies));
  }

  /** {@link EngineSetting#REDUNDANCY}. */
  public int redundancy() {
    return redundancy.copiesPerSegment();
  }

  /** {@link EngineSetting#REDUNDANCY_BYTES}: most bytes of copies per datagram. */
  public void setRedundancyBytes(int bytes) {
    redundancy.setByteBudget(EngineSetting.REDUNDANCY_BYTES.check("dupbytes", bytes));
  }

  /** {@link EngineSetting#REDUNDANCY_BYTES}. */
  public int redundancyBytes() {
    return redundancy.byteBudget();
  }

  /**
   * {@link EngineSetting#ACK_DELAY}: an ACK waits at most {@code min(millis, srtt / 4)} (or {@code
   * srtt / 2} while the thin-stream mode's RTO gate is open) for data (or anything else) to ride
   * with; 0: ACKs leave with the next flush, as in the reference.
   */
  public void setAckDelay(int millis) {
    this.ackDelay = EngineSetting.ACK_DELAY.check("ackdelay", millis);
  }

  /** {@link EngineSetting#ACK_DELAY}. */
  public int ackDelay() {
    return ackDelay;
  }

  /** {@link EngineSetting#REPEAT_ACKS}: acknowledge every repeated PUSH, as the reference does. */
  public void setRepeatAcks(boolean on) {
    this.repeatAcks = on;
  }

  /** {@link EngineSetting#REPEAT_ACKS}. */
  public boolean repeatAcks() {
    return repeatAcks;
  }

  /**
   * {@link EngineSetting#DELIVERY_EXTENSION}: send and accept unordered and sequenced messages
   * (segment commands 85–88). Both ends must agree.
   */
  public void setDeliveryExtension(boolean on) {
    this.deliveryExtension = on;
  }

  /** {@link EngineSetting#DELIVERY_EXTENSION}. */
  public boolean deliveryExtension() {
    return deliveryExtension;
  }

  private int poolLimit() {
    return 2 * Math.max(sendWindow, receiveWindow) + 64;
  }

  /**
   * Starts both sequence spaces at {@code sn} instead of 0, before any traffic. Both ends of a
   * conversation must agree, so this is for tests that exercise the 2<sup>32</sup> wrap without
   * sending four billion segments first; it is not part of the wire protocol.
   *
   * @throws IllegalStateException once anything was sent, received or flushed
   */
  void startSequencesAt(int sn) {
    if (updated
        || sndNxt != 0
        || rcvNxt != 0
        || !sendQueue.isEmpty()
        || receiveBuffer.count() != 0) {
      throw new IllegalStateException("sequence numbers can only be moved before any traffic");
    }
    sndUna = sn;
    sndNxt = sn;
    rcvNxt = sn;
  }

  // ---------------------------------------------------------------------------------------------
  // Diagnostics
  // ---------------------------------------------------------------------------------------------

  public int conv() {
    return conv;
  }

  /** Segments queued or in flight, not yet acknowledged (ikcp_waitsnd). */
  public int waitSnd() {
    return sendBuffer.count() + sendQueue.size();
  }

  /** Whether some segment was transmitted {@code deadLink} times without acknowledgement. */
  public boolean isDeadLink() {
    return deadLink;
  }

  public KcpCounters counters() {
    return counters;
  }

  public int srtt() {
    return srtt;
  }

  public int rttVar() {
    return rttVar;
  }

  public int rto() {
    return rto;
  }

  public int minRto() {
    return minRto;
  }

  public int cwnd() {
    return congestion.congestionWindow();
  }

  public int ssthresh() {
    return congestion.slowStartThreshold();
  }

  public int remoteWindow() {
    return remoteWindow;
  }

  public int sndUna() {
    return sndUna;
  }

  public int sndNxt() {
    return sndNxt;
  }

  public int rcvNxt() {
    return rcvNxt;
  }

  /** Messages' segments waiting to enter the send window (ikcp's {@code nsnd_que}). */
  public int sendQueueSize() {
    return sendQueue.size();
  }

  /** Segments in flight (ikcp's {@code nsnd_buf}). */
  public int sendBufferSize() {
    return sendBuffer.count();
  }

  /** Out-of-order segments held for reassembly (ikcp's {@code nrcv_buf}). */
  public int receiveBufferSize() {
    return receiveBuffer.count();
  }

  /** In-order segments ready for recv (ikcp's {@code nrcv_que}). */
  public int receiveQueueSize() {
    return receiveQueue.size();
  }

  /** Retransmissions by timeout (ikcp's {@code xmit}). */
  public int timeoutRetransmissions() {
    return timeoutRetransmissions;
  }

  public int mtu() {
    return mtu;
  }

  public int mss() {
    return mss;
  }

  public int interval() {
    return interval;
  }

  public int nodelay() {
    return nodelay;
  }

  public int fastResend() {
    return fastResend;
  }

  public int sendWindow() {
    return sendWindow;
  }

  /** Transmissions of one segment that mark the link dead ({@link EngineSetting#DEAD_LINK}). */
  public int deadLink() {
    return deadLinkTransmissions;
  }

  /** {@link EngineSetting#FAST_LIMIT}; ≤ 0: no limit. */
  public int fastLimit() {
    return fastLimit;
  }

  /** The most fragments one message may take ({@link EngineSetting#MAX_FRAGMENTS}). */
  public int maxFragments() {
    return maxFragments;
  }

  public int receiveWindow() {
    return receiveWindow;
  }

  public boolean isStreamMode() {
    return streamMode;
  }

  public CongestionControl congestionControl() {
    return congestion;
  }

  /** The engine's clock: the time given to the latest {@link #update} (32-bit, wrapping). */
  public int currentMillis() {
    return current;
  }

  @Override
  public String toString() {
    return "Kcp{conv="
        + Integer.toUnsignedString(conv)
        + ", sndUna="
        + sndUna
        + ", sndNxt="
        + sndNxt
        + ", rcvNxt="
        + rcvNxt
        + ", srtt="
        + srtt
        + ", rto="
        + rto
        + ", cwnd="
        + cwnd()
        + ", waitSnd="
        + waitSnd()
        + ", dead="
        + deadLink
        + '}';
  }

  /** The engine's read-only face for its loss detection; {@code now} is set before each call. */
  private final class RecoveryView implements RecoveryState {
    int now;

    @Override
    public int nowMillis() {
      return now;
    }

    @Override
    public int smoothedRtt() {
      return srtt;
    }

    @Override
    public int rttVariance() {
      return rttVar;
    }

    @Override
    public int rto() {
      return rto;
    }

    @Override
    public int interval() {
      return interval;
    }

    @Override
    public int nodelay() {
      return nodelay;
    }

    @Override
    public int fastResend() {
      return fastResend;
    }

    @Override
    public int fastLimit() {
      return fastLimit;
    }

    @Override
    public int maxRto() {
      return maxRto;
    }

    @Override
    public int inFlight() {
      return sndNxt - sndUna;
    }

    @Override
    public int oldestInFlight() {
      return sndUna;
    }

    @Override
    public int newestInFlight() {
      for (int sn = sndNxt - 1; Seq.atOrAfter(sn, sndUna); sn--) {
        if (sendBuffer.get(sn) != null) {
          return sn;
        }
      }
      return sndNxt - 1;
    }

    @Override
    public int oldestTransmissions() {
      Segment seg = sndUna == sndNxt ? null : sendBuffer.get(sndUna);
      return seg == null ? 0 : seg.transmissions;
    }
  }

  /** The engine's read-only face for its congestion controller. */
  private final class FlowView implements FlowState {
    @Override
    public int mss() {
      return mss;
    }

    @Override
    public int remoteWindow() {
      return remoteWindow;
    }

    @Override
    public int inFlight() {
      return sndNxt - sndUna;
    }

    @Override
    public int fastResend() {
      return fastResend;
    }

    @Override
    public int nowMillis() {
      return current;
    }

    @Override
    public int smoothedRtt() {
      return srtt;
    }
  }
}
