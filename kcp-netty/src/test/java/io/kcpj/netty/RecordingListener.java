package io.kcpj.netty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records a codec's session events. */
final class RecordingListener implements KcpSessionListener {
  final List<KcpChannel> opened = new CopyOnWriteArrayList<>();
  final List<String> closed = new CopyOnWriteArrayList<>();
  final List<KcpDropReason> dropped = new CopyOnWriteArrayList<>();

  @Override
  public void sessionOpened(KcpChannel channel) {
    opened.add(channel);
  }

  @Override
  public void sessionClosed(KcpChannel channel, KcpCloseReason reason) {
    closed.add(Integer.toUnsignedString(channel.conv()) + ":" + reason);
    synchronized (this) {
      notifyAll();
    }
  }

  /** Waits until {@code n} sessions have closed; false if {@code boundMillis} passed first. */
  synchronized boolean awaitClosed(int n, long boundMillis) throws InterruptedException {
    long end = System.nanoTime() + boundMillis * 1_000_000L;
    while (closed.size() < n) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000L));
    }
    return true;
  }

  @Override
  public void datagramDropped(InetSocketAddress sender, int conv, KcpDropReason reason) {
    dropped.add(reason);
  }
}
