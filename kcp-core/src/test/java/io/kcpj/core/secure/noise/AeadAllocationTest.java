package io.kcpj.core.secure.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Aead}'s reused nonce specs ({@link NonceSpecs}) and its decryption from a copy at offset
 * 0: the JDK must compute, and refuse, exactly what it does with its own freshly made specs, and
 * the allocation they save must really be saved.
 */
class AeadAllocationTest {

  /**
   * A seeded sequence of initialisations of one JDK cipher, through {@link NonceSpecs} and through
   * new JDK specs side by side: encryptions and decryptions, under key objects of which two hold
   * equal bytes, with nonces from a small set so that repeats happen often. Every step must give
   * the same result both ways: the same refusal of a repeated key and nonce (the JDK keeps the
   * arrays {@code getIV()} returned and compares with them), the same ciphertext, the same verdict
   * and plaintext on decryption.
   */
  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void jdkSeesTheSameNoncesAndRefusalsAsWithItsOwnSpecs(NoiseCipher kind) throws Exception {
    Random random = new Random(16);
    byte[] k1 = new byte[32];
    random.nextBytes(k1);
    byte[] k2 = new byte[32];
    random.nextBytes(k2);
    SecretKey[] keys = {
      new SecretKeySpec(k1, kind.keyAlgorithm()),
      new SecretKeySpec(k1.clone(), kind.keyAlgorithm()),
      new SecretKeySpec(k2, kind.keyAlgorithm())
    };
    Cipher reused = Cipher.getInstance(kind.transformation());
    Cipher fresh = Cipher.getInstance(kind.transformation());
    Cipher helper = Cipher.getInstance(kind.transformation());
    NonceSpecs specs = new NonceSpecs(kind);
    byte[] nonce = new byte[NoiseCipher.NONCE_SIZE];
    byte[] ad = {1, 2, 3};
    int refusals = 0;
    int encryptions = 0;
    int decryptions = 0;
    for (int step = 0; step < 4000; step++) {
      boolean encrypt = random.nextBoolean();
      SecretKey key = keys[random.nextInt(keys.length)];
      long n = random.nextInt(4);
      int mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
      kind.encodeNonce(n, nonce);
      String refusedFresh = initOrRefusal(fresh, mode, key, jdkSpec(kind, nonce));
      AlgorithmParameterSpec spec = encrypt ? specs.forEncryption(n) : specs.forDecryption(n);
      String refusedReused = initOrRefusal(reused, mode, key, spec);
      if (refusedReused == null) {
        specs.accepted(spec);
      }
      assertEquals(refusedFresh, refusedReused, "step " + step + ": init refusal differs");
      if (refusedFresh != null) {
        refusals++;
        continue;
      }
      byte[] in = new byte[random.nextInt(40)];
      random.nextBytes(in);
      if (encrypt) {
        encryptions++;
        assertArrayEquals(seal(fresh, ad, in), seal(reused, ad, in), "step " + step);
      } else {
        decryptions++;
        byte[] record = in;
        if (random.nextBoolean()) {
          // A genuine record for this key and nonce, from a third cipher (always a fresh spec).
          kind.encodeNonce(n + 100, nonce);
          helper.init(Cipher.ENCRYPT_MODE, key, jdkSpec(kind, nonce)); // another nonce first
          kind.encodeNonce(n, nonce);
          helper.init(Cipher.ENCRYPT_MODE, key, jdkSpec(kind, nonce));
          record = seal(helper, ad, in);
        }
        assertEquals(open(fresh, ad, record), open(reused, ad, record), "step " + step);
      }
    }
    // The sequence must have exercised all three outcomes, or it proved little.
    assertTrue(refusals > 100, "refusals " + refusals);
    assertTrue(encryptions > 100, "encryptions " + encryptions);
    assertTrue(decryptions > 100, "decryptions " + decryptions);
  }

  /**
   * {@link Aead} against the JDK used with its own specs, in place at a record's offsets and from
   * and to separate arrays, with a tampered record refused.
   */
  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void aeadGivesTheJdksResultsInPlaceAndAtOffsets(NoiseCipher kind) throws Exception {
    Random random = new Random(17);
    Aead sealer = new Aead(kind);
    Aead opener = new Aead(kind);
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    SecretKey key = sealer.key(raw);
    Cipher jdk = Cipher.getInstance(kind.transformation());
    byte[] nonce = new byte[NoiseCipher.NONCE_SIZE];
    for (int pn = 0; pn < 300; pn++) {
      int size = random.nextInt(1400);
      byte[] plain = new byte[size];
      random.nextBytes(plain);
      byte[] buf = new byte[9 + size + 16];
      random.nextBytes(buf);
      System.arraycopy(plain, 0, buf, 9, size);
      kind.encodeNonce(pn, nonce);
      jdk.init(Cipher.ENCRYPT_MODE, key, jdkSpec(kind, nonce));
      jdk.updateAAD(buf, 0, 9);
      byte[] expected = jdk.doFinal(plain);
      assertEquals(size + 16, sealer.encrypt(key, pn, buf, 0, 9, buf, 9, size, buf, 9));
      assertArrayEquals(expected, Arrays.copyOfRange(buf, 9, 9 + size + 16), "record " + pn);
      byte[] record = buf.clone();
      if (pn % 3 == 0) {
        byte[] forged = buf.clone();
        forged[9 + random.nextInt(size + 16)] ^= 1;
        assertEquals(-1, opener.decrypt(key, pn, forged, 0, 9, forged, 9, size + 16, forged, 9));
      }
      if (pn % 2 == 0) {
        assertEquals(size, opener.decrypt(key, pn, buf, 0, 9, buf, 9, size + 16, buf, 9));
        assertArrayEquals(plain, Arrays.copyOfRange(buf, 9, 9 + size));
      } else {
        byte[] ct = Arrays.copyOfRange(record, 9, record.length);
        byte[] out = new byte[size];
        assertEquals(size, opener.decrypt(key, pn, record, 0, 9, ct, 0, ct.length, out, 0));
        assertArrayEquals(plain, out);
      }
    }
  }

