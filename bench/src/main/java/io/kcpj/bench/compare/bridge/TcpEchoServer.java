package io.kcpj.bench.compare.bridge;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The comparison's TCP echo server (kernel TCP, {@code TCP_NODELAY} on). Each connection starts
 * with a text line {@code "<requestSize> <responseSize>\n"}; then every request of {@code
 * requestSize} bytes is answered with {@code responseSize} bytes starting with the request's 4-byte
 * sequence number. One thread per connection; runs until closed.
 */
public final class TcpEchoServer implements AutoCloseable {
  private final ServerSocket server;
  private final Thread acceptor;

  public TcpEchoServer(InetSocketAddress bind) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(bind);
    acceptor = new Thread(this::acceptLoop, "tcp-echo-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "tcp-echo-" + s.getPort());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      String[] hello = readLine(in).trim().split(" ");
      int requestSize = Integer.parseInt(hello[0]);
      int responseSize = Integer.parseInt(hello[1]);
      byte[] req = new byte[requestSize];
      byte[] resp = new byte[responseSize];
      DataInputStream din = new DataInputStream(in);
      while (true) {
        din.readFully(req);
        System.arraycopy(req, 0, resp, 0, 4);
        out.write(resp);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // connection ended
    }
  }

  static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      sb.append((char) c);
      if (sb.length() > 100) {
        throw new IOException("hello line too long");
      }
    }
    if (c < 0) {
      throw new IOException("connection closed before the hello line");
    }
    return sb.toString();
  }

  static byte[] hello(int requestSize, int responseSize) {
    return (requestSize + " " + responseSize + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
