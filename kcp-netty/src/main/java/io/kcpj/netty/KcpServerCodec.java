package io.kcpj.netty;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The server side of {@link KcpCodec}: a datagram from an unknown (address, conv) opens a session
 * only if its first segment is a PUSH with sn 0, the first segment any KCP sender transmits. A
 * client whose first datagram was lost still gets in: the engine retransmits that same segment
 * (still sn 0) until it is acknowledged. Anything else from an unknown session is dropped and
 * counted ({@link KcpDropReason}), as are openings beyond the session limit. Built by {@link
 * KcpServerCodecBuilder}.
 */
public final class KcpServerCodec extends KcpCodec {

  KcpServerCodec(CodecSettings settings) {
    super(settings);
  }

  @Override
  KcpChildChannel onUnknownSession(ByteBuf content, InetSocketAddress sender, int conv) {
    if (!isOpening(content)) {
      drop(
          sender,
          conv,
          hasSessionsFrom(sender) ? KcpDropReason.UNKNOWN_CONV : KcpDropReason.UNKNOWN_SESSION);
      return null;
    }
    if (sessionCountInternal() >= settings.maxSessions) {
      drop(sender, conv, KcpDropReason.SESSION_LIMIT);
      return null;
    }
    return openSession(sender, conv, settings.childHandler, Map.of(), settings.childAttrs);
  }
}
