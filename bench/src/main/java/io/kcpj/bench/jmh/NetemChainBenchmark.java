package io.kcpj.bench.jmh;

import io.kcpj.netem.Direction;
import io.kcpj.netem.link.Link;
import io.kcpj.netem.link.PacketAdapter;
import io.kcpj.netem.profile.DirectionProfile;
import io.kcpj.netem.profile.Profile;
import io.kcpj.netem.time.VirtualScheduler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Virtual-time throughput of netem-sim's chain: one operation offers one 1200-byte packet 100 µs
 * after the previous one and runs the virtual clock to that time (delivering whatever is due).
 *
 * <p>The {@code chain} parameter selects the impairments of the A→B direction:
 *
 * <ul>
 *   <li>{@code ge-jitter-rate} (the target, ≥ 5 M packets/s on one core): Gilbert-Elliott loss (p =
 *       1 %, r = 30 %), 20 ms ± 5 ms uniform jitter in reordering mode ({@code fifo=off}), 100
 *       Mbit/s. The rate keeps departures in offer order, so the link holds packets in its ring,
 *       not its heap;
 *   <li>{@code ge-jitter-rate-reorder}: the same plus netem's reorder model ({@code reorder=1%}),
 *       whose picks go to the ring's head;
 *   <li>{@code ge-jitter-rate-fifo}: the same as the first with FIFO jitter ({@code fifo=on}); the
 *       two reordering-mode chains above must be at least as fast as this one;
 *   <li>{@code ge-jitter}: jitter without a rate (reordering mode: the heap), for comparison;
 *   <li>{@code ideal}: no impairment (the cost of the scheduler and queue alone).
 * </ul>
 *
 * The offered load (96 Mbit/s, 3.2 % lost) stays under the rate, so the queue is bounded and the
 * run is a steady state. Run with {@code java -cp bench/target/kcpj.jar org.openjdk.jmh.Main
 * NetemChain -prof gc}.
 *
 * <p>Thread-confined: JMH's {@code Scope.Thread} state; one link per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NetemChainBenchmark {
  private static final long SPACING_NANOS = 100_000;

  @Param({"ge-jitter-rate", "ge-jitter-rate-reorder", "ge-jitter-rate-fifo", "ge-jitter", "ideal"})
  public String chain;

  private VirtualScheduler clock;
  private Link<byte[]> link;
  private final byte[] packet = new byte[1200];
  private long now;
  private long delivered;

  @Setup(Level.Trial)
  public void setUp() {
    DirectionProfile up;
    switch (chain) {
      case "ge-jitter-rate":
        up = Profile.parse("delay=20ms,jitter=5ms,loss=ge:0.01:0.3,rate=100mbit").up();
        break;
      case "ge-jitter-rate-reorder":
        up = Profile.parse("delay=20ms,jitter=5ms,loss=ge:0.01:0.3,rate=100mbit,reorder=1%").up();
        break;
      case "ge-jitter-rate-fifo":
        up = Profile.parse("delay=20ms,jitter=5ms,fifo=on,loss=ge:0.01:0.3,rate=100mbit").up();
        break;
      case "ge-jitter":
        up = Profile.parse("delay=20ms,jitter=5ms,loss=ge:0.01:0.3").up();
        break;
      case "ideal":
        up = DirectionProfile.ideal();
        break;
      default:
        throw new IllegalArgumentException(chain);
    }
    clock = new VirtualScheduler();
    link =
        Link.builder(clock, PacketAdapter.byteArrays())
            .profile(Profile.builder().up(up).build())
            .seed(42)
            .sink(Direction.A_TO_B, (p, t) -> delivered++)
            .sink(Direction.B_TO_A, (p, t) -> {})
            .build();
  }

  /** Offers one packet and advances the virtual clock to its offer time. */
  @Benchmark
  public void offer() {
    now += SPACING_NANOS;
    clock.runUntil(now);
    link.aToB().offer(packet, now);
  }

  @TearDown(Level.Trial)
  public void check() {
    if (delivered == 0 || link.aToB().stats().droppedQueue() != 0) {
      throw new IllegalStateException("not a steady state: " + link.aToB().stats());
    }
  }
}
