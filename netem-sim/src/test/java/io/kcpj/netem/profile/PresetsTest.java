package io.kcpj.netem.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.Distribution;
import io.kcpj.netem.delay.JitterMode;
import io.kcpj.netem.loss.BernoulliLoss;
import io.kcpj.netem.loss.GilbertElliottLoss;
import io.kcpj.netem.loss.LossModel;
import io.kcpj.netem.loss.NoLoss;
import io.kcpj.netem.loss.ShuffleBagLoss;
import io.kcpj.netem.rate.QueueLimit;
import io.kcpj.netem.time.TimeUnits;
import io.kcpj.netem.timeline.Blackout;
import io.kcpj.netem.timeline.Scope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every preset carries exactly the values of PROFILES.md's table. */
class PresetsTest {

  @Test
  void allPresetsOfModelsMdExistInOrder() {
    assertEquals(
        List.of(
            "kcp-test",
            "3g",
            "3g-lossy",
            "edge",
            "edge-lossy",
            "dsl",
            "wifi",
            "slow-3g",
            "fast-3g",
            "fast-4g",
            "good",
            "average",
            "poor",
            "very-poor",
            "4g-us",
            "wifi-bursty",
            "cellular-bursty",
            "congested",
            "handover"),
        Profile.presetNames());
    for (String name : Profile.presetNames()) {
      Profile p = Profile.named(name);
      assertEquals(name, p.name());
      assertFalse(p.source().isBlank());
    }
  }

  @Test
  void kcpTest() {
    Profile p = Profile.named("kcp-test");
    for (DirectionProfile d : List.of(p.up(), p.down())) {
      assertEquals(DelayModel.uniform(TimeUnits.millis(45.5), TimeUnits.millis(15.5)), d.delay());
      assertEquals(TimeUnits.millis(30), d.delay().minimumNanos());
      assertEquals(JitterMode.FIFO, d.jitterMode());
      assertEquals(ShuffleBagLoss.percent(5), d.loss());
      assertNull(d.rate());
      assertEquals(QueueLimit.packets(1000), d.queue());
    }
  }

  private static void nlc(String name, long downKbit, long upKbit, double delayMs, double loss) {
    Profile p = Profile.named(name);
    assertEquals(downKbit * 1000, p.down().rate().bitsPerSecond(), name);
    assertEquals(upKbit * 1000, p.up().rate().bitsPerSecond(), name);
    LossModel expectedLoss = loss == 0 ? NoLoss.INSTANCE : BernoulliLoss.of(loss);
    for (DirectionProfile d : List.of(p.up(), p.down())) {
      assertEquals(DelayModel.constant(TimeUnits.millis(delayMs)), d.delay(), name);
      assertEquals(expectedLoss, d.loss(), name);
      assertEquals(JitterMode.REORDER, d.jitterMode(), name);
      assertTrue(d.queue().isUnlimited(), name);
    }
    assertTrue(p.timeline().isEmpty());
  }

  @Test
  void linkConditionerAndChromePresets() {
    nlc("3g", 780, 330, 100, 0);
    nlc("3g-lossy", 780, 330, 100, 0.01);
    nlc("edge", 240, 200, 400, 0);
    nlc("edge-lossy", 240, 200, 400, 0.01);
    nlc("dsl", 2000, 256, 5, 0);
    nlc("wifi", 40000, 33000, 1, 0);
    nlc("slow-3g", 400, 400, 1000, 0);
    nlc("fast-3g", 1440, 675, 281.25, 0);
    nlc("fast-4g", 8100, 1350, 82.5, 0);
  }

  private static void naia(String name, long delayMs, long jitterMs, double loss) {
    Profile p = Profile.named(name);
    for (DirectionProfile d : List.of(p.up(), p.down())) {
      assertEquals(TimeUnits.millis(delayMs), d.delay().meanNanos(), name);
      assertEquals(TimeUnits.millis(jitterMs), d.delay().spreadNanos(), name);
      assertEquals(Distribution.UNIFORM, d.delay().distribution(), name);
      assertEquals(BernoulliLoss.of(loss), d.loss(), name);
      assertNull(d.rate(), name);
    }
  }

  @Test
  void naiaPresets() {
    naia("good", 40, 10, 0.002);
    naia("average", 100, 25, 0.02);
    naia("poor", 200, 50, 0.04);
    naia("very-poor", 300, 75, 0.06);
  }

  @Test
  void fourGAndHandover() {
    Profile us = Profile.named("4g-us");
    assertEquals(DelayModel.constant(TimeUnits.millis(25)), us.up().delay());
    assertEquals(BernoulliLoss.of(0.005), us.down().loss());
    Profile h = Profile.named("handover");
    assertEquals(us.up(), h.up());
    assertEquals(us.down(), h.down());
    assertEquals(
        List.of(new Blackout(Scope.BOTH, TimeUnits.seconds(10), TimeUnits.seconds(3))),
        h.timeline().events());
  }

  @Test
  void burstyPresetsAreStr0msGilbertElliott() {
    double[][] expected = {{200, 0.005 / 0.505}, {100, 0.01 / 0.51}, {20, 0.05 / 0.55}};
    String[] names = {"wifi-bursty", "cellular-bursty", "congested"};
    for (int i = 0; i < 3; i++) {
      GilbertElliottLoss ge = (GilbertElliottLoss) Profile.named(names[i]).up().loss();
      assertEquals(1 / expected[i][0], ge.p(), 1e-15);
      assertEquals(0.5, ge.r());
      assertEquals(0.0, ge.h());
      assertEquals(1.0, ge.k());
      assertEquals(expected[i][1], ge.lossRate(), 1e-12);
      assertEquals(2.0, ge.meanBurstLength(), 1e-12);
    }
  }
}
