package io.kcpj.core;

import static io.kcpj.core.wire.SegmentHeader.CMD_PUSH;
import static io.kcpj.core.wire.SegmentHeader.CMD_SPUSH;
import static io.kcpj.core.wire.SegmentHeader.CMD_SPUSH_MORE;
import static io.kcpj.core.wire.SegmentHeader.CMD_UPUSH;
import static io.kcpj.core.wire.SegmentHeader.CMD_UPUSH_MORE;

/**
 * How the receiving engine hands one message to its application: the delivery mode chosen per
 * message by {@link Kcp#send(byte[], int, int, Delivery)}. Every mode is carried reliably (sequence
 * numbers, acknowledgements, retransmission); the modes differ only in when the receiver delivers.
 *
 * <p>{@link #UNORDERED} and {@link #SEQUENCED} are a kcpj extension of the wire (segment commands
 * 85–88, {@code docs/wire-extensions.md}): both ends must enable {@link
 * EngineSetting#DELIVERY_EXTENSION}. {@link #ORDERED} is the reference's PUSH and needs nothing.
 */
public enum Delivery {
  /** After every message sent before it: KCP's own (and TCP's) contract. The default. */
  ORDERED(CMD_PUSH, CMD_PUSH),

  /** Exactly once, as soon as all its fragments have arrived, whatever is missing before it. */
  UNORDERED(CMD_UPUSH, CMD_UPUSH_MORE),

  /**
   * Latest wins: delivered as soon as it is whole unless a sequenced message sent after it was
   * already delivered, in which case it is dropped (state snapshots). At most once.
   */
  SEQUENCED(CMD_SPUSH, CMD_SPUSH_MORE);

  private final int firstCommand;
  private final int moreCommand;

  Delivery(int firstCommand, int moreCommand) {
    this.firstCommand = firstCommand;
    this.moreCommand = moreCommand;
  }

  /** The segment command of the message's first (or only) fragment. */
  int firstCommand() {
    return firstCommand;
  }

  /** The segment command of the message's later fragments. */
  int moreCommand() {
    return moreCommand;
  }
}
