package io.kcpj.netem.loss;

import io.kcpj.netem.random.Xoshiro256;

/**
 * The KCP reference test's loss model ({@code test.h}, class {@code Random} used by {@code
 * LatencySimulator}): each packet draws a number from a bag holding 0..size-1 without replacement,
 * refilled when empty; the packet is lost if the number is below {@code lost}. Exactly {@code lost}
 * of every {@code size} consecutive packets (counted from the first) are lost.
 *
 * <p><b>One draw per packet</b>: the index {@code nextInt(remaining)} of the number taken; the
 * taken slot is filled with the last remaining number, as in test.h.
 *
 * <p>Profile syntax: {@code bag:PERCENT} (a bag of 100) or {@code bag:LOST/SIZE}.
 */
public final class ShuffleBagLoss implements LossModel {
  private final int lost;
  private final int size;

  private ShuffleBagLoss(int lost, int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("bag size must be positive, got " + size);
    }
    if (lost < 0 || lost > size) {
      throw new IllegalArgumentException("lost per bag must be in [0, " + size + "], got " + lost);
    }
    this.lost = lost;
    this.size = size;
  }

  /** {@code percent} losses in every 100 packets (the KCP test's bag of 100). */
  public static ShuffleBagLoss percent(int percent) {
    return new ShuffleBagLoss(percent, 100);
  }

  /** {@code lost} losses in every {@code size} packets. */
  public static ShuffleBagLoss of(int lost, int size) {
    return new ShuffleBagLoss(lost, size);
  }

  /** Losses per bag. */
  public int lost() {
    return lost;
  }

  /** Packets per bag. */
  public int size() {
    return size;
  }

  @Override
  public double lossRate() {
    return lost / (double) size;
  }

  @Override
  public LossState newState() {
    return new State();
  }

  @Override
  public String toSpec() {
    return size == 100 ? "bag:" + lost : "bag:" + lost + "/" + size;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShuffleBagLoss
        && ((ShuffleBagLoss) o).lost == lost
        && ((ShuffleBagLoss) o).size == size;
  }

  @Override
  public int hashCode() {
    return lost * 31 + size;
  }

  @Override
  public String toString() {
    return "ShuffleBag(" + lost + "/" + size + ")";
  }

  private final class State implements LossState {
    private final int[] bag = new int[size];
    private int remaining;

    @Override
    public boolean lose(Xoshiro256 random) {
      if (remaining == 0) {
        for (int i = 0; i < size; i++) {
          bag[i] = i;
        }
        remaining = size;
      }
      int i = random.nextInt(remaining);
      int x = bag[i];
      bag[i] = bag[--remaining];
      return x < lost;
    }
  }
}
