package io.kcpj.core.fec;

/**
 * Where a datagram layer hands the datagrams it produces: one call is one datagram, {@code length}
 * bytes of {@code buffer} from {@code offset}.
 *
 * <p><b>Buffer ownership:</b> the bytes belong to the layer that calls (or to the caller of that
 * layer) and are valid <em>only during the call</em>; an implementation that keeps them copies
 * them. It must not modify them, and must not call back into the layer that is calling it.
 */
@FunctionalInterface
public interface DatagramSink {
  void accept(byte[] buffer, int offset, int length);
}
