package io.kcpj.bench.jmh;

import io.kcpj.core.Delivery;
import io.kcpj.core.Kcp;
import io.kcpj.core.KcpConfig;
import io.kcpj.core.KcpOutput;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine throughput: two {@link Kcp} engines back to back in memory on one thread, the workload the
 * C reference was measured with (issue "kcp-core", proof 5), so the figures compare directly.
 *
 * <p>conv 0x11223344, {@code setNoDelay(1, 10, 2, true)}, mtu 1400, both windows = {@code window}.
 * A virtual clock advances 10 ms per tick. Each tick: top up A while {@code waitSnd() < 2 ×
 * window}; {@code update(A)}; deliver A→B; {@code recv} everything on B; {@code update(B)}; deliver
 * B→A. A datagram is dropped (either direction) when {@code xorshift32() % 1000 < lossPermille},
 * one generator for both directions, seed 12345.
 *
 * <p>{@code mode} picks the engines' settings: {@code reference} is the above; {@code game} is
 * {@link KcpConfig#game()} (thin-stream loss detection, redundant copies, lean repeat ACKs, delayed
 * ACKs, the delivery extension) with the same mtu and windows, sending ordered messages; {@code
 * game-unordered} is the same sending every message {@link Delivery#UNORDERED}. The bound:
 * 0 B per message in steady state in every mode, and {@code game} within 10 % of {@code
 * reference}'s messages/s.
 *
 * <p>One benchmark operation is one tick; the {@link Delivered} counters report messages/s and
 * bytes/s received by B. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes per tick
 * (divide by messages per tick for bytes per message).
 *
 * <pre>
 * java -cp bench/target/kcpj.jar org.openjdk.jmh.Main KcpEngineBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KcpEngineBenchmark {
  static final int CONV = 0x11223344;

  @Param({"64", "1200"})
  public int messageSize;

  @Param({"128", "1024"})
  public int window;

  @Param({"0", "100"})
  public int lossPermille;

  @Param({"reference", "game", "game-unordered"})
  public String mode;

  private Kcp a;
  private Kcp b;
  private DatagramQueue aToB;
  private DatagramQueue bToA;
  private Xorshift32 random;
  private long now;
  private byte[] message;
  private byte[] receiveBuffer;
  private Delivery delivery;

  /** Messages and bytes received by B, reported by JMH as rates per second. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Delivered {
    public long messages;
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      messages = 0;
      bytes = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    random = new Xorshift32(12345);
    aToB = new DatagramQueue(random, lossPermille);
    bToA = new DatagramQueue(random, lossPermille);
    a = newEngine(aToB);
    b = newEngine(bToA);
    message = new byte[messageSize];
    for (int i = 0; i < messageSize; i++) {
      message[i] = (byte) i;
    }
    receiveBuffer = new byte[Math.max(messageSize, 1400)];
    delivery = mode.equals("game-unordered") ? Delivery.UNORDERED : Delivery.ORDERED;
    now = 0;
  }

  private Kcp newEngine(KcpOutput out) {
    Kcp k = new Kcp(CONV, out);
    switch (mode) {
      case "reference" -> {
        k.setNoDelay(1, 10, 2, true);
        k.setMtu(1400);
        k.setWindowSize(window, window);
      }
      case "game", "game-unordered" ->
          k.apply(KcpConfig.game().toBuilder().mtu(1400).windows(window, window).build());
      default -> throw new IllegalArgumentException("mode " + mode);
    }
    return k;
  }

  @Benchmark
  public void tick(Delivered delivered) {
    now += 10;
    int cap = 2 * window;
    while (a.waitSnd() < cap) {
      a.send(message, 0, messageSize, delivery);
    }
    a.update(now);
    aToB.deliverTo(b);
    int n;
    long count = 0;
    long bytes = 0;
    while ((n = b.recv(receiveBuffer, 0, receiveBuffer.length)) >= 0) {
      count++;
      bytes += n;
    }
    delivered.messages += count;
    delivered.bytes += bytes;
    b.update(now);
    bToA.deliverTo(a);
  }

  /** The unsigned 32-bit xorshift generator the workload's loss is defined with. */
  static final class Xorshift32 {
    private int x;

    Xorshift32(int seed) {
      this.x = seed;
    }

    int next() {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x;
    }
  }

  /**
   * Datagrams in flight in one direction: a growable ring of reusable byte arrays, so the harness
   * itself allocates nothing in steady state. Applies the loss draw as each datagram is output.
   */
  static final class DatagramQueue implements KcpOutput {
    private final Xorshift32 random;
    private final int lossPermille;
    private byte[][] slots = new byte[64][1400];
    private int[] lengths = new int[64];
    private int size;

    DatagramQueue(Xorshift32 random, int lossPermille) {
      this.random = random;
      this.lossPermille = lossPermille;
    }

    @Override
    public void output(ByteBuffer datagram) {
      if (Integer.remainderUnsigned(random.next(), 1000) < lossPermille) {
        return;
      }
      if (size == slots.length) {
        byte[][] more = java.util.Arrays.copyOf(slots, size * 2);
        for (int i = size; i < more.length; i++) {
          more[i] = new byte[1400];
        }
        slots = more;
        lengths = java.util.Arrays.copyOf(lengths, size * 2);
      }
      int len = datagram.remaining();
      if (slots[size].length < len) {
        slots[size] = new byte[len];
      }
      datagram.get(slots[size], 0, len);
      lengths[size++] = len;
    }

    void deliverTo(Kcp k) {
      for (int i = 0; i < size; i++) {
        k.input(slots[i], 0, lengths[i]);
      }
      size = 0;
    }
  }
}
