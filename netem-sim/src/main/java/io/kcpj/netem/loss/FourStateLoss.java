package io.kcpj.netem.loss;

import io.kcpj.netem.random.Xoshiro256;

/**
 * netem's 4-state Markov loss model {@code (p13, p31, p32, p23, p14)} ({@code loss state ...}).
 *
 * <p>States: 1 = received in a gap, 2 = received in a burst, 3 = lost in a burst, 4 = isolated
 * loss. <b>One draw</b> {@code U} per packet moves the chain:
 *
 * <ul>
 *   <li>from 1: {@code U < p14} → 4, else {@code U < p13 + p14} → 3, else stay;
 *   <li>from 2: {@code U < p23} → 3, else stay;
 *   <li>from 3: {@code U < p32} → 2, else {@code U < p31 + p32} → 1, else stay;
 *   <li>from 4: → 1.
 * </ul>
 *
 * The packet is lost iff the <em>new</em> state is 3 or 4. The chain starts in state 1.
 *
 * <p>Stationary: {@code π1 = 1/(1 + p14 + p13/p31 + p13·p32/(p31·p23))}, {@code π3 = π1·p13/p31},
 * {@code π2 = π3·p32/p23}, {@code π4 = p14·π1}; loss = {@code π3 + π4}. Defaults (tc): {@code p31 =
 * 1-p13, p32 = 0, p23 = 1, p14 = 0}.
 *
 * <p>Profile syntax: {@code 4state:P13[:P31[:P32[:P23[:P14]]]]}.
 */
public final class FourStateLoss implements LossModel {
  private final double p13;
  private final double p31;
  private final double p32;
  private final double p23;
  private final double p14;

  private FourStateLoss(double p13, double p31, double p32, double p23, double p14) {
    this.p13 = Probabilities.check("4-state p13", p13);
    this.p31 = Probabilities.check("4-state p31", p31);
    this.p32 = Probabilities.check("4-state p32", p32);
    this.p23 = Probabilities.check("4-state p23", p23);
    this.p14 = Probabilities.check("4-state p14", p14);
    if (p13 + p14 > 1.0) {
      throw new IllegalArgumentException("4-state p13 + p14 must be <= 1, got " + (p13 + p14));
    }
    if (p31 + p32 > 1.0) {
      throw new IllegalArgumentException("4-state p31 + p32 must be <= 1, got " + (p31 + p32));
    }
    if (p13 > 0 && p31 == 0) {
      throw new IllegalArgumentException(
          "4-state p31 must be > 0 when p13 > 0 (state 3 would absorb)");
    }
    if (p32 > 0 && p23 == 0) {
      throw new IllegalArgumentException(
          "4-state p23 must be > 0 when p32 > 0 (state 2 would absorb)");
    }
  }

  /** The model with all five transition probabilities. */
  public static FourStateLoss of(double p13, double p31, double p32, double p23, double p14) {
    return new FourStateLoss(p13, p31, p32, p23, p14);
  }

  /** The model with tc's defaults {@code p31 = 1-p13, p32 = 0, p23 = 1, p14 = 0}. */
  public static FourStateLoss of(double p13) {
    return new FourStateLoss(p13, 1.0 - p13, 0.0, 1.0, 0.0);
  }

  /** 1 → 3 (into a burst loss). */
  public double p13() {
    return p13;
  }

  /** 3 → 1 (burst ends, back to the gap). */
  public double p31() {
    return p31;
  }

  /** 3 → 2 (received inside a burst). */
  public double p32() {
    return p32;
  }

  /** 2 → 3 (lost again inside the burst). */
  public double p23() {
    return p23;
  }

  /** 1 → 4 (isolated loss). */
  public double p14() {
    return p14;
  }

  /** The stationary distribution {π1, π2, π3, π4}. */
  public double[] stationary() {
    double a = p13 == 0 ? 0.0 : p13 / p31;
    double b = p13 == 0 || p32 == 0 ? 0.0 : p13 * p32 / (p31 * p23);
    double pi1 = 1.0 / (1.0 + p14 + a + b);
    double pi3 = pi1 * a;
    double pi2 = p32 == 0 ? 0.0 : pi3 * p32 / p23;
    double pi4 = p14 * pi1;
    return new double[] {pi1, pi2, pi3, pi4};
  }

  @Override
  public double lossRate() {
    double[] pi = stationary();
    return pi[2] + pi[3];
  }

  /**
   * The stationary mean length of a run of consecutive losses: {@code (π3 + π4) / (π3·(p31 + p32) +
   * π4)} (a burst ends when state 3 moves to 1 or 2, or after every isolated loss in state 4).
   */
  public double meanBurstLength() {
    double[] pi = stationary();
    return (pi[2] + pi[3]) / (pi[2] * (p31 + p32) + pi[3]);
  }

  @Override
  public LossState newState() {
    return new State();
  }

  @Override
  public String toSpec() {
    return "4state:"
        + Probabilities.format(p13)
        + ":"
        + Probabilities.format(p31)
        + ":"
        + Probabilities.format(p32)
        + ":"
        + Probabilities.format(p23)
        + ":"
        + Probabilities.format(p14);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FourStateLoss)) {
      return false;
    }
    FourStateLoss f = (FourStateLoss) o;
    return f.p13 == p13 && f.p31 == p31 && f.p32 == p32 && f.p23 == p23 && f.p14 == p14;
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(new double[] {p13, p31, p32, p23, p14});
  }

  @Override
  public String toString() {
    return "FourState(p13="
        + p13
        + ", p31="
        + p31
        + ", p32="
        + p32
        + ", p23="
        + p23
        + ", p14="
        + p14
        + ")";
  }

  private final class State implements LossState {
    private int state = 1;

    @Override
    public boolean lose(Xoshiro256 random) {
      double u = random.nextDouble();
      switch (state) {
        case 1:
          if (u < p14) {
            state = 4;
          } else if (u < p13 + p14) {
            state = 3;
          }
          break;
        case 2:
          if (u < p23) {
            state = 3;
          }
          break;
        case 3:
          if (u < p32) {
            state = 2;
          } else if (u < p31 + p32) {
            state = 1;
          }
          break;
        default:
          state = 1;
          break;
      }
      return state >= 3;
    }
  }
}
