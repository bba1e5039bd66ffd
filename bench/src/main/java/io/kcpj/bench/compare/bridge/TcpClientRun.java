package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.EchoMessage;
import io.kcpj.bench.compare.Workload;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;

/**
 * One kernel-TCP client of the comparison: connects ({@code TCP_NODELAY}), sends the workload's
 * requests on schedule from the calling thread (which must be in the client's network namespace
 * when the socket is created), reads the responses on a second thread and records each RTT from the
 * request's scheduled send time. Not reusable.
 */
final class TcpClientRun {
  private final InetSocketAddress server;
  private final Workload workload;
  private final long drainNanos;
  private final WarmupGate gate;
  final EchoTally tally;
  int sent;
  volatile int localPort;
  private volatile Throwable readerFailure;

  TcpClientRun(InetSocketAddress server, Workload workload, long drainMillis, WarmupGate gate) {
    this.server = server;
    this.workload = workload;
    this.drainNanos = drainMillis * 1_000_000L;
    this.gate = gate;
    this.tally = new EchoTally(workload);
  }

  /** Runs the whole exchange on the calling thread; returns when done or the drain time ends. */
  void run() throws IOException, InterruptedException {
    int total = workload.messageCount();
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(server, 10_000);
      localPort = s.getLocalPort();
      OutputStream out = s.getOutputStream();
      out.write(TcpEchoServer.hello(workload.size(), workload.responseSize()));
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      Thread reader =
          new Thread(
              () -> {
                byte[] resp = new byte[workload.responseSize()];
                try {
                  while (!tally.complete()) {
                    in.readFully(resp);
                    String problem = tally.onEcho(EchoMessage.seq(resp, 0), System.nanoTime());
                    if (problem != null) {
                      throw new IOException(problem);
                    }
                  }
                } catch (Throwable t) {
                  if (!tally.complete()) {
                    readerFailure = t;
                  }
                }
              },
              "tcp-client-reader-" + localPort);
      reader.setDaemon(true);
      reader.start();
      byte[] req = new byte[workload.size()];
      for (int k = 0; k < tally.warmups(); k++) {
        EchoMessage.write(req, req.length, -1 - k);
        out.write(req);
        out.flush();
        LockSupport.parkNanos(20_000_000L);
      }
      long warmDeadline = System.nanoTime() + WarmupGate.ECHO_TIMEOUT_NANOS;
      while (tally.warmEchoed() < tally.warmups()
          && readerFailure == null
          && System.nanoTime() < warmDeadline) {
        LockSupport.parkNanos(2_000_000L);
      }
      gate.warmedUpAwaitStart();
      tally.start();
      for (int i = 0; i < total; i++) {
        tally.awaitTurn(i);
        EchoMessage.write(req, req.length, i);
        out.write(req);
        out.flush();
        sent++;
      }
      long deadline = System.nanoTime() + drainNanos;
      while (!tally.complete() && readerFailure == null && System.nanoTime() < deadline) {
        reader.join(Math.max(1, Math.min(100, (deadline - System.nanoTime()) / 1_000_000)));
      }
      tally.finish();
    }
    if (readerFailure != null) {
      throw new IOException("TCP client failed: " + readerFailure, readerFailure);
    }
  }
}
