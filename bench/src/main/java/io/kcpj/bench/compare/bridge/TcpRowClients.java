package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.EchoMessage;
import io.kcpj.bench.compare.Workload;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The kernel-TCP row's clients: per session, a socket ({@code TCP_NODELAY}) bound before it
 * connects (so its flow is registered before the SYN) and a reader thread recording the echoes.
 */
final class TcpRowClients extends RowClients {
  private final InetSocketAddress server;
  private final Socket[] sockets;
  private final OutputStream[] outs;
  private final Thread[] readers;

  TcpRowClients(
      InetSocketAddress server,
      Workload workload,
      long[] phaseNanos,
      long drainMillis,
      WarmupGate gate,
      FlowRegistry flows) {
    super(
        io.kcpj.bench.compare.Comparison.TCP_LABEL,
        workload,
        phaseNanos,
        false,
        drainMillis,
        gate,
        flows);
    this.server = server;
    this.sockets = new Socket[sessions];
    this.outs = new OutputStream[sessions];
    this.readers = new Thread[sessions];
  }

  @Override
  int protocol() {
    return 6;
  }

  @Override
  int serverPort() {
    return server.getPort();
  }

  @Override
  int bind(int k) throws IOException {
    Socket s = new Socket();
    sockets[k] = s;
    s.setTcpNoDelay(true);
    s.bind(new InetSocketAddress(0));
    return s.getLocalPort();
  }

  @Override
  void connect(int k) throws IOException {
    Socket s = sockets[k];
    s.connect(server, 10_000);
    outs[k] = s.getOutputStream();
    outs[k].write(TcpEchoServer.hello(workload.size(), workload.responseSize()));
    outs[k].flush();
    DataInputStream in = new DataInputStream(s.getInputStream());
    Thread reader =
        new Thread(
            () -> {
              byte[] resp = new byte[workload.responseSize()];
              try {
                while (true) {
                  in.readFully(resp);
                  echo(EchoMessage.seq(resp, 0), System.nanoTime());
                }
              } catch (IOException | RuntimeException e) {
                if (!tally.complete() && !s.isClosed() && failure == null) {
                  failure = "session " + k + " read failed: " + e;
                }
              }
            },
            "tcp-client-reader-" + s.getLocalPort());
    reader.setDaemon(true);
    reader.start();
    readers[k] = reader;
  }

  @Override
  void send(int k, byte[] message, int size) throws IOException {
    outs[k].write(message, 0, size);
    outs[k].flush();
  }

  @Override
  void close() {
    for (Socket s : sockets) {
      try {
        if (s != null) {
          s.close();
        }
      } catch (IOException e) {
        // closing after the measurement: nothing to report
      }
    }
  }
}
