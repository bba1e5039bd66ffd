/**
 * {@link io.kcpj.netem.net.VirtualNetwork}: endpoints with addresses exchanging datagrams over
 * simulated links in virtual time.
 */
package io.kcpj.netem.net;
