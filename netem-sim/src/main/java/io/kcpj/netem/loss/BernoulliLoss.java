package io.kcpj.netem.loss;

/**
 * Independent loss with probability {@code p}: lost if {@code U < p}, one draw per packet (netem's
 * plain {@code loss p}, without its broken correlation parameter). Profile syntax: {@code loss=1%},
 * {@code loss=0.01} or {@code loss=bernoulli:1%}.
 */
public final class BernoulliLoss implements LossModel {
  private final double p;

  private BernoulliLoss(double p) {
    this.p = Probabilities.check("Bernoulli loss p", p);
  }

  /** Independent loss with probability {@code p}. */
  public static BernoulliLoss of(double p) {
    return new BernoulliLoss(p);
  }

  /** The loss probability. */
  public double p() {
    return p;
  }

  @Override
  public LossState newState() {
    return random -> random.nextDouble() < p;
  }

  @Override
  public double lossRate() {
    return p;
  }

  /** The mean length of a run of consecutive losses: {@code 1 / (1 - p)}. */
  public double meanBurstLength() {
    return 1.0 / (1.0 - p);
  }

  @Override
  public String toSpec() {
    return "bernoulli:" + Probabilities.format(p);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BernoulliLoss && ((BernoulliLoss) o).p == p;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(p);
  }

  @Override
  public String toString() {
    return "Bernoulli(p=" + p + ")";
  }
}
