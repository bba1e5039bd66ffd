package io.kcpj.core;

import java.nio.ByteBuffer;

/**
 * Where an engine hands its datagrams: one call is one UDP datagram (ikcp's {@code output}).
 *
 * <p><b>Buffer ownership:</b> {@code datagram} is a view of the engine's own output buffer,
 * positioned at the first byte with the limit after the last. It is valid <em>only during the
 * call</em>: the engine overwrites it as soon as the call returns. An implementation that needs the
 * bytes later copies them (for example into a pooled Netty {@code ByteBuf}). It may move the
 * buffer's position and limit; the engine resets them before the next call. It must not call back
 * into the same engine.
 */
@FunctionalInterface
public interface KcpOutput {
  void output(ByteBuffer datagram);
}
