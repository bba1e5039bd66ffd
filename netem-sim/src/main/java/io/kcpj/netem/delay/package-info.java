/**
 * Delay: {@link io.kcpj.netem.delay.DelayModel} (mean, spread and {@link
 * io.kcpj.netem.delay.Distribution}), {@link io.kcpj.netem.delay.JitterMode} (reordering or FIFO),
 * and netem reordering ({@link io.kcpj.netem.delay.Reorder}).
 */
package io.kcpj.netem.delay;
