package io.kcpj.netem.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.Distribution;
import io.kcpj.netem.delay.JitterMode;
import io.kcpj.netem.delay.Reorder;
import io.kcpj.netem.loss.BernoulliLoss;
import io.kcpj.netem.loss.FourStateLoss;
import io.kcpj.netem.loss.GilbertElliottLoss;
import io.kcpj.netem.loss.NoLoss;
import io.kcpj.netem.loss.ShuffleBagLoss;
import io.kcpj.netem.rate.QueueLimit;
import io.kcpj.netem.rate.RateLimit;
import io.kcpj.netem.time.TimeUnits;
import io.kcpj.netem.timeline.Blackout;
import io.kcpj.netem.timeline.DelayChange;
import io.kcpj.netem.timeline.LossChange;
import io.kcpj.netem.timeline.Rebind;
import io.kcpj.netem.timeline.Scope;
import io.kcpj.netem.timeline.TimelineEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileParserTest {
  private static final long MS = TimeUnits.NANOS_PER_MILLI;

  @Test
  void theIssuesExample() {
    Profile p = Profile.parse("delay=100ms,jitter=20ms,loss=ge:0.01:0.3,rate=1mbit,queue=64kb");
    for (DirectionProfile d : List.of(p.up(), p.down())) {
      assertEquals(DelayModel.uniform(100 * MS, 20 * MS), d.delay());
      // tc defaults: 1-h = 1, 1-k = 0.
      assertEquals(GilbertElliottLoss.of(0.01, 0.3, 0.0, 1.0), d.loss());
      assertEquals(RateLimit.bitsPerSecond(1_000_000), d.rate());
      assertEquals(
          QueueLimit.bytes(64_000), d.queue(), "kb is 1,000 bytes, as on the command line");
      assertEquals(JitterMode.REORDER, d.jitterMode());
    }
  }

  @Test
  void perDirectionKeysOverrideLeftToRight() {
    Profile p =
        Profile.parse(
            "delay=50ms, up.delay=80ms, down.rate=780kbit, up.rate=330kbit,"
                + " down.loss=2%, fifo=on, up.fifo=off");
    assertEquals(DelayModel.constant(80 * MS), p.up().delay());
    assertEquals(DelayModel.constant(50 * MS), p.down().delay());
    assertEquals(780_000, p.down().rate().bitsPerSecond());
    assertEquals(330_000, p.up().rate().bitsPerSecond());
    assertEquals(BernoulliLoss.of(0.02), p.down().loss());
    assertEquals(NoLoss.INSTANCE, p.up().loss());
    assertEquals(JitterMode.FIFO, p.down().jitterMode());
    assertEquals(JitterMode.REORDER, p.up().jitterMode());
  }

  @Test
  void everyValueForm() {
    Profile p =
        Profile.parse(
            "delay=1.5s,jitter=250us,dist=paretonormal,loss=4state:1%:30%,"
                + "reorder=25%:5,duplicate=0.5%,corrupt=0.001,rate=2.5mbit,overhead=28,"
                + "queue=100p:64kib,mtu=1400");
    DirectionProfile d = p.up();
    assertEquals(DelayModel.of(1500 * MS, 250_000, Distribution.PARETO_NORMAL), d.delay());
    assertEquals(FourStateLoss.of(0.01, 0.3, 0, 1, 0), d.loss());
    assertEquals(Reorder.of(0.25, 5), d.reorder());
    assertEquals(0.005, d.duplicate(), 1e-15);
    assertEquals(0.001, d.corrupt(), 1e-15);
    assertEquals(RateLimit.bitsPerSecond(2_500_000).withOverhead(28), d.rate());
    assertEquals(QueueLimit.of(100, 65536), d.queue());
    assertEquals(1400, d.maxPacketSize());
    assertEquals(ShuffleBagLoss.percent(7), Profile.parse("loss=bag:7").up().loss());
    assertEquals(ShuffleBagLoss.of(3, 50), Profile.parse("loss=bag:3/50").up().loss());
    assertEquals(
        GilbertElliottLoss.simple(0.02, 4), Profile.parse("loss=gilbert:2%:4").up().loss());
    assertEquals(
        GilbertElliottLoss.ofTc(0.01, 0.3, 0.8, 0.01),
        Profile.parse("loss=ge:1%:30%:80%:1%").up().loss());
    assertEquals(NoLoss.INSTANCE, Profile.parse("loss=0%").up().loss());
  }

  @Test
  void timelineKeys() {
    Profile p =
        Profile.parse(
            "blackout=10s+3s,down.delay-step=20s+5s:300ms:50ms,"
                + "up.loss-step=30s:ge:0.1:0.3,up.rebind=40s,down.rebind=50s@10.0.0.9:4000");
    List<TimelineEvent> e = p.timeline().events();
    assertEquals(new Blackout(Scope.BOTH, 10_000 * MS, 3_000 * MS), e.get(0));
    assertEquals(
        new DelayChange(Scope.DOWN, 20_000 * MS, 5_000 * MS, DelayModel.uniform(300 * MS, 50 * MS)),
        e.get(1));
    assertEquals(
        new LossChange(
            Scope.UP, 30_000 * MS, TimelineEvent.FOREVER, GilbertElliottLoss.ofTc(0.1, 0.3, 1, 0)),
        e.get(2));
    assertEquals(new Rebind(Scope.UP, 40_000 * MS, null), e.get(3));
    assertEquals(
        new Rebind(Scope.DOWN, 50_000 * MS, new InetSocketAddress("10.0.0.9", 4000)), e.get(4));
  }

  @Test
  void presetThenOverrides() {
    Profile p = Profile.parse("3g-lossy,up.loss=5%");
    assertEquals(BernoulliLoss.of(0.05), p.up().loss());
    assertEquals(Profile.named("3g-lossy").down(), p.down());
    assertEquals("custom", p.name());
    assertEquals("3g", Profile.parse("preset=3g").name());
  }

  @Test
  void everyPresetRoundTripsThroughItsSpec() {
    for (String name : Profile.presetNames()) {
      Profile p = Profile.named(name);
      assertEquals(p, Profile.parse(p.toSpec()), name + ": " + p.toSpec());
    }
    Profile custom =
        Profile.parse(
            "up.delay=10ms,up.jitter=3ms,up.dist=normal,down.loss=4state:"
                + "0.01:0.3:0.2:0.4:0.005,down.delay=5ms,down.reorder=10%:3,corrupt=1%,duplicate=2%,mtu=1200,"
                + "blackout=1s+2s,up.delay-step=3s+1s:40ms:5ms:pareto,down.loss-step=5s:bag:20,"
                + "up.rebind=7s,down.rebind=8s@[::1]:9000,up.queue=100p:64kib,down.queue=64000,"
                + "rate=2mibit,overhead=28");
    assertEquals(custom, Profile.parse(custom.toSpec()), custom.toSpec());
    assertTrue(custom.toSpec().contains("up.queue=100p:64kib"), custom.toSpec());
    assertTrue(custom.toSpec().contains("down.queue=64kb"), custom.toSpec());
  }

  @Test
  void resolveAcceptsPresetTextAndFile(@TempDir Path dir) throws IOException {
    assertEquals(Profile.named("edge"), Profile.resolve("edge"));
    assertEquals(Profile.parse("loss=1%"), Profile.resolve("loss=1%"));
    Path f = dir.resolve("lab.profile");
    Files.writeString(
        f,
        "# a lossy uplink\n"
            + "preset = 3g\n"
            + "\n"
            + "up.loss = ge:0.01:0.3   # bursty\n"
            + "down.delay = 120ms, down.jitter = 10ms\n");
    Profile p = Profile.resolve("@" + f);
    assertEquals(GilbertElliottLoss.of(0.01, 0.3, 0, 1), p.up().loss());
    assertEquals(DelayModel.uniform(120 * MS, 10 * MS), p.down().delay());
    assertEquals(Profile.named("3g").up().rate(), p.up().rate());
  }

  private static String error(String text) {
    return assertThrows(IllegalArgumentException.class, () -> Profile.parse(text)).getMessage();
  }

  @Test
  void errorsNameTheBadTokenAndWhatIsValid() {
    String m = error("delay=100ms,jiter=20ms");
    assertTrue(m.startsWith("unknown key 'jiter' in 'jiter=20ms'; valid keys: delay, jitter, "), m);
    assertTrue(m.contains("did you mean 'jitter'?"), m);

    m = error("jitter=20xs");
    assertEquals(
        "bad value '20xs' for jitter in 'jitter=20xs': expected a duration such as 100ms or 30s"
            + " (units: ns, us, ms, s, m, h; a bare number is refused, except 0)",
        m);

    m = error("delay=100");
    assertEquals(
        "bad value '100' for delay in 'delay=100': expected a unit, such as 100s or 100ms"
            + " (units: ns, us, ms, s, m, h)",
        m);

    m = error("queue=64k");
    assertTrue(m.contains("'queue=64k'") && m.contains("64kib"), m);

    m = error("mtu=1.3kib");
    assertTrue(m.contains("'mtu=1.3kib'") && m.contains("whole number of bytes"), m);

    m = error("rate=1000");
    assertTrue(m.contains("'rate=1000'") && m.contains("1000kbit"), m);

    m = error("rate=1mbps");
    assertTrue(m.contains("'rate=1mbps'") && m.contains("1mbit"), m);

    m = error("loss=gee:0.1");
    assertTrue(m.contains("'loss=gee:0.1'") && m.contains("ge:P[:R[:1-H[:1-K]]]"), m);

    m = error("loss=150%");
    assertTrue(m.contains("'loss=150%'") && m.contains("between 0 and 1"), m);

    m = error("sideways.delay=1ms");
    assertTrue(m.contains("unknown direction 'sideways'") && m.contains("up."), m);

    m = error("lossy");
    assertTrue(m.contains("missing '=' in 'lossy'") && m.contains("3g-lossy"), m);

    m = error("queue=0p");
    assertTrue(m.contains("'queue=0p'") && m.contains("none"), m);

    m = error("blackout=10s");
    assertTrue(m.contains("'blackout=10s'") && m.contains("AT+FOR"), m);

    m = error("loss=4state:0.6:0.5:0:1:0.5");
    assertTrue(m.contains("'loss=4state:0.6:0.5:0:1:0.5'") && m.contains("p13 + p14"), m);

    m =
        assertThrows(IllegalArgumentException.class, () -> Profile.resolve("3g-lossyy"))
            .getMessage();
    assertTrue(m.contains("unknown profile '3g-lossyy'") && m.contains("3g-lossy"), m);

    m = assertThrows(IllegalArgumentException.class, () -> Profile.named("nope")).getMessage();
    assertTrue(m.startsWith("unknown profile 'nope'; valid presets: kcp-test, 3g, "), m);
  }

  /** As tc: reorder sends packets ahead of delayed ones, so without a delay it is refused. */
  @Test
  void reorderWithoutADelayIsRefused() {
    String m = error("reorder=25%");
    assertEquals(
        "inconsistent profile 'reorder=25%' (up): reorder=0.25 needs a delay: it sends the packets"
            + " it picks at once, ahead of the delayed ones, so without delay=... it reorders"
            + " nothing (tc refuses it too); add a delay, e.g. delay=20ms",
        m);
    m = error("rate=1mbit,down.reorder=50%:3,up.delay=10ms");
    assertTrue(m.startsWith("inconsistent profile") && m.contains("(down): reorder=0.5:3"), m);
    assertEquals(Reorder.of(0.25, 1), Profile.parse("delay=10ms,reorder=25%").up().reorder());
    assertThrows(
        IllegalArgumentException.class,
        () -> DirectionProfile.builder().reorder(Reorder.of(0.1, 1)).build());
  }

  @Test
  void fileErrorsNameTheLine(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("bad.profile");
    Files.writeString(f, "delay = 10ms\n# fine\nloss = lots\n");
    String m =
        assertThrows(IllegalArgumentException.class, () -> Profile.parseFile(f)).getMessage();
    assertTrue(m.startsWith(f + ":3: bad value 'lots' for loss in 'loss=lots'"), m);
  }

  @Test
  void idealProfileHasNoImpairment() {
    assertTrue(Profile.ideal().up().isIdeal());
    assertTrue(Profile.parse("delay=0ms").up().isIdeal());
    assertTrue(Profile.parse("delay=0").up().isIdeal(), "0 needs no unit");
    assertNull(Profile.ideal().up().reorder());
    assertEquals("", Profile.ideal().toSpec());
  }
}
