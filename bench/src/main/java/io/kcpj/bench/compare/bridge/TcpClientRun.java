package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.EchoMessage;
import io.kcpj.bench.compare.Workload;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One kernel-TCP client of the comparison: connects ({@code TCP_NODELAY}), sends the workload's
 * requests on schedule from the calling thread (which must be in the client's network namespace
 * when the socket is created), reads the responses on a second thread and records each RTT from
 * the request's scheduled send time. Not reusable.
 */
final class TcpClientRun {
  private final InetSocketAddress server;
  private final Workload workload;
  private final long drainNanos;
  final Histogram rtt = new Histogram(3_600_000_000L, 3);
  volatile int echoed;
  int sent;
  volatile int localPort;
  long goodputBytes;
  long durationMillis;
  private volatile Throwable readerFailure;

  private final WarmupGate gate;
  private volatile int warmEchoed;

  TcpClientRun(InetSocketAddress server, Workload workload, long drainMillis, WarmupGate gate) {
    this.server = server;
    this.workload = workload;
    this.drainNanos = drainMillis * 1_000_000L;
    this.gate = gate;
  }

  /** Runs the whole exchange on the calling thread; returns when done or the drain time ends. */
  void run() throws IOException, InterruptedException {
    int total = workload.messageCount();
    boolean[] received = new boolean[total];
    boolean bulk = workload.kind() == Workload.Kind.BULK;
    AtomicLongArray sentAt = new AtomicLongArray(bulk ? total : 0);
    Semaphore window = new Semaphore(Workload.BULK_OUTSTANDING);
    long[] lastEcho = new long[1];
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(server, 10_000);
      localPort = s.getLocalPort();
      OutputStream out = s.getOutputStream();
      out.write(TcpEchoServer.hello(workload.size(), workload.responseSize()));
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      java.util.concurrent.atomic.AtomicLong startAt =
          new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
      Thread reader = new Thread(() -> {
        byte[] resp = new byte[workload.responseSize()];
        try {
          while (echoed < total) {
            in.readFully(resp);
            long now = System.nanoTime();
            int seq = EchoMessage.seq(resp, 0);
            if (seq < 0) {
              warmEchoed++; // a warm-up echo: not measured
              continue;
            }
            long start = startAt.get();
            if (seq >= total || received[seq]) {
              throw new IOException("unexpected echo of message " + seq);
            }
            received[seq] = true;
            long reference = bulk ? sentAt.get(seq) : start + workload.scheduledNanos(seq);
            rtt.recordValue(Math.max(0, (now - reference) / 1000));
            lastEcho[0] = now;
            echoed++;
            if (bulk) {
              window.release();
            }
          }
        } catch (Throwable t) {
          if (echoed < total) {
            readerFailure = t;
          }
        }
      }, "tcp-client-reader-" + localPort);
      reader.setDaemon(true);
      reader.start();
      byte[] req = new byte[workload.size()];
      int warmups = bulk ? WarmupGate.BULK_CHUNKS : WarmupGate.MESSAGES;
      for (int k = 0; k < warmups; k++) {
        EchoMessage.write(req, req.length, -1 - k);
        out.write(req);
        out.flush();
        LockSupport.parkNanos(20_000_000L);
      }
      long warmDeadline = System.nanoTime() + WarmupGate.ECHO_TIMEOUT_NANOS;
      while (warmEchoed < warmups && readerFailure == null && System.nanoTime() < warmDeadline) {
        LockSupport.parkNanos(2_000_000L);
      }
      gate.warmedUpAwaitStart();
      // a short lead so the first scheduled send is on time
      long start = System.nanoTime() + (bulk ? 0 : 50_000_000L);
      startAt.set(start);
      for (int i = 0; i < total; i++) {
        if (bulk) {
          window.acquire();
          sentAt.set(i, System.nanoTime());
        } else {
          long due = start + workload.scheduledNanos(i);
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        EchoMessage.write(req, req.length, i);
        out.write(req);
        out.flush();
        sent++;
      }
      long deadline = System.nanoTime() + drainNanos;
      while (echoed < total && readerFailure == null && System.nanoTime() < deadline) {
        reader.join(Math.max(1, Math.min(100, (deadline - System.nanoTime()) / 1_000_000)));
      }
      long end = bulk && echoed == total ? lastEcho[0] : System.nanoTime();
      durationMillis = (end - start) / 1_000_000;
      goodputBytes = (bulk ? Math.min(workload.bulkBytes(), (long) echoed * workload.size())
          : (long) sent * workload.size()) + (long) echoed * workload.responseSize();
    }
    if (readerFailure != null) {
      throw new IOException("TCP client failed: " + readerFailure, readerFailure);
    }
  }
}
