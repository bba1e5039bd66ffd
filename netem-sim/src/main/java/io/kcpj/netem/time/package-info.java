/**
 * Time: the {@link io.kcpj.netem.time.Scheduler} interface (nanoseconds as {@code long}, reusable
 * timers), the discrete-event {@link io.kcpj.netem.time.VirtualScheduler} and the wall-clock driver
 * {@link io.kcpj.netem.time.WallClockScheduler}.
 */
package io.kcpj.netem.time;
