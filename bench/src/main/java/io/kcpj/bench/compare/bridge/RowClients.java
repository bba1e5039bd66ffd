package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.EchoMessage;
import io.kcpj.bench.compare.Workload;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * The clients of one row (one transport on one profile): {@code sessions} connections or sockets,
 * each on its own flow, driven from one sending thread that must be in the client's network
 * namespace (sockets are created on it). The transport-specific parts are {@link #open}, {@link
 * #send} and {@link #close}; the schedule — open, register each flow, warm up, wait at the gate,
 * send every session's messages on time, drain — is the same for all.
 *
 * <p>Not reusable; {@link #run} once, on its sending thread.
 */
abstract class RowClients {
  /** Registers a flow before its first packet: its IP protocol, client port and server port. */
  @FunctionalInterface
  interface FlowRegistry {
    void register(int protocol, int clientPort, int serverPort, String label, int session);
  }

  final String label;
  final Workload workload;
  final EchoTally tally;
  final int sessions;
  private final long drainNanos;
  private final WarmupGate gate;
  private final FlowRegistry flows;
  final int[] localPorts;
  int sent;
  long retransmits;
  volatile String failure;

  RowClients(
      String label,
      Workload workload,
      long[] phaseNanos,
      boolean duplicatesAllowed,
      long drainMillis,
      WarmupGate gate,
      FlowRegistry flows) {
    this.label = label;
    this.workload = workload;
    this.sessions = phaseNanos.length;
    this.tally = new EchoTally(workload, phaseNanos, duplicatesAllowed);
    this.drainNanos = drainMillis * 1_000_000L;
    this.gate = gate;
    this.flows = flows;
    this.localPorts = new int[sessions];
  }

  /** IP protocol number of the flows (6 TCP, 17 UDP). */
  abstract int protocol();

  /** The server's port for this row. */
  abstract int serverPort();

  /**
   * Creates session {@code k}'s socket on the calling thread and binds it (no packet yet),
   * returning its local port; {@link #connect} follows once the flow is registered.
   */
  abstract int bind(int session) throws Exception;

  /** Connects session {@code k} (its first packets may leave now). */
  abstract void connect(int session) throws Exception;

  /** Sends message {@code id} of {@code size} bytes on session {@code k}. */
  abstract void send(int session, byte[] message, int size) throws IOException;

  /** Retransmissions counted by the clients themselves so far (KCP), else 0. */
  long clientRetransmits() throws Exception {
    return 0;
  }

  /** Closes every session; errors after the measurement are not failures. */
  abstract void close();

  /** Runs the whole row on the calling thread; returns when done or the drain time ends. */
  final void run() throws Exception {
    try {
      for (int k = 0; k < sessions; k++) {
        localPorts[k] = bind(k);
        flows.register(protocol(), localPorts[k], serverPort(), label, k);
        connect(k);
      }
      byte[] msg = new byte[Math.max(workload.size(), EchoMessage.HEADER)];
      for (int w = 0; w < tally.warmups(); w++) {
        for (int k = 0; k < sessions; k++) {
          EchoMessage.write(msg, msg.length, -1 - w);
          send(k, msg, workload.messageSize(0));
        }
        LockSupport.parkNanos(20_000_000L);
      }
      long warmDeadline = System.nanoTime() + WarmupGate.ECHO_TIMEOUT_NANOS;
      while (tally.warmEchoed() < tally.warmups() * sessions
          && failure == null
          && System.nanoTime() < warmDeadline) {
        LockSupport.parkNanos(2_000_000L);
      }
      long retransmitsAtStart = clientRetransmits();
      tally.start(gate.warmedUpAwaitStart());
      int n = tally.perSession();
      for (int i = 0; i < n && failure == null; i++) {
        for (int k = 0; k < sessions; k++) {
          int size = workload.messageSize(i);
          tally.awaitTurn(k, i);
          EchoMessage.write(msg, size, tally.id(k, i));
          send(k, msg, size);
          sent++;
        }
      }
      long deadline = Math.max(System.nanoTime(), tally.lastDueNanos()) + drainNanos;
      while (!tally.complete() && failure == null && System.nanoTime() < deadline) {
        LockSupport.parkNanos(5_000_000L);
      }
      tally.finish();
      retransmits = clientRetransmits() - retransmitsAtStart;
    } finally {
      close();
    }
    if (failure != null) {
      throw new IOException(label + ": " + failure);
    }
  }

  /** Accounts one echo; a problem fails the row. */
  final void echo(int id, long nowNanos) {
    String problem = tally.onEcho(id, nowNanos);
    if (problem != null && failure == null) {
      failure = problem;
    }
  }
}
