package io.kcpj.netty;

import io.kcpj.core.Kcp;

/**
 * One session's standing with its codec's limits: whether its peer is validated and, until then,
 * the bytes exchanged with it (anti-amplification) and its place among the unvalidated sessions
 * (eviction order); the bytes its queues hold (memory budget); and since when its queued data has
 * waited without an acknowledgement (no-progress timeout).
 *
 * <p>Owned by its {@link KcpChildChannel}; read and written by the codec's {@link SessionAdmission}
 * and {@link MemoryBudget}. Event-loop confined.
 */
final class SessionAccount {
  /** {@link #waitingSince} when nothing waits for an acknowledgement. */
  static final long NOT_WAITING = Long.MIN_VALUE;

  final KcpChildChannel session;

  // Admission (SessionAdmission).
  boolean validated;

  /** The per-source key of the peer's address ({@link SessionAdmission#sourceOf}). */
  Object source;

  /** While unvalidated: datagram bytes received from the peer, and sent to it. */
  long bytesReceived;

  long bytesSent;

  /**
   * While unvalidated: one past the highest data segment sn sent (lower ones are retransmissions).
   */
  int nextSn;

  /** Links in the codec's list of unvalidated sessions, oldest first. */
  SessionAccount older;

  SessionAccount newer;
  boolean listed;

  // Padding (PAD_UNTIL_ANSWERED): until the peer first sends data, for a few datagrams.
  boolean answered;
  int paddedDatagrams;

  // Memory budget (MemoryBudget).
  long heldBytes;

  // Progress (NO_PROGRESS).
  private int progressUna;
  private long waitingSince = NOT_WAITING;

  SessionAccount(KcpChildChannel session) {
    this.session = session;
  }

  /** After input: the peer has sent data once anything is held or delivered in order. */
  void afterInput(Kcp kcp) {
    if (!answered && (kcp.rcvNxt() != 0 || kcp.receiveBufferSize() > 0)) {
      answered = true;
    }
  }

  /**
   * The size to pad the next datagram to (0: none), counting it: {@code target} capped at {@code
   * mtu}, until the peer has answered, for at most {@link KcpChannelOption#PADDED_DATAGRAMS}
   * datagrams.
   */
  int padding(int target, int mtu) {
    if (target <= 0 || answered || paddedDatagrams >= KcpChannelOption.PADDED_DATAGRAMS) {
      return 0;
    }
    paddedDatagrams++;
    return Math.min(target, mtu);
  }

  /**
   * Updates the no-progress clock from the engine's state and returns the time at which the session
   * will have waited {@code timeoutMillis} without progress, or {@code Long.MAX_VALUE} when nothing
   * waits or the timeout is off. The clock starts when data is queued and restarts each time the
   * peer's acknowledgements move the send window ({@code sndUna}); it stops when the queue is
   * empty.
   */
  long progressDeadline(Kcp kcp, long nowMillis, long timeoutMillis) {
    if (kcp.waitSnd() == 0) {
      waitingSince = NOT_WAITING;
      return Long.MAX_VALUE;
    }
    int una = kcp.sndUna();
    if (waitingSince == NOT_WAITING || una != progressUna) {
      waitingSince = nowMillis;
      progressUna = una;
    }
    return timeoutMillis > 0 ? waitingSince + timeoutMillis : Long.MAX_VALUE;
  }
}