  /**
   * Bytes allocated per call, measured with the JVM's per-thread allocation counter: {@link
   * Aead#encrypt} allocates at least 40 bytes less than the JDK with a new spec per call (the spec
   * and its nonce copies: 56 to 120 bytes measured on JDK 17, depending on what the JIT compiler
   * removes), and {@link Aead#decrypt} of a 1,400-byte record at offset 9 allocates under 3,000
   * bytes (JDK 17's ChaCha20-Poly1305 buffers such a ciphertext: about 5,900 bytes; the JDK's
   * initialisation alone is about 2,400).
   */
  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void aeadAllocatesLessThanTheJdkWithNewSpecs(NoiseCipher kind) throws Exception {
    assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "no per-thread allocation counter in this JVM");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "allocation counter unsupported");
    threads.setThreadAllocatedMemoryEnabled(true);
    int size = 1400;
    Aead aead = new Aead(kind);
    Aead opener = new Aead(kind); // as records have: one per direction
    SecretKey key = aead.key(new byte[32]);
    Cipher jdk = Cipher.getInstance(kind.transformation());
    byte[] buf = new byte[9 + size + 16];
    byte[] nonce = new byte[NoiseCipher.NONCE_SIZE];
    long[] pn = {0};
    Step aeadSeal = () -> aead.encrypt(key, pn[0]++, buf, 0, 9, buf, 9, size, buf, 9);
    Step jdkSeal =
        () -> {
          kind.encodeNonce(pn[0]++, nonce);
          jdk.init(Cipher.ENCRYPT_MODE, key, jdkSpec(kind, nonce));
          jdk.updateAAD(buf, 0, 9);
          jdk.doFinal(buf, 9, size, buf, 9);
        };
    Step aeadSealOpen =
        () -> {
          long n = pn[0]++;
          aead.encrypt(key, n, buf, 0, 9, buf, 9, size, buf, 9);
          if (opener.decrypt(key, n, buf, 0, 9, buf, 9, size + 16, buf, 9) != size) {
            throw new AssertionError("record " + n + " did not open");
          }
        };
    long aeadSealBytes = bytesPerCall(threads, aeadSeal);
    long jdkSealBytes = bytesPerCall(threads, jdkSeal);
    long aeadOpenBytes = bytesPerCall(threads, aeadSealOpen) - aeadSealBytes;
    String figures =
        kind
            + ": Aead seal "
            + aeadSealBytes
            + " B, JDK seal with a new spec "
            + jdkSealBytes
            + " B, Aead open "
            + aeadOpenBytes
            + " B";
    System.out.println(figures);
    assertTrue(aeadSealBytes <= jdkSealBytes - 40, figures);
    assertTrue(aeadOpenBytes < 3000, figures);
  }

  private interface Step {
    void run() throws Exception;
  }

  private static long bytesPerCall(com.sun.management.ThreadMXBean threads, Step step)
      throws Exception {
    int calls = 20_000;
    for (int i = 0; i < calls; i++) {
      step.run(); // warm-up: compiled before measuring
    }
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 8; round++) { // the least of 8: once the JIT compiler is done
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < calls; i++) {
        step.run();
      }
      best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / calls);
    }
    return best;
  }

  private static AlgorithmParameterSpec jdkSpec(NoiseCipher kind, byte[] nonce) {
    return kind == NoiseCipher.AES_GCM
        ? new GCMParameterSpec(NoiseCipher.TAG_SIZE * 8, nonce)
        : new IvParameterSpec(nonce);
  }

  /** {@code null} if the cipher accepted the initialisation, else the refusal's class. */
  private static String initOrRefusal(
      Cipher cipher, int mode, SecretKey key, AlgorithmParameterSpec spec) {
    try {
      cipher.init(mode, key, spec);
      return null;
    } catch (GeneralSecurityException | RuntimeException e) {
      return e.getClass().getName();
    }
  }

  private static byte[] seal(Cipher cipher, byte[] ad, byte[] in) throws Exception {
    cipher.updateAAD(ad);
    return cipher.doFinal(in);
  }

  /** The plaintext as text, or the failure's class: comparable with {@code assertEquals}. */
  private static String open(Cipher cipher, byte[] ad, byte[] record) {
    try {
      cipher.updateAAD(ad);
      return Arrays.toString(cipher.doFinal(record));
    } catch (GeneralSecurityException | RuntimeException e) {
      return e.getClass().getName();
    }
  }
}
