/**
 * The UDP proxy front: {@link io.kcpj.netem.proxy.UdpProxy} and its {@link
 * io.kcpj.netem.proxy.ProxyCounters}.
 */
package io.kcpj.netem.proxy;
