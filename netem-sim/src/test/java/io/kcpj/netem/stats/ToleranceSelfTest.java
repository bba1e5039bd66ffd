package io.kcpj.netem.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The statistical machinery itself: known values, and that a 6-standard-error miss fails. */
class ToleranceSelfTest {

  @Test
  void normalCdfKnownValues() {
    assertEquals(0.5, Tolerance.normalCdf(0), 1e-15);
    assertEquals(0.8413447460685429, Tolerance.normalCdf(1), 1e-12);
    assertEquals(0.9772498680518208, Tolerance.normalCdf(2), 1e-12);
    assertEquals(0.0013498980316301, Tolerance.normalCdf(-3), 1e-12);
    assertEquals(0.9999997133484281, Tolerance.normalCdf(5), 1e-12);
  }

  @Test
  void aMissBeyondFiveStandardErrorsFails() {
    Tolerance.assertWithin("ok", 1.0, 1.0 + 4.9, 1.0);
    assertThrows(AssertionFailedError.class, () -> Tolerance.assertWithin("bad", 1.0, 7.0, 1.0));
  }

  @Test
  void markovVarianceOfAnIidChainIsTheBinomialVariance() {
    double p = 0.2;
    double[][] iid = {{1 - p, p}, {1 - p, p}};
    assertEquals(p * (1 - p), MarkovMoments.asymptoticVariance(iid, new double[] {0, 1}), 1e-12);
  }

  @Test
  void markovVarianceOfATwoStateChainMatchesTheClosedForm() {
    // For a two-state chain with switch probabilities a (0->1) and b (1->0), the indicator of
    // state 1 has asymptotic variance pi(1-pi)(1+lambda)/(1-lambda), lambda = 1 - a - b.
    double a = 0.01;
    double b = 0.3;
    double pi = a / (a + b);
    double lambda = 1 - a - b;
    double expected = pi * (1 - pi) * (1 + lambda) / (1 - lambda);
    double[][] chain = {{1 - a, a}, {b, 1 - b}};
    assertEquals(expected, MarkovMoments.asymptoticVariance(chain, new double[] {0, 1}), 1e-12);
  }
}
