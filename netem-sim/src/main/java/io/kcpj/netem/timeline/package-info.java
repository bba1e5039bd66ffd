/**
 * Scripted events on a link clock: {@link io.kcpj.netem.timeline.Blackout}, {@link
 * io.kcpj.netem.timeline.DelayChange} (RTT step), {@link io.kcpj.netem.timeline.LossChange} and
 * {@link io.kcpj.netem.timeline.Rebind}, collected in a {@link io.kcpj.netem.timeline.Timeline}.
 */
package io.kcpj.netem.timeline;
