package io.kcpj.netem.random;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): the
 * well-defined 64-bit generator used to expand one {@code long} seed into the 256-bit state of a
 * {@link Xoshiro256}.
 *
 * <p>Its output for a given seed is fixed by its definition (an additive Weyl sequence with the
 * golden-ratio increment, then a 64-bit mix), so it is the same on every JVM. Not thread-safe: one
 * instance belongs to one thread.
 */
public final class SplitMix64 {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private long state;

  /** A generator whose first output is {@code mix(seed + GOLDEN_GAMMA)}. */
  public SplitMix64(long seed) {
    this.state = seed;
  }

  /** The next 64 pseudorandom bits. */
  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** The SplitMix64 finaliser (David Stafford's "Mix13"): a bijection on 64-bit values. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
