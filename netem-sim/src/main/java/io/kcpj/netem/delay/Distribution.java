package io.kcpj.netem.delay;

import io.kcpj.netem.random.Xoshiro256;

/**
 * The shape of a random delay: a delay is {@code mean + spread · t} where {@code t} is drawn from
 * one of these shapes (netem's {@code delay μ σ distribution NAME}).
 *
 * <p>{@link #UNIFORM} is netem's default and needs no table. {@link #NORMAL}, {@link #PARETO} and
 * {@link #PARETO_NORMAL} are netem's: {@code t} is an entry of netem's own table for the shape,
 * chosen uniformly among its 4096 entries by one draw, exactly the table iproute2 generates and tc
 * loads into the kernel (the same 16-bit values, so the same resolution of 1/8192, the same
 * clipping at about ±4 and the same lack of standardisation). The spread is therefore netem's
 * {@code σ}, which is the standard deviation only for {@code normal}:
 *
 * <table>
 *   <caption>netem's tables (t = value/8192)</caption>
 *   <tr><th>shape</th><th>mean of t</th><th>SD of t</th><th>min</th><th>max</th></tr>
 *   <tr><td>normal</td><td>−0.0008</td><td>1.0000</td><td>−4.0000</td><td>3.5227</td></tr>
 *   <tr><td>pareto</td><td>−0.0335</td><td>0.8197</td><td>−0.6666</td><td>3.9999</td></tr>
 *   <tr><td>paretonormal</td><td>−0.0253</td><td>0.8339</td><td>−1.5021</td><td>3.8805</td></tr>
 * </table>
 *
 * <p>So {@code delay=100ms,jitter=20ms,dist=paretonormal} has a standard deviation of 16.7 ms and
 * never exceeds 177.6 ms, as under netem. How each table is made: {@code NetemTables}.
 */
public enum Distribution {
  /** No randomness: {@code t = 0}. No draw. */
  CONSTANT("constant", null),

  /**
   * netem's default: uniform in {@code [mean - spread, mean + spread)}. Here the spread is the
   * half-width (the standard deviation is {@code spread/√3}). One draw.
   */
  UNIFORM("uniform", null),

  /**
   * netem's normal table: the standard normal quantiles at {@code (4k + 0.5)/16384}, clipped at −4.
   * One draw.
   */
  NORMAL("normal", NetemTables.Kind.NORMAL),

  /**
   * netem's pareto table: {@code (4/3)·(X - 3/2)} for a pareto {@code X} of shape 3 and scale 1
   * (mean 3/2), by quantile, capped at 32767/8192 ≈ 4.0: a heavy right tail that stops at {@code
   * mean + 4·spread}, minimum {@code −2/3}. One draw.
   */
  PARETO("pareto", NetemTables.Kind.PARETO),

  /**
   * netem's paretonormal table: {@code (normal + 3·pareto)/4} of the normal and the pareto entries
   * <em>at the same quantile</em> (one draw picks both), not of independent variates. One draw.
   */
  PARETO_NORMAL("paretonormal", NetemTables.Kind.PARETO_NORMAL);

  private final String specName;
  private final NetemTables.Kind table;

  Distribution(String specName, NetemTables.Kind table) {
    this.specName = specName;
    this.table = table;
  }

  /** The name in the profile syntax ({@code dist=...}). */
  public String specName() {
    return specName;
  }

  /** The distribution named {@code name} in the profile syntax, or {@code null}. */
  public static Distribution bySpecName(String name) {
    for (Distribution d : values()) {
      if (d.specName.equals(name)) {
        return d;
      }
    }
    return null;
  }

  /** Whether {@code t} comes from one of netem's tables (normal, pareto, paretonormal). */
  public boolean isTable() {
    return table != null;
  }

  /**
   * One variate {@code t}, consuming the draws stated on each constant: 0 for {@link #CONSTANT},
   * uniform in [-1, 1) for {@link #UNIFORM}, otherwise a table entry over 8192.
   */
  public double draw(Xoshiro256 random) {
    switch (this) {
      case CONSTANT:
        return 0.0;
      case UNIFORM:
        return 2.0 * random.nextDouble() - 1.0;
      default:
        return tableEntry(random) / (double) NetemTables.SCALE;
    }
  }

  /** A uniformly chosen entry of this distribution's table (one draw); tables only. */
  int tableEntry(Xoshiro256 random) {
    return table.entries()[random.nextInt(NetemTables.SIZE)];
  }

  /** The smallest entry of this distribution's table; tables only. */
  int tableMinimum() {
    return table.minimum();
  }
}
