package io.kcpj.netty;

import io.kcpj.core.crypt.BlockCrypt;
import io.kcpj.core.crypt.CryptConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A codec's packet encryption ({@link KcpChannelOption#CRYPT}): one {@link BlockCrypt} for every
 * datagram of the datagram channel, as kcp-go keeps one per listener. Inbound datagrams are opened
 * here, before they are routed: kcp-go's framing encrypts the conv. Outbound, each session's {@link
 * SessionLayers} seals with the same instance.
 *
 * <p><b>Buffers.</b> {@link #open} copies the datagram (when it is not on the heap) and writes the
 * payload into this object's scratch array; the returned {@code ByteBuf} is a reusable heap view of
 * it, valid until the next call, never released (it owns no pooled memory). Event-loop confined.
 */
final class CodecCrypt {
  private final BlockCrypt crypt;
  private byte[] in = new byte[2048];
  private byte[] out = new byte[2048];
  private ByteBuf view = Unpooled.wrappedBuffer(out);
  long opened;
  long failed;

  CodecCrypt(CryptConfig config) {
    this.crypt = config.newBlockCrypt();
  }

  BlockCrypt blockCrypt() {
    return crypt;
  }

  /** The opened payload of {@code content} (not consumed), or null when dropped (bad CRC). */
  ByteBuf open(ByteBuf content) {
    int len = content.readableBytes();
    if (out.length < len) {
      in = new byte[len];
      out = new byte[len];
      view = Unpooled.wrappedBuffer(out);
    }
    byte[] src;
    int off;
    if (content.hasArray()) {
      src = content.array();
      off = content.arrayOffset() + content.readerIndex();
    } else {
      content.getBytes(content.readerIndex(), in, 0, len);
      src = in;
      off = 0;
    }
    int n = crypt.open(src, off, len, out, 0);
    if (n < 0) {
      failed++;
      return null;
    }
    opened++;
    return view.setIndex(0, n);
  }
}
