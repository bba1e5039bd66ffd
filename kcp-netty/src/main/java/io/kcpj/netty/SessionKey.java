package io.kcpj.netty;

import java.net.InetSocketAddress;

/**
 * The key of a session: (remote address, conv). Mutable only so that a codec can look sessions up
 * without allocating: the codec keeps one probe key for look-ups and stores fresh keys in its map.
 * Event-loop confined.
 */
final class SessionKey {
  private InetSocketAddress address;
  private int conv;
  private int hash;

  SessionKey() {}

  SessionKey(InetSocketAddress address, int conv) {
    set(address, conv);
  }

  SessionKey set(InetSocketAddress address, int conv) {
    this.address = address;
    this.conv = conv;
    this.hash = 31 * address.hashCode() + conv;
    return this;
  }

  InetSocketAddress address() {
    return address;
  }

  int conv() {
    return conv;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SessionKey)) {
      return false;
    }
    SessionKey k = (SessionKey) o;
    return conv == k.conv && address.equals(k.address);
  }

  @Override
  public String toString() {
    return address + "#" + Integer.toUnsignedString(conv);
  }
}
