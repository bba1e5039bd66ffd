package io.kcpj.netem.loss;

import io.kcpj.netem.random.Xoshiro256;

/**
 * The Gilbert-Elliott loss model {@code (p, r, h, k)}: a two-state Markov chain, netem's {@code
 * gemodel p r 1-h 1-k} (the kernel stores h and k as success probabilities).
 *
 * <ul>
 *   <li>{@code p}: probability of moving GOOD → BAD after a packet;
 *   <li>{@code r}: probability of moving BAD → GOOD after a packet;
 *   <li>{@code h}: probability that a packet sent in BAD <em>survives</em> (loss in BAD = 1-h);
 *   <li>{@code k}: probability that a packet sent in GOOD <em>survives</em> (loss in GOOD = 1-k).
 * </ul>
 *
 * <p><b>Per packet, two draws</b> (as netem): {@code U1} decides the move ({@code U1 < p} in GOOD,
 * {@code U1 < r} in BAD), then {@code U2} decides the loss using the state <em>before</em> the move
 * ({@code U2 < 1-k} in GOOD, {@code U2 < 1-h} in BAD). The chain starts in GOOD.
 *
 * <p>Stationary: {@code π_B = p/(p+r)}; loss = {@code (1-π_B)(1-k) + π_B(1-h)}. Simple Gilbert
 * ({@code k = 1, h = 0}): loss {@code p/(p+r)}, mean burst {@code 1/r}; {@link #simple(double,
 * double)} solves for p and r from a loss rate and a mean burst length.
 *
 * <p>Profile syntax, in tc's order and meaning: {@code ge:P[:R[:1-H[:1-K]]]}; defaults as tc:
 * {@code R = 1-P}, {@code 1-H = 1}, {@code 1-K = 0} (which is Bernoulli(P)). Or {@code
 * gilbert:LOSS:BURST} for {@link #simple(double, double)}.
 */
public final class GilbertElliottLoss implements LossModel {
  private final double p;
  private final double r;
  private final double h;
  private final double k;

  private GilbertElliottLoss(double p, double r, double h, double k) {
    this.p = Probabilities.check("Gilbert-Elliott p", p);
    this.r = Probabilities.check("Gilbert-Elliott r", r);
    this.h = Probabilities.check("Gilbert-Elliott h", h);
    this.k = Probabilities.check("Gilbert-Elliott k", k);
  }

  /**
   * The model with move probabilities {@code p} (GOOD→BAD), {@code r} (BAD→GOOD) and survival
   * probabilities {@code h} (in BAD) and {@code k} (in GOOD), as in {@code netem-sim/MODELS.md}.
   */
  public static GilbertElliottLoss of(double p, double r, double h, double k) {
    return new GilbertElliottLoss(p, r, h, k);
  }

  /**
   * tc's argument order and meaning: {@code gemodel p r lossInBad lossInGood}, i.e. {@code of(p, r,
   * 1 - lossInBad, 1 - lossInGood)}.
   */
  public static GilbertElliottLoss ofTc(double p, double r, double lossInBad, double lossInGood) {
    Probabilities.check("Gilbert-Elliott 1-h", lossInBad);
    Probabilities.check("Gilbert-Elliott 1-k", lossInGood);
    return new GilbertElliottLoss(p, r, 1.0 - lossInBad, 1.0 - lossInGood);
  }

  /**
   * Simple Gilbert (every packet lost in BAD, none in GOOD) with long-run loss {@code lossRate} and
   * mean burst length {@code meanBurst}: {@code r = 1/B}, {@code p = L·r/(1-L)}.
   */
  public static GilbertElliottLoss simple(double lossRate, double meanBurst) {
    Probabilities.check("loss rate", lossRate);
    if (lossRate >= 1.0) {
      throw new IllegalArgumentException(
          "simple Gilbert needs a loss rate below 1, got " + lossRate);
    }
    if (!(meanBurst >= 1.0)) {
      throw new IllegalArgumentException("mean burst length must be >= 1 packet, got " + meanBurst);
    }
    double r = 1.0 / meanBurst;
    double p = lossRate * r / (1.0 - lossRate);
    if (p > 1.0) {
      throw new IllegalArgumentException(
          "loss " + lossRate + " with mean burst " + meanBurst + " needs p = " + p + " > 1");
    }
    return new GilbertElliottLoss(p, r, 0.0, 1.0);
  }

  /** GOOD → BAD move probability. */
  public double p() {
    return p;
  }

  /** BAD → GOOD move probability. */
  public double r() {
    return r;
  }

  /** Survival probability in BAD (loss in BAD is {@code 1 - h}). */
  public double h() {
    return h;
  }

  /** Survival probability in GOOD (loss in GOOD is {@code 1 - k}). */
  public double k() {
    return k;
  }

  /** Stationary probability of BAD, {@code p/(p+r)} (0 if the chain never leaves GOOD). */
  public double stationaryBad() {
    return p + r == 0.0 ? 0.0 : p / (p + r);
  }

  @Override
  public double lossRate() {
    double bad = stationaryBad();
    return (1.0 - bad) * (1.0 - k) + bad * (1.0 - h);
  }

  /**
   * The stationary mean length of a run of consecutive losses: the loss rate divided by the
   * probability that a lost packet is followed by a delivered one, {@code Σ_s π_s·l_s·Σ_s'
   * P(s→s')·(1 - l_s')}, with {@code l_GOOD = 1-k}, {@code l_BAD = 1-h}. For simple Gilbert it is
   * {@code 1/r}.
   */
  public double meanBurstLength() {
    double bad = stationaryBad();
    double good = 1.0 - bad;
    double lossGood = 1.0 - k;
    double lossBad = 1.0 - h;
    double endFromGood = good * lossGood * ((1.0 - p) * (1.0 - lossGood) + p * (1.0 - lossBad));
    double endFromBad = bad * lossBad * (r * (1.0 - lossGood) + (1.0 - r) * (1.0 - lossBad));
    return lossRate() / (endFromGood + endFromBad);
  }

  @Override
  public LossState newState() {
    return new State();
  }

  @Override
  public String toSpec() {
    return "ge:"
        + Probabilities.format(p)
        + ":"
        + Probabilities.format(r)
        + ":"
        + Probabilities.format(1.0 - h)
        + ":"
        + Probabilities.format(1.0 - k);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GilbertElliottLoss)) {
      return false;
    }
    GilbertElliottLoss g = (GilbertElliottLoss) o;
    return g.p == p && g.r == r && g.h == h && g.k == k;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(p) * 31 * 31 * 31
        + Double.hashCode(r) * 31 * 31
        + Double.hashCode(h) * 31
        + Double.hashCode(k);
  }

  @Override
  public String toString() {
    return "GilbertElliott(p=" + p + ", r=" + r + ", h=" + h + ", k=" + k + ")";
  }

  private final class State implements LossState {
    private boolean bad;
    private final double lossGood = 1.0 - k;
    private final double lossBad = 1.0 - h;

    @Override
    public boolean lose(Xoshiro256 random) {
      double u1 = random.nextDouble();
      double u2 = random.nextDouble();
      if (bad) {
        if (u1 < r) {
          bad = false;
        }
        return u2 < lossBad;
      }
      if (u1 < p) {
        bad = true;
      }
      return u2 < lossGood;
    }
  }
}
