package io.kcpj.netem.loss;

import io.kcpj.netem.random.Xoshiro256;

/** No packet is ever lost. Draws nothing. Profile syntax: {@code loss=none}. */
public final class NoLoss implements LossModel, LossState {
  /** The only instance; it is its own (stateless) state. */
  public static final NoLoss INSTANCE = new NoLoss();

  private NoLoss() {}

  @Override
  public LossState newState() {
    return this;
  }

  @Override
  public boolean lose(Xoshiro256 random) {
    return false;
  }

  @Override
  public double lossRate() {
    return 0.0;
  }

  @Override
  public String toSpec() {
    return "none";
  }

  @Override
  public String toString() {
    return "NoLoss";
  }
}
