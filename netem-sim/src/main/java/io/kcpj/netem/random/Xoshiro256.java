package io.kcpj.netem.random;

/**
 * The seeded pseudorandom generator behind every random draw in netem-sim: xoshiro256** (Blackman
 * and Vigna, 2018), with its state expanded from a {@code long} seed by {@link SplitMix64}.
 *
 * <p><b>Determinism.</b> Every method is defined by integer arithmetic on the 256-bit state, plus
 * {@link StrictMath} (fdlibm, bit-exact on every platform) for the transcendental functions. The
 * same seed therefore gives the same sequence on every JVM, which is what makes a fate log
 * reproducible. Each method documents how many 64-bit draws it consumes: the link's documented draw
 * order is stated in those units.
 *
 * <p><b>Streams.</b> {@link #stream(long, int)} gives independent-looking generators for the same
 * seed (one per link direction), each seeded from consecutive SplitMix64 outputs.
 *
 * <p>Not thread-safe: an instance belongs to the thread that drives its link.
 */
public final class Xoshiro256 {
  private static final double DOUBLE_UNIT = 0x1.0p-53;
  private static final double TWO_PI = 2.0 * Math.PI;

  private long s0;
  private long s1;
  private long s2;
  private long s3;

  private Xoshiro256(long s0, long s1, long s2, long s3) {
    if ((s0 | s1 | s2 | s3) == 0) {
      // The all-zero state is the one fixed point of the generator; SplitMix64 never produces four
      // zero words in a row, but guard anyway.
      s0 = 0x9e3779b97f4a7c15L;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** A generator with the given raw state (for checks against the reference implementation). */
  static Xoshiro256 ofState(long s0, long s1, long s2, long s3) {
    return new Xoshiro256(s0, s1, s2, s3);
  }

  /** A generator seeded from {@code seed} (stream 0). */
  public static Xoshiro256 seeded(long seed) {
    return stream(seed, 0);
  }

  /**
   * Stream {@code index} (0, 1, ...) of {@code seed}: its state is the SplitMix64 outputs number
   * {@code 4·index} to {@code 4·index + 3} of {@code seed}.
   */
  public static Xoshiro256 stream(long seed, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("stream index must be >= 0, got " + index);
    }
    SplitMix64 sm = new SplitMix64(seed);
    for (int i = 0; i < 4 * index; i++) {
      sm.nextLong();
    }
    return new Xoshiro256(sm.nextLong(), sm.nextLong(), sm.nextLong(), sm.nextLong());
  }

  /** The next 64 pseudorandom bits (one draw). */
  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** A uniform double in [0, 1) from the top 53 bits of one draw. */
  public double nextDouble() {
    return (nextLong() >>> 11) * DOUBLE_UNIT;
  }

  /**
   * A uniform int in [0, bound) from one draw, by Lemire's multiply-shift on the top 32 bits (the
   * bias is below bound / 2^32 and the method never loops, so it always consumes exactly one draw).
   */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  /**
   * A standard normal variate by the Box–Muller transform, from exactly two draws ({@code U1}, then
   * {@code U2}): {@code sqrt(-2 ln(1 - U1)) · cos(2π U2)}. No value is cached between calls, so the
   * draw count never depends on history.
   */
  public double nextGaussian() {
    double u1 = nextDouble();
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1)) * StrictMath.cos(TWO_PI * u2);
  }
}
