/**
 * netem-sim: a deterministic weak-network simulator.
 *
 * <p>A packet offered to one {@link io.kcpj.netem.Direction direction} of a {@link
 * io.kcpj.netem.link.Link} goes through a chain of models in Linux netem's order and is dropped, or
 * delivered once or twice, at a time the models decide. Every random draw comes from the link's
 * seeded {@link io.kcpj.netem.random.Xoshiro256} streams, so the same seed, the same offered
 * packets and a {@link io.kcpj.netem.time.VirtualScheduler} give the same per-packet fate log every
 * time.
 *
 * <p>Where to find things:
 *
 * <ul>
 *   <li>{@code random}: the seeded generator.
 *   <li>{@code time}: {@code Scheduler}, {@code VirtualScheduler} (discrete events), {@code
 *       WallClockScheduler} (the wall-clock driver of the real-time fronts).
 *   <li>{@code loss}, {@code delay}, {@code rate}: the models (immutable configurations).
 *   <li>{@code timeline}: scripted events (blackout, delay step, loss change, address rebinding).
 *   <li>{@code profile}: a full two-direction configuration, the presets, the text forms.
 *   <li>{@code link}: the chain itself, its statistics and the packet adapter.
 *   <li>{@code log}: the per-packet fate log (CSV or JSON lines).
 *   <li>{@code net}: {@code VirtualNetwork}, endpoints exchanging datagrams in virtual time.
 *   <li>{@code proxy}: {@code UdpProxy}, impairing any UDP program's traffic.
 * </ul>
 *
 * <p>This module has no dependency at all. The Netty handler ({@code
 * io.kcpj.netem.netty.NetemHandler}) is the netem-netty module, the TUN bridge ({@code
 * io.kcpj.netem.tun}) the netem-tun module.
 */
package io.kcpj.netem;
