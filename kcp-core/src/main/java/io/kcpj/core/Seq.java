package io.kcpj.core;

/**
 * The one wrap-safe comparison used everywhere for KCP's unsigned 32-bit sequence numbers and
 * millisecond timestamps (ikcp's {@code _itimediff}).
 *
 * <p>{@code diff(a, b)} is the signed distance from {@code b} to {@code a} modulo 2<sup>32</sup>:
 * positive when {@code a} is "after" {@code b}, valid while the two are less than 2<sup>31</sup>
 * apart. Example: {@code diff(0x00000002, 0xfffffffe) == 4}, so sn 2 follows sn 0xfffffffe across
 * the wrap.
 */
public final class Seq {
  private Seq() {}

  /** {@code a - b} as a signed 32-bit distance. */
  public static int diff(int a, int b) {
    return a - b;
  }

  /** Whether {@code a} comes strictly before {@code b}. */
  public static boolean before(int a, int b) {
    return a - b < 0;
  }

  /** Whether {@code a} comes at or after {@code b}. */
  public static boolean atOrAfter(int a, int b) {
    return a - b >= 0;
  }
}
