package io.kcpj.netem.delay;

/**
 * Whether jitter may reorder packets.
 *
 * <p>The default of the profile syntax is {@link #REORDER}, netem's behaviour; the {@code kcp-test}
 * preset uses {@link #FIFO} because its source (KCP's {@code test.h}) delivers each direction's
 * packets in order.
 */
public enum JitterMode {
  /**
   * netem-like: each packet leaves at its own {@code send time + delay}, so jitter larger than the
   * packet spacing reorders packets.
   */
  REORDER,
  /**
   * A single path: a packet never leaves before the packet offered ahead of it, so the order of the
   * offered packets is kept (a packet's departure is {@code max(its time, the previous
   * departure)}).
   */
  FIFO
}
