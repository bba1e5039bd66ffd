import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kernel-TCP column of the README's failure matrix, measured on loopback with real sockets and
 * default Java socket options (no TCP keepalive, Nagle on). The client sends one 8-byte request
 * every 50 ms and reads the echoes; the server is a separate process that echoes. Each scenario
 * prints one line: what the client and the server observed and when, in milliseconds after the
 * failure started. Path failures drop every packet on the loopback device with a {@code blackhole}
 * queueing discipline, so they must run as root in a network namespace of their own (run.sh does
 * that); {@code killed} and {@code restarted} need neither.
 *
 * <p>Usage: {@code java TcpFailureMatrix.java killed|restarted|blackout|partition|vanished}, or
 * {@code java TcpFailureMatrix.java serve PORT} for the server process (PORT 0: any).
 */
public final class TcpFailureMatrix {
  static final long PERIOD_MS = 50;
  static final long WARM_UP_MS = 3_000;

  static long t0Nanos;
  static final List<String> notes = new ArrayList<>();

  static synchronized void note(String side, String what) {
    long ms = (System.nanoTime() - t0Nanos) / 1_000_000;
    notes.add(side + ": " + what + " after " + ms + " ms");
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("serve")) {
      serve(Integer.parseInt(args[1]));
      return;
    }
    if (args.length != 1) {
      System.err.println("usage: TcpFailureMatrix killed|restarted|blackout|partition|vanished");
      System.exit(2);
    }
    String scenario = args[0];
    Process server = startServer(0);
    int port = readPort(server);
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger echoed = new AtomicInteger();
    long[] firstEchoAfter = {-1};
    long[] resumeFrom = {Long.MAX_VALUE};
    Flags flags = new Flags();
    Thread reader =
        new Thread(
            () -> {
              try {
                DataInputStream in = new DataInputStream(s.getInputStream()); // left open
                while (true) {
                  in.readLong();
                  echoed.incrementAndGet();
                  long now = System.nanoTime();
                  if (t0Nanos != 0 && now >= resumeFrom[0] && firstEchoAfter[0] < 0) {
                    firstEchoAfter[0] = now;
                  }
                }
              } catch (java.io.EOFException e) {
                note("client", "read sees EOF (FIN)");
              } catch (IOException e) {
                note("client", "read throws \"" + e.getMessage() + "\"");
              }
            });
    reader.setDaemon(true);
    reader.start();
    Thread writer =
        new Thread(
            () -> {
              try {
                OutputStream out = s.getOutputStream();
                while (!flags.stopSending) {
                  out.write(ByteBuffer.allocate(8).putLong(sent.incrementAndGet()).array());
                  out.flush();
                  Thread.sleep(PERIOD_MS);
                }
              } catch (IOException e) {
                note("client", "write throws \"" + e.getMessage() + "\"");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    writer.setDaemon(true);
    writer.start();
    Thread.sleep(WARM_UP_MS);
    if (echoed.get() < sent.get() - 2) {
      throw new IllegalStateException("not steady: " + echoed + " of " + sent);
    }
    int echoedAtT0 = echoed.get();
    t0Nanos = System.nanoTime();
    long observe;
    switch (scenario) {
      case "killed" -> {
        server.destroyForcibly().waitFor(); // SIGKILL: the kernel closes its sockets
        observe = 5_000;
      }
      case "restarted" -> {
        server.destroyForcibly().waitFor();
        server = startServer(port); // the same port at once
        readPort(server);
        observe = 5_000;
      }
      case "blackout", "partition" -> {
        long outage = scenario.equals("blackout") ? 30_000 : 90_000;
        tc("add");
        Thread.sleep(outage);
        tc("del");
        resumeFrom[0] = System.nanoTime();
        observe = 150_000;
        long until = System.currentTimeMillis() + observe;
        while (firstEchoAfter[0] < 0 && System.currentTimeMillis() < until) {
          Thread.sleep(10);
        }
        observe = 2_000;
      }
      case "vanished" -> {
        flags.stopSending = true; // the client host is gone: nothing from or to it any more
        tc("add");
        observe = 120_000;
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    }
    Thread.sleep(observe);
    flags.stopSending = true;
    Thread.sleep(1_000);
    StringBuilder line = new StringBuilder(scenario).append(": ");
    synchronized (TcpFailureMatrix.class) {
      line.append(notes.isEmpty() ? "client: no error" : String.join("; ", notes));
    }
    if (firstEchoAfter[0] >= 0) {
      line.append(
          String.format(
              Locale.ROOT,
              "; client: echoes resume %d ms after the heal",
              (firstEchoAfter[0] - resumeFrom[0]) / 1_000_000));
    }
    line.append(
        String.format(
            Locale.ROOT,
            "; client: %d of %d requests since t0 unanswered",
            sent.get() - echoed.get(),
            sent.get() - echoedAtT0));
    String serverSaw = drain(server.getErrorStream());
    line.append("; server: ").append(serverSaw.isEmpty() ? "nothing" : serverSaw);
    System.out.println(line);
    server.destroyForcibly().waitFor();
    System.exit(0);
  }

  static final class Flags {
    volatile boolean stopSending;
  }

  static void tc(String op) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tc", "qdisc", op, "dev", "lo", "root"));
    if (op.equals("add")) {
      cmd.add("blackhole");
    }
    int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed (root, own netns?)");
    }
  }

  static Process startServer(int port) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String source = System.getProperty("jdk.launcher.sourcefile", "TcpFailureMatrix.java");
    return new ProcessBuilder(java, source, "serve", Integer.toString(port)).start();
  }

  static int readPort(Process server) throws IOException {
    StringBuilder b = new StringBuilder();
    InputStream in = server.getInputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("the server process ended: " + drain(server.getErrorStream()));
      }
      b.append((char) c);
    }
    return Integer.parseInt(b.toString().trim());
  }

  static String drain(InputStream err) {
    try {
      return err.available() > 0 ? new String(err.readNBytes(err.available())).trim() : "";
    } catch (IOException e) {
      return ""; // the process is gone and its pipe closed
    }
  }

  /** The server process: echoes each connection; reports on stderr how its reads end. */
  static void serve(int port) throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    System.out.println(listener.getLocalPort());
    System.out.flush();
    while (true) {
      Socket c = listener.accept();
      Thread t =
          new Thread(
              () -> {
                long last = System.nanoTime();
                try (c) {
                  InputStream in = c.getInputStream();
                  OutputStream out = c.getOutputStream();
                  byte[] b = new byte[8];
                  while (true) {
                    int n = in.readNBytes(b, 0, 8);
                    if (n < 8) {
                      System.err.println("read sees EOF");
                      return;
                    }
                    last = System.nanoTime();
                    out.write(b);
                    out.flush();
                  }
                } catch (IOException e) {
                  System.err.println(
                      "read throws \""
                          + e.getMessage()
                          + "\" "
                          + (System.nanoTime() - last) / 1_000_000
                          + " ms after its last request");
                }
              });
      t.setDaemon(true);
      t.start();
    }
  }
}
