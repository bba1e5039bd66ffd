package io.kcpj.bench.compare.bridge;

import java.net.InetSocketAddress;

/**
 * The comparison's server process, started inside the bridge's namespace B: a TCP echo server
 * (and the KCP echo servers) on the given address. Prints {@code READY} when listening and runs
 * until its standard input closes (the comparison ends it by closing the pipe or destroying it).
 *
 * <pre>java -cp kcpj.jar io.kcpj.bench.compare.bridge.EchoServerMain ADDRESS TCP_PORT</pre>
 */
public final class EchoServerMain {
  private EchoServerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: EchoServerMain ADDRESS TCP_PORT");
      System.exit(2);
    }
    String address = args[0];
    int tcpPort = Integer.parseInt(args[1]);
    try (TcpEchoServer tcp = new TcpEchoServer(new InetSocketAddress(address, tcpPort))) {
      System.out.println("READY tcp=" + tcp.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    }
  }
}
