/**
 * The seeded pseudorandom generator ({@link io.kcpj.netem.random.Xoshiro256}) behind every random
 * draw, and its SplitMix64 seeding.
 */
package io.kcpj.netem.random;
