package io.kcpj.netem.loss;

/**
 * A loss model: an immutable configuration that creates the mutable per-direction {@link LossState}
 * which makes the per-packet decisions.
 *
 * <p>Implementations: {@link NoLoss}, {@link BernoulliLoss}, {@link GilbertElliottLoss}, {@link
 * FourStateLoss} and {@link ShuffleBagLoss}, exactly as {@code netem-sim/MODELS.md} defines them.
 * Each states how many random draws one decision consumes.
 *
 * <p>Instances are immutable and thread-safe; share them freely.
 */
public interface LossModel {

  /** A fresh decision state in the model's initial state (e.g. GOOD, or a full bag). */
  LossState newState();

  /** The long-run fraction of packets lost (the stationary loss probability). */
  double lossRate();

  /** The model in the compact profile syntax, e.g. {@code ge:0.01:0.3:1:0}; parses back to it. */
  String toSpec();
}
