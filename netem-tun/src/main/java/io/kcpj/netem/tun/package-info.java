/**
 * The TUN bridge: real kernel TCP and UDP across a simulated link (Linux, root, JNA, iproute2).
 *
 * <p>{@link io.kcpj.netem.tun.TunBridge} creates two network namespaces, each with one TUN device
 * and an address in one subnet, and carries the raw IP packets between the two devices through one
 * {@link io.kcpj.netem.tun.PacketPath} per direction. Sockets and processes placed in the
 * namespaces ({@link io.kcpj.netem.tun.NetNamespace}, {@link
 * io.kcpj.netem.tun.TunBridge#callInNamespace}, {@link io.kcpj.netem.tun.TunBridge#command}) then
 * talk through the simulated link with the kernel's own TCP and UDP. {@link
 * io.kcpj.netem.tun.TrafficSnapshot} counts wire bytes per direction and protocol. {@link
 * io.kcpj.netem.tun.TunPreflight} explains why the bridge cannot run where it cannot.
 *
 * <p><b>Threads:</b> one bridge thread per bridge does all packet work (reads both TUN devices in a
 * {@code ppoll} loop, calls both paths, writes both devices). Everything else (start, close,
 * counters, namespace helpers) may be called from any thread. See {@code TUN.md} in the netem-tun
 * module.
 *
 * <p>The netem-tun module: netem-sim plus JNA.
 */
package io.kcpj.netem.tun;
