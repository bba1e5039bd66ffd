package io.kcpj.bench.compare.bridge;

import io.kcpj.bench.compare.KcpTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison's server process, started inside the bridge's namespace B: a kernel-TCP echo
 * server, a raw UDP echo server for the floor row, and one kcp-netty echo server per KCP
 * configuration (a {@link KcpTransport#spec()}: engine settings and FEC).
 *
 * <pre>
 * java [-Dkcpj.delivery=ordered|unordered|sequenced] -cp kcpj.jar io.kcpj.bench.compare.bridge.EchoServerMain ADDRESS TCP_PORT KCP_BASE_PORT FLOOR_PORT RESPONSE_SIZE [KCP_CONFIG...]
 * </pre>
 *
 * Prints {@code READY} when listening. Reads commands on standard input: {@code STATS} prints
 * {@code STATS <i> <retransmits>} for each KCP server then {@code END}; end of input (the parent
 * closed the pipe or died) stops it.
 */
public final class EchoServerMain {
  /** System property: how the KCP echo servers deliver their echoes (ordered by default). */
  static final String DELIVERY_PROPERTY = "kcpj.delivery";

  private EchoServerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println(
          "usage: EchoServerMain ADDRESS TCP_PORT KCP_BASE_PORT FLOOR_PORT RESPONSE_SIZE"
              + " [KCP_CONFIG...]");
      System.exit(2);
    }
    String address = args[0];
    int tcpPort = Integer.parseInt(args[1]);
    int kcpBase = Integer.parseInt(args[2]);
    int floorPort = Integer.parseInt(args[3]);
    int responseSize = Integer.parseInt(args[4]);
    List<KcpTransport> configs = new ArrayList<>();
    for (int i = 5; i < args.length; i++) {
      configs.add(KcpTransport.parse("server" + i + ":" + args[i]));
    }
    try (TcpEchoServer tcp = new TcpEchoServer(new InetSocketAddress(address, tcpPort));
        KcpEchoServers kcp =
            new KcpEchoServers(
                address,
                kcpBase,
                configs,
                responseSize,
                io.kcpj.bench.compare.Delivery.parse(
                        System.getProperty(DELIVERY_PROPERTY, "ordered"))
                    .engineDelivery());
        FloorEchoServer floor =
            new FloorEchoServer(
                kcp.group(),
                new InetSocketAddress(address, floorPort),
                Math.min(
                    Math.max(responseSize, 4),
                    io.kcpj.bench.compare.VirtualFloorRun.MAX_DATAGRAM))) {
      System.out.println("READY tcp=" + tcp.port() + " kcp=" + kcp.size() + " floor=" + floor);
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.trim().equals("STATS")) {
          for (int i = 0; i < kcp.size(); i++) {
            System.out.println("STATS " + i + " " + kcp.retransmits(i));
          }
          System.out.println("END");
          System.out.flush();
        }
      }
    }
  }
}
