package io.kcpj.netem.profile;

import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.JitterMode;
import io.kcpj.netem.loss.BernoulliLoss;
import io.kcpj.netem.loss.GilbertElliottLoss;
import io.kcpj.netem.loss.LossModel;
import io.kcpj.netem.loss.NoLoss;
import io.kcpj.netem.loss.ShuffleBagLoss;
import io.kcpj.netem.rate.QueueLimit;
import io.kcpj.netem.rate.RateLimit;
import io.kcpj.netem.time.TimeUnits;
import io.kcpj.netem.timeline.Scope;
import io.kcpj.netem.timeline.Timeline;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named profiles listed in {@code netem-sim/PROFILES.md}, with their sources. Delays are one
 * way per direction; where the source gives a round-trip total (Chrome DevTools) it is split
 * evenly. Rates are {@code down/up} (down = B→A, server to client). Loss is per direction. Jitter
 * mode is {@code REORDER} unless the source says FIFO.
 *
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>name</th><th>source</th><th>values</th></tr>
 *   <tr><td>{@code kcp-test}</td><td>KCP {@code test.h}: {@code LatencySimulator(10, 60, 125)}
 *       (round-trip loss 10 %, RTT 60–125 ms, {@code nmax} 1000)</td>
 *       <td>unlimited rate; one-way delay uniform 30–61 ms ({@code rttmin/2 + rand() %
 *       (rttmax/2 - rttmin/2)}), FIFO; 5 % shuffle-bag loss each way; 1000-packet queue</td></tr>
 *   <tr><td>{@code 3g}</td><td>Apple Network Link Conditioner "3G Average"</td>
 *       <td>780/330 kbit/s, 100 ms, no loss</td></tr>
 *   <tr><td>{@code 3g-lossy}</td><td>NLC "3G Lossy"</td><td>780/330 kbit/s, 100 ms, 1 %</td></tr>
 *   <tr><td>{@code edge}</td><td>NLC "Edge Average"</td><td>240/200 kbit/s, 400 ms, no loss</td></tr>
 *   <tr><td>{@code edge-lossy}</td><td>NLC "Edge Lossy"</td><td>240/200 kbit/s, 400 ms, 1 %</td></tr>
 *   <tr><td>{@code dsl}</td><td>NLC "DSL"</td><td>2000/256 kbit/s, 5 ms</td></tr>
 *   <tr><td>{@code wifi}</td><td>NLC "WiFi Average"</td><td>40000/33000 kbit/s, 1 ms</td></tr>
 *   <tr><td>{@code slow-3g}</td><td>Chrome DevTools "Slow 3G"</td>
 *       <td>400/400 kbit/s, 2000 ms RTT → 1000 ms each way</td></tr>
 *   <tr><td>{@code fast-3g}</td><td>Chrome DevTools "Fast 3G"</td>
 *       <td>1440/675 kbit/s, 562.5 ms RTT → 281.25 ms each way</td></tr>
 *   <tr><td>{@code fast-4g}</td><td>Chrome DevTools "Fast 4G"</td>
 *       <td>8100/1350 kbit/s, 165 ms RTT → 82.5 ms each way</td></tr>
 *   <tr><td>{@code good}, {@code average}, {@code poor}, {@code very-poor}</td>
 *       <td>naia (game netcode) link conditioner presets</td>
 *       <td>unlimited; 40/100/200/300 ms ± 10/25/50/75 ms uniform; 0.2/2/4/6 % loss</td></tr>
 *   <tr><td>{@code 4g-us}</td><td>measured (Codavel): 50 ms RTT</td>
 *       <td>25 ms each way, 0.5 % loss</td></tr>
 *   <tr><td>{@code wifi-bursty}, {@code cellular-bursty}, {@code congested}</td>
 *       <td>str0m netem Gilbert-Elliott presets {@code wifi}, {@code cellular},
 *       {@code congested}: mean packets in GOOD/BAD 200/2, 100/2, 20/2, all lost in BAD</td>
 *       <td>simple Gilbert p = 1/200, 1/100, 1/20; r = 1/2 (≈ 0.99 %, 1.96 %, 9.09 % loss)</td></tr>
 *   <tr><td>{@code handover}</td><td>inter-RAT handover outages of 3–4.5 s (field trial)</td>
 *       <td>{@code 4g-us} plus a 3 s blackout of both directions at 10 s</td></tr>
 * </table>
 */
public final class Presets {
  private static final Map<String, Profile> PRESETS = build();

  private Presets() {}

