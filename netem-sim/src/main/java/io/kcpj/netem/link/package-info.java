/**
 * The simulated link: {@link io.kcpj.netem.link.Link} with two {@link
 * io.kcpj.netem.link.LinkDirection}s applying the chain in netem order, generic over the packet
 * type through a {@link io.kcpj.netem.link.PacketAdapter}, delivering to {@link
 * io.kcpj.netem.link.PacketSink}s, counting in {@link io.kcpj.netem.link.LinkStats}.
 */
package io.kcpj.netem.link;
