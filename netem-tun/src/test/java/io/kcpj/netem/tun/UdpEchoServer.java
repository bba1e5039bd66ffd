package io.kcpj.netem.tun;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP echo server run as a child process inside a namespace ({@code ip netns exec NS java …
 * UdpEchoServer ADDRESS}). Prints {@code READY <port>} once bound; echoes every datagram back to
 * its sender; when its stdin closes it prints {@code ECHOED <count>} and exits.
 */
public final class UdpEchoServer {

  private UdpEchoServer() {}

  public static void main(String[] args) throws IOException {
    InetAddress bindAddress = InetAddress.getByName(args[0]); // a literal: no name lookup
    AtomicLong echoed = new AtomicLong();
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0));
    socket.setReceiveBufferSize(1 << 20);
    Thread stdinWatcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // wait for EOF
                }
              } catch (IOException ignored) {
                // treat like EOF
              }
              System.out.println("ECHOED " + echoed.get());
              System.out.flush();
              System.exit(0);
            },
            "stdin-watcher");
    stdinWatcher.setDaemon(true);
    stdinWatcher.start();
    System.out.println("READY " + socket.getLocalPort());
    System.out.flush();
    byte[] buffer = new byte[65536];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    while (true) {
      packet.setLength(buffer.length);
      socket.receive(packet);
      socket.send(packet);
      echoed.incrementAndGet();
    }
  }
}
