/**
 * Loss models as immutable configurations ({@link io.kcpj.netem.loss.LossModel}) with per-direction
 * mutable states ({@link io.kcpj.netem.loss.LossState}): Bernoulli, Gilbert-Elliott, netem 4-state
 * and the KCP test shuffle bag, exactly as {@code netem-sim/MODELS.md} defines them.
 */
package io.kcpj.netem.loss;
