package io.kcpj.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.kcpj.core.secure.noise.Aead;
import io.kcpj.core.secure.noise.NoiseCipher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of record protection over many seeded networks that reorder, duplicate and lose
 * records, and attackers that forge them:
 *
 * <ul>
 *   <li>every record is accepted exactly when a reference model of the replay window says so (not
 *       seen before, not below the largest accepted minus 1,984), and its payload comes out intact;
 *   <li>when reordering stays inside the window, every record not lost is accepted exactly once,
 *       whatever the order and the duplicates;
 *   <li>nothing forged is ever accepted, however it is interleaved with genuine records, and no
 *       forgery stops a genuine record from being accepted.
 * </ul>
 */
class RecordProtectionProperties {

  @Property(tries = 60, seed = "20261205")
  void acceptanceFollowsTheReferenceModel(
      @ForAll boolean aes,
      @ForAll @IntRange(min = 1, max = 4000) int count,
      @ForAll @IntRange(min = 0, max = 5000) int maxDisplacement,
      @ForAll @LongRange(min = 0) long seed) {
    Channel c = new Channel(aes, count, seed);
    SplittableRandom r = new SplittableRandom(seed);
    List<Integer> schedule = schedule(count, maxDisplacement, 0.1, 0.1, r);
    Set<Long> seen = new HashSet<>();
    long largest = -1;
    for (int i : schedule) {
      boolean expected = !seen.contains((long) i) && (largest < 0 || i + 1984L >= largest);
      SecureDrop got = c.open(i);
      assertEquals(expected, got == SecureDrop.NONE, "record " + i + ": " + got);
      if (expected) {
        seen.add((long) i);
        largest = Math.max(largest, i);
        assertEquals(i, SecureWire.getIntLe(c.plain, SecureWire.TRANSPORT_HEADER_SIZE + 1));
      } else {
        assertEquals(seen.contains((long) i) ? SecureDrop.REPLAYED : SecureDrop.TOO_OLD, got);
      }
    }
  }

  @Property(tries = 60, seed = "20261206")
  void insideTheWindowEveryRecordNotLostIsAcceptedExactlyOnce(
      @ForAll boolean aes,
      @ForAll @IntRange(min = 1, max = 4000) int count,
      @ForAll @IntRange(min = 0, max = 1900) int maxDisplacement,
      @ForAll @LongRange(min = 0) long seed) {
    Channel c = new Channel(aes, count, seed);
    SplittableRandom r = new SplittableRandom(seed);
    List<Integer> schedule = schedule(count, maxDisplacement, 0.2, 0.05, r);
    Set<Integer> accepted = new HashSet<>();
    for (int i : schedule) {
      if (c.open(i) == SecureDrop.NONE) {
        assertEquals(true, accepted.add(i), "record " + i + " accepted twice");
      }
    }
    assertEquals(new HashSet<>(schedule), accepted);
  }

  @Property(tries = 60, seed = "20261207")
  void nothingForgedIsEverAccepted(
      @ForAll boolean aes,
      @ForAll @IntRange(min = 1, max = 300) int count,
      @ForAll @LongRange(min = 0) long seed) {
    Channel c = new Channel(aes, count, seed);
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      int forgeries = r.nextInt(4);
      for (int f = 0; f < forgeries; f++) {
        byte[] forged = forge(c.records.get(r.nextInt(count)), r);
        SecureDrop got = c.opener.open(forged, 0, forged.length);
        assertNotEquals(SecureDrop.NONE, got, "forgery accepted");
      }
      assertEquals(SecureDrop.NONE, c.open(i), "genuine record " + i + " refused");
    }
  }

  /** Deliveries: each index kept with probability 1 - loss, moved by at most maxDisplacement. */
  static List<Integer> schedule(
      int count, int maxDisplacement, double duplicate, double loss, SplittableRandom r) {
    List<double[]> keyed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (r.nextDouble() < loss) {
        continue;
      }
      int copies = r.nextDouble() < duplicate ? 2 + r.nextInt(2) : 1;
      for (int k = 0; k < copies; k++) {
        keyed.add(new double[] {i + r.nextDouble() * maxDisplacement, i});
      }
    }
    keyed.sort((a, b) -> Double.compare(a[0], b[0]));
    List<Integer> out = new ArrayList<>();
    for (double[] k : keyed) {
      out.add((int) k[1]);
    }
    return out;
  }

  static byte[] forge(byte[] genuine, SplittableRandom r) {
    byte[] b = genuine.clone();
    switch (r.nextInt(4)) {
      case 0:
        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        return b;
      case 1:
        return java.util.Arrays.copyOf(b, r.nextInt(b.length));
      case 2:
        for (int i = SecureWire.TRANSPORT_HEADER_SIZE; i < b.length; i++) {
          b[i] = (byte) r.nextInt();
        }
        return b;
      default:
        // a header from one record, body from another position: a spliced record
        int at = 1 + r.nextInt(b.length - 1);
        for (int i = at; i < b.length; i++) {
          b[i] ^= (byte) (1 + r.nextInt(255));
        }
        return b;
    }
  }

  /** One direction: records sealed up front, each with its index as payload. */
  static final class Channel {
    final List<byte[]> records = new ArrayList<>();
    final RecordOpener opener;
    final byte[] plain = new byte[256];

    Channel(boolean aes, int count, long seed) {
      NoiseCipher cipher = aes ? NoiseCipher.AES_GCM : NoiseCipher.CHACHA_POLY;
      byte[] key = new byte[32];
      new SplittableRandom(seed).nextBytes(key);
      RecordSealer sealer = new RecordSealer(new Aead(cipher), key, 9);
      opener = new RecordOpener(new Aead(cipher), key, 9);
      for (int i = 0; i < count; i++) {
        byte[] buf = new byte[64];
        buf[SecureWire.TRANSPORT_HEADER_SIZE] = Frames.PAYLOAD;
        SecureWire.putIntLe(buf, SecureWire.TRANSPORT_HEADER_SIZE + 1, i);
        int n = sealer.seal(buf, 0, 5);
        records.add(java.util.Arrays.copyOf(buf, n));
      }
    }

    SecureDrop open(int i) {
      byte[] r = records.get(i);
      System.arraycopy(r, 0, plain, 0, r.length);
      return opener.open(plain, 0, r.length);
    }
  }
}
