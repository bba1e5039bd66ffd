package io.kcpj.netty;

import io.kcpj.core.Kcp;
import io.kcpj.core.KcpConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The far end of a test conversation: a plain kcp-core engine with its datagrams in a queue. */
final class TestPeer {
  final Kcp kcp;
  final InetSocketAddress address;
  final Deque<byte[]> outbox = new ArrayDeque<>();
  final List<byte[]> received = new ArrayList<>();

  /** When false, datagrams addressed to this peer are discarded (a dead or silent peer). */
  boolean listening = true;

  TestPeer(InetSocketAddress address, int conv, KcpConfig config) {
    this.address = address;
    this.kcp =
        new Kcp(
            conv,
            config,
            d -> {
              byte[] b = new byte[d.remaining()];
              d.get(b);
              outbox.add(b);
            });
  }

  void send(String text) {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  void send(byte[] message) {
    kcp.send(message, 0, message.length);
  }

  void input(byte[] datagram, long now) {
    kcp.update(now);
    kcp.input(datagram, 0, datagram.length);
    for (int size; (size = kcp.peekSize()) >= 0; ) {
      byte[] m = new byte[size];
      kcp.recv(m, 0, size);
      received.add(m);
    }
  }

  List<String> receivedText() {
    List<String> out = new ArrayList<>();
    for (byte[] m : received) {
      out.add(new String(m, StandardCharsets.UTF_8));
    }
    return out;
  }
}
