package io.kcpj.core.secure;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps a copy of every datagram with its recipient. */
final class CapturingSink implements SecureDatagramSink {
  /** One captured datagram. */
  static final class Sent {
    final byte[] bytes;
    final InetSocketAddress to;

    Sent(byte[] bytes, InetSocketAddress to) {
      this.bytes = bytes;
      this.to = to;
    }

    ByteBuffer buffer() {
      return ByteBuffer.wrap(bytes);
    }

    int type() {
      return bytes[0] & 0xff;
    }
  }

  final List<Sent> sent = new ArrayList<>();

  @Override
  public void send(ByteBuffer datagram, InetSocketAddress recipient) {
    byte[] b = new byte[datagram.remaining()];
    datagram.get(b);
    sent.add(new Sent(b, recipient));
  }

  Sent last() {
    return sent.get(sent.size() - 1);
  }

  /** Removes and returns everything captured so far. */
  List<Sent> drain() {
    List<Sent> l = new ArrayList<>(sent);
    sent.clear();
    return l;
  }
}
