/**
 * Complete link configurations: {@link io.kcpj.netem.profile.Profile} (both directions plus a
 * timeline), {@link io.kcpj.netem.profile.DirectionProfile}, the named {@link
 * io.kcpj.netem.profile.Presets} and the text forms ({@link io.kcpj.netem.profile.ProfileParser};
 * see netem-sim/PROFILES.md).
 */
package io.kcpj.netem.profile;
