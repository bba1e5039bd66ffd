package io.kcpj.netem.proxy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A UDP echo server on 127.0.0.1 for tests: echoes every datagram and records each sender. */
final class EchoServer implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  final List<InetSocketAddress> senders = Collections.synchronizedList(new ArrayList<>());

  EchoServer() throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::run, "echo");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private void run() {
    byte[] buf = new byte[65536];
    try {
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        senders.add((InetSocketAddress) p.getSocketAddress());
        socket.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
      }
    } catch (SocketException closed) {
      // close() ends the loop
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  @Override
  public void close() {
    socket.close();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
