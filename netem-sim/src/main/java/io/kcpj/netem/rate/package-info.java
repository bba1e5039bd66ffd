/**
 * The bottleneck: {@link io.kcpj.netem.rate.RateLimit} (bits/s plus per-packet overhead) and {@link
 * io.kcpj.netem.rate.QueueLimit} (packets and/or bytes, tail drop).
 */
package io.kcpj.netem.rate;
