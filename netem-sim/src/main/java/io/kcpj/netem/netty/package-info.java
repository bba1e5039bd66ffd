/**
 * The Netty front: {@link io.kcpj.netem.netty.NetemHandler}, a handler impairing {@code
 * DatagramPacket}s in any pipeline, and {@link io.kcpj.netem.netty.EventLoopScheduler}. The only
 * package that needs Netty (an optional dependency of netem-sim).
 */
package io.kcpj.netem.netty;