  /** The preset called {@code name}; the exception lists every valid name. */
  public static Profile get(String name) {
    Profile p = PRESETS.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown profile '" + name + "'; valid presets: " + String.join(", ", PRESETS.keySet()));
    }
    return p;
  }

  /** Whether a preset is called {@code name}. */
  public static boolean contains(String name) {
    return PRESETS.containsKey(name);
  }

  /** Every preset name in PROFILES.md's order. */
  public static List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(PRESETS.keySet()));
  }

  private static Map<String, Profile> build() {
    Map<String, Profile> m = new LinkedHashMap<>();
    DirectionProfile kcp =
        DirectionProfile.builder()
            .delay(DelayModel.uniform(TimeUnits.millis(45.5), TimeUnits.millis(15.5)))
            .jitterMode(JitterMode.FIFO)
            .loss(ShuffleBagLoss.percent(5))
            .queue(QueueLimit.packets(1000))
            .build();
    put(
        m,
        Profile.builder()
            .name("kcp-test")
            .source(
                "KCP test.h LatencySimulator(10, 60, 125): 30-61 ms uniform, FIFO, "
                    + "5 % shuffle bag each way, nmax 1000")
            .both(kcp));
    nlc(m, "3g", "Network Link Conditioner \"3G Average\"", 780, 330, 100, 0);
    nlc(m, "3g-lossy", "Network Link Conditioner \"3G Lossy\"", 780, 330, 100, 0.01);
    nlc(m, "edge", "Network Link Conditioner \"Edge Average\"", 240, 200, 400, 0);
    nlc(m, "edge-lossy", "Network Link Conditioner \"Edge Lossy\"", 240, 200, 400, 0.01);
    nlc(m, "dsl", "Network Link Conditioner \"DSL\"", 2000, 256, 5, 0);
    nlc(m, "wifi", "Network Link Conditioner \"WiFi Average\"", 40000, 33000, 1, 0);
    nlc(m, "slow-3g", "Chrome DevTools \"Slow 3G\" (2000 ms RTT split evenly)", 400, 400, 1000, 0);
    nlc(
        m,
        "fast-3g",
        "Chrome DevTools \"Fast 3G\" (562.5 ms RTT split evenly)",
        1440,
        675,
        281.25,
        0);
    nlc(m, "fast-4g", "Chrome DevTools \"Fast 4G\" (165 ms RTT split evenly)", 8100, 1350, 82.5, 0);
    naia(m, "good", 40, 10, 0.002);
    naia(m, "average", 100, 25, 0.02);
    naia(m, "poor", 200, 50, 0.04);
    naia(m, "very-poor", 300, 75, 0.06);
    DirectionProfile us4g =
        DirectionProfile.builder()
            .delay(DelayModel.constant(TimeUnits.millis(25)))
            .loss(BernoulliLoss.of(0.005))
            .build();
    put(
        m,
        Profile.builder()
            .name("4g-us")
            .source("measured 4G in the US (Codavel): 50 ms RTT, 0.5 % loss")
            .both(us4g));
    bursty(m, "wifi-bursty", "wifi", 200);
    bursty(m, "cellular-bursty", "cellular", 100);
    bursty(m, "congested", "congested", 20);
    put(
        m,
        Profile.builder()
            .name("handover")
            .source(
                "4g-us plus a 3 s blackout at 10 s, both directions "
                    + "(inter-RAT handover outages of 3-4.5 s, field trial)")
            .both(us4g)
            .timeline(
                Timeline.builder()
                    .blackout(Scope.BOTH, TimeUnits.seconds(10), TimeUnits.seconds(3))
                    .build()));
    return m;
  }

  private static void put(Map<String, Profile> m, Profile.Builder b) {
    Profile p = b.build();
    m.put(p.name(), p);
  }

  private static void nlc(
      Map<String, Profile> m,
      String name,
      String source,
      long downKbit,
      long upKbit,
      double delayMs,
      double loss) {
    LossModel l = loss == 0 ? NoLoss.INSTANCE : BernoulliLoss.of(loss);
    DelayModel d = DelayModel.constant(TimeUnits.millis(delayMs));
    put(
        m,
        Profile.builder()
            .name(name)
            .source(source)
            .down(
                DirectionProfile.builder().rate(RateLimit.kbit(downKbit)).delay(d).loss(l).build())
            .up(DirectionProfile.builder().rate(RateLimit.kbit(upKbit)).delay(d).loss(l).build()));
  }

  private static void naia(
      Map<String, Profile> m, String name, long delayMs, long jitterMs, double loss) {
    put(
        m,
        Profile.builder()
            .name(name)
            .source("naia link conditioner preset \"" + name + "\"")
            .both(
                DirectionProfile.builder()
                    .delay(
                        DelayModel.uniform(TimeUnits.millis(delayMs), TimeUnits.millis(jitterMs)))
                    .loss(BernoulliLoss.of(loss))
                    .build()));
  }

  private static void bursty(
      Map<String, Profile> m, String name, String str0mName, int goodPackets) {
    put(
        m,
        Profile.builder()
            .name(name)
            .source(
                "str0m netem GilbertElliot::"
                    + str0mName
                    + "(): "
                    + goodPackets
                    + " packets in GOOD, 2 in BAD, all lost in BAD")
            .both(
                DirectionProfile.builder()
                    .loss(GilbertElliottLoss.of(1.0 / goodPackets, 0.5, 0.0, 1.0))
                    .build()));
  }
}
