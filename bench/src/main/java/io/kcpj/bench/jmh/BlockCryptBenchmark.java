package io.kcpj.bench.jmh;

import io.kcpj.core.crypt.BlockCrypt;
import io.kcpj.core.crypt.CryptKeys;
import io.kcpj.core.crypt.CryptMethod;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
 * kcp-go's BlockCrypt framing against the JDK's raw AES, on one core, in the same run (issue
 * "kcp-go compatibility", proof 4: framing within 2× of the JDK's raw AES throughput).
 *
 * <p>One operation is one datagram of {@code payload} bytes (1,400: an FEC shard), 1,420 on the
 * wire. MB/s = ops/s × payload / 10⁶.
 *
 * <ul>
 *   <li>{@code seal} / {@code open}: {@link BlockCrypt} (nonce, CRC32, CFB over the frame; open
 *       checks the CRC).
 *   <li>{@code rawCfbEncrypt} / {@code rawCfbDecrypt}: the JDK's {@code AES/CFB/NoPadding} alone
 *       over the 1,420 bytes, the baseline the framing is held to.
 *   <li>{@code rawEcb}: the JDK's {@code AES/ECB/NoPadding} over 1,408 bytes (the raw block cipher,
 *       parallel, for context).
 * </ul>
 *
 * <p>Each method also reports the thread's CPU time ({@link ThreadCpu}): on a shared machine,
 * operations per CPU-second is what one core does while it runs.
 *
 * <pre>
 * java -cp bench/target/kcpj.jar org.openjdk.jmh.Main BlockCryptBenchmark -prof gc
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
public class BlockCryptBenchmark {
  @Param({"aes-128", "aes"})
  public String method;

  @Param({"1400"})
  public int payload;

  private BlockCrypt crypt;
  private byte[] plain;
  private byte[] wire;
  private byte[] sealed;
  private byte[] out;
  private Cipher cfbEncrypt;
  private Cipher cfbDecrypt;
  private Cipher ecb;

  @Setup
  public void setUp() throws GeneralSecurityException {
    CryptMethod m = CryptMethod.parse(method);
    byte[] key = CryptKeys.fromPassphrase("it's a secrect");
    crypt = BlockCrypt.create(m, key);
    plain = new byte[payload];
    new SplittableRandom(1).nextBytes(plain);
    wire = new byte[payload + BlockCrypt.HEADER_SIZE];
    sealed = new byte[wire.length];
    crypt.seal(plain, 0, payload, sealed, 0);
    out = new byte[wire.length];
    SecretKeySpec k = new SecretKeySpec(key, 0, m.keyBytes(), "AES");
    IvParameterSpec iv = new IvParameterSpec(new byte[16]);
    cfbEncrypt = Cipher.getInstance("AES/CFB/NoPadding");
    cfbEncrypt.init(Cipher.ENCRYPT_MODE, k, iv);
    cfbDecrypt = Cipher.getInstance("AES/CFB/NoPadding");
    cfbDecrypt.init(Cipher.DECRYPT_MODE, k, iv);
    ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, k);
  }

  @Benchmark
  public int seal(ThreadCpu cpu) {
    cpu.tick();
    return crypt.seal(plain, 0, payload, wire, 0);
  }

  @Benchmark
  public int open(ThreadCpu cpu) {
    cpu.tick();
    return crypt.open(sealed, 0, sealed.length, out, 0);
  }

  @Benchmark
  public int rawCfbEncrypt(ThreadCpu cpu) throws GeneralSecurityException {
    cpu.tick();
    return cfbEncrypt.doFinal(sealed, 0, sealed.length, out, 0);
  }

  @Benchmark
  public int rawCfbDecrypt(ThreadCpu cpu) throws GeneralSecurityException {
    cpu.tick();
    return cfbDecrypt.doFinal(sealed, 0, sealed.length, out, 0);
  }

  @Benchmark
  public int rawEcb(ThreadCpu cpu) throws GeneralSecurityException {
    cpu.tick();
    return ecb.doFinal(sealed, 0, sealed.length & ~15, out, 0);
  }
}
