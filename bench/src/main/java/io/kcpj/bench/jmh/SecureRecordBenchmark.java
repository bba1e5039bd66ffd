package io.kcpj.bench.jmh;

import io.kcpj.core.secure.Admission;
import io.kcpj.core.secure.CryptoContext;
import io.kcpj.core.secure.HandshakeResponder;
import io.kcpj.core.secure.SecureClientConfig;
import io.kcpj.core.secure.SecureClientSession;
import io.kcpj.core.secure.SecureDrop;
import io.kcpj.core.secure.SecureServerConfig;
import io.kcpj.core.secure.SecureServerSession;
import io.kcpj.core.secure.SecureSessionListener;
import io.kcpj.core.secure.SecureSessionState;
import io.kcpj.core.secure.noise.NoiseCipher;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
 * Per-packet cost of secure sessions' record protection, and what the JDK's AEAD alone costs for
 * the same record, in the same run.
 *
 * <ul>
 *   <li>{@code protect}: a client session (established in memory by the real handshake) protects
 *       one inner datagram of {@code size} bytes into a buffer ({@code SecureSession.protect}:
 *       header, PAYLOAD frame, copy, packet number, key epoch, seal);
 *   <li>{@code protectAndOpen}: the same, then the server session opens it ({@code onDatagram}:
 *       copy, replay window, key epoch, open, frame parsing, the payload handed to a listener).
 *       Opening alone costs the difference;
 *   <li>{@code roundTrip}: a record each way, as an echo makes them: the client protects, the
 *       server opens, protects its answer, the client opens it. Each end's {@code CryptoContext}
 *       then serves both of its directions, as on a real event loop (the two benchmarks above use
 *       each context for one direction only); divide by 2 for a record;
 *   <li>{@code jdkSeal}: the bare JDK work one record needs: {@code Cipher.init} with a fresh
 *       nonce, the 9-byte header as associated data, {@code doFinal} in place over {@code size + 1}
 *       bytes;
 *   <li>{@code jdkSealAndOpen}: the same, then a second JDK cipher initialised for decryption opens
 *       it in place.
 * </ul>
 *
 * <p>{@code protect - jdkSeal} is what kcpj adds around the JDK (time and bytes). {@code size} 100
 * and 1,400 bytes; AES-256-GCM and ChaCha20-Poly1305; the sessions' buffers on the heap or direct.
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes allocated per record.
 *
 * <pre>
 * java -cp bench/target/kcpj.jar org.openjdk.jmh.Main SecureRecordBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SecureRecordBenchmark {

  /** Two established sessions and the buffers of one record. */
  @State(Scope.Thread)
  public static class Sessions {
    @Param({"AES_GCM", "CHACHA_POLY"})
    public NoiseCipher cipher;

    @Param({"100", "1400"})
    public int size;

    @Param({"heap", "direct"})
    public String buffers;

    SecureClientSession client;
    SecureServerSession server;
    ByteBuffer inner;
    ByteBuffer record;
    InetSocketAddress clientAddress;
    InetSocketAddress serverAddress;
    long delivered;

    @Setup
    public void setUp() throws Exception {
      byte[] psk = new byte[32];
      for (int i = 0; i < psk.length; i++) {
        psk[i] = (byte) i;
      }
      clientAddress =
          new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 5000);
      serverAddress =
          new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 2}), 4000);
      ArrayDeque<ByteBuffer> toServer = new ArrayDeque<>();
      ArrayDeque<ByteBuffer> toClient = new ArrayDeque<>();
      SecureSessionListener count = (s, payload) -> delivered += payload.remaining();
      client =
          new SecureClientSession(
              SecureClientConfig.builder().psk(psk).cipher(cipher).build(),
              new CryptoContext(),
              serverAddress,
              1,
              (d, to) -> toServer.add(copy(d)),
              count);
      HandshakeResponder responder =
          new HandshakeResponder(
              SecureServerConfig.builder().psk(psk).build(),
              new CryptoContext(),
              (d, to) -> toClient.add(copy(d)),
              0);
      client.start(0);
      Admission a = responder.onInitiation(toServer.poll(), clientAddress, 0, false, id -> false);
      server = a.session();
      server.setListener(count);
      client.onDatagram(toClient.poll(), serverAddress, 0);
      if (server.onDatagram(toServer.poll(), clientAddress, 0) != SecureDrop.NONE) {
        throw new IllegalStateException("handshake did not complete");
      }
      boolean direct = buffers.equals("direct");
      inner = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
      record = direct ? ByteBuffer.allocateDirect(size + 64) : ByteBuffer.allocate(size + 64);
    }

    /**
     * Refuses to report figures for a run in which the server dropped a record or a session left
     * ESTABLISHED: then {@code protectAndOpen} would have measured the cost of a drop.
     */
    @TearDown(Level.Iteration)
    public void checkEveryRecordWasDelivered() {
      long drops = server.counters().totalDrops() + client.counters().totalDrops();
      if (drops != 0
          || server.state() != SecureSessionState.ESTABLISHED
          || client.state() != SecureSessionState.ESTABLISHED) {
        throw new IllegalStateException(
            "the sessions dropped "
                + drops
                + " records; states "
                + client.state()
                + server.state());
      }
    }

    private static ByteBuffer copy(ByteBuffer d) {
      ByteBuffer c = ByteBuffer.allocate(d.remaining());
      c.put(d).flip();
      return c;
    }
  }

  /** The JDK's AEAD alone, over a record-shaped array. */
  @State(Scope.Thread)
  public static class Jdk {
    @Param({"AES_GCM", "CHACHA_POLY"})
    public NoiseCipher cipher;

    @Param({"100", "1400"})
    public int size;

    Cipher sealer;
    Cipher opener;
    SecretKey key;
    byte[] record;
    final byte[] nonce = new byte[12];
    long packetNumber;

    @Setup
    public void setUp() throws GeneralSecurityException {
      sealer = Cipher.getInstance(cipher.transformation());
      opener = Cipher.getInstance(cipher.transformation());
      key = new SecretKeySpec(new byte[32], cipher.keyAlgorithm());
      record = new byte[9 + 1 + size + 16];
    }

    /**
     * A parameter spec for the current nonce. A new one for every initialisation, as a sender and a
     * receiver each need their own: the JDK's specs are immutable and copy the nonce.
     */
    AlgorithmParameterSpec spec() {
      return cipher == NoiseCipher.AES_GCM
          ? new GCMParameterSpec(128, nonce)
          : new IvParameterSpec(nonce);
    }

    int seal() throws GeneralSecurityException {
      cipher.encodeNonce(++packetNumber, nonce);
      sealer.init(Cipher.ENCRYPT_MODE, key, spec());
      sealer.updateAAD(record, 0, 9);
      return sealer.doFinal(record, 9, size + 1, record, 9);
    }
  }

  @Benchmark
  public int protect(Sessions s) {
    s.inner.clear();
    s.record.clear();
    return s.client.protect(s.inner, s.record, 0);
  }

  @Benchmark
  public long protectAndOpen(Sessions s) {
    s.inner.clear();
    s.record.clear();
    s.client.protect(s.inner, s.record, 0);
    s.record.flip();
    s.server.onDatagram(s.record, s.clientAddress, 0);
    return s.delivered;
  }

  @Benchmark
  public long roundTrip(Sessions s) {
    s.inner.clear();
    s.record.clear();
    s.client.protect(s.inner, s.record, 0);
    s.record.flip();
    s.server.onDatagram(s.record, s.clientAddress, 0);
    s.inner.clear();
    s.record.clear();
    s.server.protect(s.inner, s.record, 0);
    s.record.flip();
    s.client.onDatagram(s.record, s.serverAddress, 0);
    return s.delivered;
  }

  @Benchmark
  public int jdkSeal(Jdk j) throws GeneralSecurityException {
    return j.seal();
  }

  @Benchmark
  public int jdkSealAndOpen(Jdk j) throws GeneralSecurityException {
    int n = j.seal();
    j.opener.init(Cipher.DECRYPT_MODE, j.key, j.spec());
    j.opener.updateAAD(j.record, 0, 9);
    return j.opener.doFinal(j.record, 9, n, j.record, 9);
  }
}
