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
  }

  @Override
  public void datagramDropped(InetSocketAddress sender, int conv, KcpDropReason reason) {
    dropped.add(reason);
  }
}
