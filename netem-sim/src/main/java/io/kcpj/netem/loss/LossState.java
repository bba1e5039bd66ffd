package io.kcpj.netem.loss;

import io.kcpj.netem.random.Xoshiro256;

/**
 * The mutable state of a {@link LossModel} for one direction of one link: decides, packet by
 * packet, whether the packet is lost.
 *
 * <p>Confined to the thread that drives the link; not shared between directions.
 */
public interface LossState {

  /**
   * Decides the fate of the next packet, drawing from {@code random} exactly as the model's javadoc
   * states, and advances the state.
   *
   * @return {@code true} if the packet is lost
   */
  boolean lose(Xoshiro256 random);
}
