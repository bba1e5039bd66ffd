package io.kcpj.bench.jmh;

import io.kcpj.core.fec.DatagramSink;
import io.kcpj.core.fec.FecDecoder;
import io.kcpj.core.fec.FecEncoder;
import io.kcpj.core.fec.FecHeader;
import io.kcpj.core.fec.ReedSolomon;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * kcp-go-compatible FEC on one core: 10 data + 3 parity shards of 1,400 bytes (issue "kcp-go
 * compatibility", proof 4: encode ≥ 1 GB/s, decode with 3 shards lost ≥ 0.5 GB/s, 0 B/op).
 *
 * <p>One operation is one group: 10 data shards' worth of bytes (14,000 for the coder, 13,920 bytes
 * of KCP datagrams for the layer). GB/s = ops/s × bytes per op / 10⁹.
 *
 * <ul>
 *   <li>{@code rsEncode}: {@link ReedSolomon#encodeParity} of 10 × 1,400-byte shards.
 *   <li>{@code rsReconstruct}: 3 of the 13 shards lost, rebuild the lost data shards ({@code losses
 *       = fixed}: always data shards 2, 5, 7; {@code rotating}: the next of the 286 patterns of 3
 *       lost shards each time, so the decode matrix is inverted and its tables rebuilt at every
 *       call; the one pattern that loses only parity costs nothing, and patterns losing 1 or 2 data
 *       shards rebuild fewer).
 *   <li>{@code layerDecode} and {@code rsReconstruct} in {@code fixed} mode: 10 KCP datagrams or
 *       shards' worth per operation, of which 3 rebuilt.
 *   <li>{@code layerEncode}: {@link FecEncoder#encode} of 10 KCP datagrams of 1,392 bytes (data
 *       shards of 1,400): 13 datagrams out, handed to a sink that only counts.
 *   <li>{@code layerDecode}: {@link FecDecoder#decode} of the 10 shards left of a group after 3
 *       losses (the same patterns), with fresh seqids each time: 10 KCP datagrams handed on (7
 *       received, 3 recovered).
 * </ul>
 *
 * <p>Each method also reports the thread's CPU time ({@link ThreadCpu}): on a shared machine,
 * operations per CPU-second is what one core does while it runs.
 *
 * <pre>
 * java -cp bench/target/kcpj.jar org.openjdk.jmh.Main FecBenchmark -prof gc
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
public class FecBenchmark {
  static final int DATA = 10;
  static final int PARITY = 3;
  static final int TOTAL = DATA + PARITY;
  static final int SHARD = 1400;
  static final int KCP = SHARD - FecHeader.DATA_HEADER_SIZE;

  /** Which shards are lost: only the benchmarks that lose shards take this parameter. */
  @State(Scope.Thread)
  public static class Losses {
    @Param({"fixed", "rotating"})
    public String losses;

    boolean[][] patterns;
    int next;

    @Setup
    public void setUp() {
      List<boolean[]> all = new ArrayList<>();
      if (losses.equals("fixed")) {
        all.add(present(2, 5, 7));
      } else {
        for (int a = 0; a < TOTAL; a++) {
          for (int b = a + 1; b < TOTAL; b++) {
            for (int c = b + 1; c < TOTAL; c++) {
              all.add(present(a, b, c));
            }
          }
        }
      }
      patterns = all.toArray(new boolean[0][]);
    }

    boolean[] nextPattern() {
      boolean[] p = patterns[next];
      next = next + 1 == patterns.length ? 0 : next + 1;
      return p;
    }
  }

  private ReedSolomon rs;
  private byte[][] shards;
  private byte[][] damaged;
  private final byte[][] spare = new byte[DATA][SHARD];

  private FecEncoder encoder;
  private byte[][] kcpDatagrams;
  private FecDecoder decoder;
  private byte[][] group;
  private long seqid;
  private long wrap;
  private DatagramSink counting;
  private long handed;

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(1);
    rs = new ReedSolomon(DATA, PARITY);
    shards = new byte[TOTAL][SHARD];
    for (int s = 0; s < DATA; s++) {
      r.nextBytes(shards[s]);
    }
    rs.encodeParity(shards, 0, SHARD);
    damaged = new byte[TOTAL][SHARD];

    encoder = new FecEncoder(DATA, PARITY);
    kcpDatagrams = new byte[DATA][KCP];
    for (byte[] k : kcpDatagrams) {
      r.nextBytes(k);
      k[4] = 81;
    }
    List<byte[]> sent = new ArrayList<>();
    FecEncoder once = new FecEncoder(DATA, PARITY);
    for (byte[] k : kcpDatagrams) {
      once.encode(
          k, 0, k.length, 0, (b, off, len) -> sent.add(Arrays.copyOfRange(b, off, off + len)));
    }
    group = sent.toArray(new byte[0][]);
    decoder = new FecDecoder(DATA, PARITY);
    wrap = 0xffffffffL / TOTAL * TOTAL;
    counting = (b, off, len) -> handed += len;
  }

  private static boolean[] present(int... lost) {
    boolean[] p = new boolean[TOTAL];
    Arrays.fill(p, true);
    for (int l : lost) {
      p[l] = false;
    }
    return p;
  }

  @Benchmark
  public byte[][] rsEncode(ThreadCpu cpu) {
    cpu.tick();
    rs.encodeParity(shards, 0, SHARD);
    return shards;
  }

  @Benchmark
  public byte[][] rsReconstruct(Losses losses, ThreadCpu cpu) {
    cpu.tick();
    boolean[] present = losses.nextPattern();
    for (int s = 0; s < TOTAL; s++) {
      if (present[s]) {
        damaged[s] = shards[s];
      } else {
        damaged[s] = s < DATA ? spare[s] : null;
      }
    }
    rs.reconstructData(damaged, present, 0, SHARD);
    return damaged;
  }

  @Benchmark
  public long layerEncode(ThreadCpu cpu) {
    cpu.tick();
    for (byte[] k : kcpDatagrams) {
      encoder.encode(k, 0, KCP, 0, counting);
    }
    return handed;
  }

  @Benchmark
  public long layerDecode(Losses losses, ThreadCpu cpu) {
    cpu.tick();
    boolean[] present = losses.nextPattern();
    for (int s = 0; s < TOTAL; s++) {
      byte[] d = group[s];
      // A fresh group: the next seqids (the decoder drops repeated ones).
      FecHeader.putSeqid(d, 0, (int) ((seqid + s) % wrap));
      if (present[s]) {
        decoder.decode(d, 0, d.length, 0, counting);
      }
    }
    seqid = (seqid + TOTAL) % wrap;
    return handed;
  }
}
