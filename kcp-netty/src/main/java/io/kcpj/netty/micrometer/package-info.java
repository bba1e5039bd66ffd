/**
 * An optional Micrometer binder for a KCP codec's metrics ({@link
 * io.kcpj.netty.micrometer.KcpCodecMeterBinder}). Micrometer ({@code
 * io.micrometer:micrometer-core}) is an optional dependency of kcp-netty: only this package uses
 * it, and the rest of kcp-netty works without it on the class path.
 */
package io.kcpj.netty.micrometer;
