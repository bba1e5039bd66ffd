package io.kcpj.bench.jmh;

import io.kcpj.core.crypt.BlockCrypt;
import io.kcpj.core.crypt.CryptKeys;
import io.kcpj.core.crypt.CryptMethod;
import io.kcpj.core.fec.FecSpec;
import io.kcpj.core.stack.DatagramStack;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole datagram stack of a session, both ends, on one core: KCP datagrams through one {@link
 * DatagramStack} (FEC encode, then seal each shard) and straight into the peer's (open, FEC
 * decode), which hands them to a KCP sink that only counts. With FEC 10/3, 3 of each group's 13
 * wire datagrams are lost (data shards 2, 5, 7), so the receiver rebuilds them. The steady state
 * must allocate nothing ({@code -prof gc}: 0 B/op).
 *
 * <p>One operation is one group: 10 KCP datagrams of 1,364 bytes (a 1,400-byte wire MTU less 8
 * bytes of FEC and 20 of encryption), 13,640 bytes. MB/s = ops/s × 13,640 / 10⁶.
 *
 * <pre>
 * java -cp bench/target/kcpj.jar org.openjdk.jmh.Main DatagramStackBenchmark -prof gc
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
public class DatagramStackBenchmark {
  static final int DATAGRAMS = 10;
  static final int KCP = 1400 - 8 - 20;

  @Param({"10/3", "off"})
  public String fec;

  @Param({"aes", "aes-128", "off"})
  public String crypt;

  private DatagramStack sender;
  private DatagramStack receiver;
  private byte[][] kcp;
  private int shard;
  private long delivered;

  @Setup
  public void setUp() {
    byte[] key = CryptKeys.fromPassphrase("it's a secrect");
    FecSpec spec = FecSpec.parse(fec);
    receiver =
        DatagramStack.builder()
            .fec(spec)
            .protection(
                crypt.equals("off") ? null : BlockCrypt.create(CryptMethod.parse(crypt), key))
            .toWire((b, off, len) -> {})
            .toKcp((b, off, len) -> delivered += len)
            .build();
    sender =
        DatagramStack.builder()
            .fec(spec)
            .protection(
                crypt.equals("off") ? null : BlockCrypt.create(CryptMethod.parse(crypt), key))
            .toWire(
                (b, off, len) -> {
                  int s = shard++ % 13;
                  if (!spec.enabled() || (s != 2 && s != 5 && s != 7)) {
                    receiver.receive(b, off, len, 0);
                  }
                })
            .toKcp((b, off, len) -> {})
            .build();
    SplittableRandom r = new SplittableRandom(1);
    kcp = new byte[DATAGRAMS][KCP];
    for (byte[] k : kcp) {
      r.nextBytes(k);
      k[4] = 81;
    }
  }

  @Benchmark
  public long roundTripGroup(ThreadCpu cpu) {
    cpu.tick();
    for (byte[] k : kcp) {
      sender.send(k, 0, KCP, 0);
    }
    return delivered;
  }
}
