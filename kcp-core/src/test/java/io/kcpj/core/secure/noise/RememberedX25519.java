package io.kcpj.core.secure.noise;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A test-only {@link DhFunction} that answers with the JDK's real X25519 but remembers what it
 * computed, so that fuzz targets running a handshake per execution do not spend nearly all their
 * time in scalar multiplications.
 *
 * <ul>
 *   <li>{@link #dh}: the result of {@link X25519#dh} for the same (private, public) bytes,
 *       including {@code null} for rejected (low-order) public keys. Results are kept in an LRU map
 *       of at most {@code capacity} entries; a miss computes with the JDK. Each call returns a
 *       fresh copy (callers zero it).
 *   <li>{@link #generateKeyPair}: reads 32 bytes from the random source, as the real function does
 *       (so a scripted random stays aligned), and uses the first of them to pick one of {@code
 *       poolSize} key pairs generated once, with the JDK, from a fixed seed. A copy is returned, so
 *       the caller may wipe it. Every key pair is genuine; only their variety is small.
 * </ul>
 *
 * <p>Fuzz targets use {@link #forOneScenario()}, which keeps one scenario's ephemeral keys
 * distinct. Not for production: ephemeral keys repeat. Thread-safe (the map is guarded by this
 * object).
 */
public final class RememberedX25519 implements DhFunction {
  /**
   * A shared instance: 64 pooled key pairs, up to 16,384 remembered results (about 4 MB at most).
   */
  public static final RememberedX25519 SHARED = new RememberedX25519(64, 16_384);

  private final X25519KeyPair[] pool;
  private final Map<ByteBuffer, byte[]> results;
  private long hits;
  private long misses;

  /**
   * @param poolSize how many distinct ephemeral key pairs {@link #generateKeyPair} hands out (1 to
   *     256)
   * @param capacity the most DH results remembered; the least recently used is forgotten first
   */
  public RememberedX25519(int poolSize, int capacity) {
    if (poolSize < 1 || poolSize > 256 || capacity < 1) {
      throw new IllegalArgumentException("poolSize 1..256 and capacity >= 1");
    }
    Random seeded = new Random(0x5EED_2551_9L);
    pool = new X25519KeyPair[poolSize];
    for (int i = 0; i < poolSize; i++) {
      byte[] k = new byte[X25519.KEY_SIZE];
      seeded.nextBytes(k);
      pool[i] = X25519KeyPair.fromPrivateKey(k);
    }
    results =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
            return size() > capacity;
          }
        };
  }

  @Override
  public X25519KeyPair generateKeyPair(SecureRandom random) {
    byte[] k = new byte[X25519.KEY_SIZE];
    random.nextBytes(k);
    return pool[(k[0] & 0xFF) % pool.length].copy();
  }

  @Override
  public byte[] dh(byte[] privateKey, byte[] publicKey) {
    if (privateKey.length != X25519.KEY_SIZE || publicKey.length != X25519.KEY_SIZE) {
      return X25519.dh(privateKey, publicKey);
    }
    byte[] keyBytes = new byte[2 * X25519.KEY_SIZE];
    System.arraycopy(privateKey, 0, keyBytes, 0, X25519.KEY_SIZE);
    System.arraycopy(publicKey, 0, keyBytes, X25519.KEY_SIZE, X25519.KEY_SIZE);
    ByteBuffer key = ByteBuffer.wrap(keyBytes);
    byte[] known;
    synchronized (this) {
      known = results.get(key);
      if (known != null || results.containsKey(key)) {
        hits++;
        return known == null ? null : known.clone();
      }
    }
    byte[] computed = X25519.dh(privateKey, publicKey);
    synchronized (this) {
      misses++;
      results.put(key, computed == null ? null : computed.clone());
    }
    return computed;
  }

  /**
   * A view for one test scenario (one fuzz run): the same remembered {@link #dh} results, but
   * {@link DhFunction#generateKeyPair} never hands the same random source a pooled key pair twice
   * until it has handed out all of them, and never twice in a row. Production draws a fresh
   * ephemeral key for every handshake, so a responder that answers a replayed INITIATION (the same
   * client ephemeral key) derives a different handshake key each time; with {@link
   * #generateKeyPair}'s plain pool the two answers could get the same key and nonce with different
   * plaintexts, which the JDK refuses and which production cannot reach. The choice depends only on
   * the random bytes drawn in this view, so a run replays the same way in a fresh JVM. Not
   * thread-safe (one scenario, one thread).
   */
  public DhFunction forOneScenario() {
    return new ScenarioView();
  }

  private final class ScenarioView implements DhFunction {
    private final Map<SecureRandom, BitSet> handedOut = new IdentityHashMap<>();
    private final Map<SecureRandom, Integer> last = new IdentityHashMap<>();

    @Override
    public X25519KeyPair generateKeyPair(SecureRandom random) {
      byte[] k = new byte[X25519.KEY_SIZE];
      random.nextBytes(k);
      BitSet used = handedOut.computeIfAbsent(random, r -> new BitSet(pool.length));
      Integer previous = last.get(random);
      if (used.cardinality() == pool.length) {
        used.clear();
        if (previous != null && pool.length > 1) {
          used.set(previous);
        }
      }
      int i = (k[0] & 0xFF) % pool.length;
      while (used.get(i)) {
        i = (i + 1) % pool.length;
      }
      used.set(i);
      last.put(random, i);
      return pool[i].copy();
    }

    @Override
    public byte[] dh(byte[] privateKey, byte[] publicKey) {
      return RememberedX25519.this.dh(privateKey, publicKey);
    }
  }

  /** How many {@link #dh} calls were answered from memory. */
  public synchronized long hits() {
    return hits;
  }

  /** How many {@link #dh} calls were computed with the JDK. */
  public synchronized long misses() {
    return misses;
  }

  /** How many results are remembered now (at most the capacity). */
  public synchronized int size() {
    return results.size();
  }

  /** The pooled key pairs' public keys, in pool order (copies). */
  public byte[][] poolPublicKeys() {
    byte[][] keys = new byte[pool.length][];
    for (int i = 0; i < pool.length; i++) {
      keys[i] = pool[i].publicKey();
    }
    return keys;
  }
}
