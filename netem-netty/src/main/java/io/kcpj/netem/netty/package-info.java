/**
 * The Netty front: {@link io.kcpj.netem.netty.NetemHandler}, a handler impairing {@code
 * DatagramPacket}s in any pipeline, and {@link io.kcpj.netem.netty.EventLoopScheduler}. The
 * netem-netty module: netem-sim plus the Netty artifacts these classes use (buffer, common,
 * transport).
 */
package io.kcpj.netem.netty;
